/**
 * Domain types shared by every stage: ingest -> embeddings -> store -> retrieval -> answer -> bot.
 * Types are plain data so that they serialise to the index as they are.
 */

/** How precisely an edition's date is known. */
export type DatePrecision = "day" | "month" | "unknown";

/** Paper and date of one edition, from the file-name convention, a manifest.json, or "unknown". */
export interface EditionMeta {
  /** Paper name, e.g. "平湖日报"; "unknown" when no convention or manifest names it. */
  paper: string;
  /** ISO date "YYYY-MM-DD", "YYYY-MM" when only the month is known, or null when unknown. */
  date: string | null;
  datePrecision: DatePrecision;
  /** True when the date was estimated (manifest says so) rather than printed. */
  dateEstimated: boolean;
}

/** What an article is, as far as the layout tells. */
export type ArticleKind =
  "news" | "photo" | "weather" | "commentary" | "interview" | "ad" | "notice" | "other";

/** One article of an edition (or one record of a JSONL export). */
export interface Article extends EditionMeta {
  /** Stable id derived from source and headline (never an hnswlib label). */
  id: string;
  /** Edition this article belongs to: the source path relative to its input folder, or the JSONL file + record id. */
  editionId: string;
  /** Main headline; multi-line headlines are joined with a space. */
  headline: string;
  /** Subtitle (the "——…" line or a secondary heading), if any. */
  subtitle?: string;
  /** Column label such as "》》“八大行动”这样干" or "□增值化改革进行时", if any. */
  column?: string;
  /** Reporter and photographer names from ■记者 / ■全媒体记者 / ■摄影 / 通讯员 / ■本报评论员 lines. */
  byline: string[];
  /** The credit lines as printed, e.g. "■记者 荣怡婷 通讯员 曹金凤 陶佳迪". */
  credits: string[];
  kind: ArticleKind;
  /** Body paragraphs, cleaned: hard wraps rejoined, duplicates dropped. */
  paragraphs: string[];
  /** Layout notes that are not content, e.g. "(下转2版)". */
  notes: string[];
  /** Source file name (as given to the indexer, relative to its folder). */
  source: string;
  /** The page it is printed on, as the masthead gives it without "第…版" ("A1", "3"), if known. */
  page?: string;
  /** 0-based position of the article within its edition. */
  position: number;
  /** Hash of headline + paragraphs: tells an incremental run whether the article changed. */
  contentHash: string;
}

/** A sentence-aligned piece of an article: the unit of retrieval and citation. */
export interface Chunk {
  /** Stable id: `${articleId}#${ordinal}`. */
  id: string;
  articleId: string;
  /** 0-based order within the article. */
  ordinal: number;
  /** The passage text, whole sentences only. */
  text: string;
  /** Index of the first and (exclusive) last sentence of the article covered by this chunk. */
  sentenceStart: number;
  sentenceEnd: number;
  headline: string;
  /** The article's reporter and photographer names: searchable ("陈明远拍的照片"). */
  byline: string[];
  paper: string;
  date: string | null;
  source: string;
  kind: ArticleKind;
  /** The article's page ("A1"), when its edition was read from a paged format (PDF). */
  page?: string;
}

/** A retrieved chunk with its score and rank. */
export interface Passage {
  chunk: Chunk;
  /** 1-based rank in the final list. */
  rank: number;
  /** Fused score; larger is better. Comparable only within one result list. */
  score: number;
  /** Component scores, for debugging and abstention. */
  lexicalScore?: number;
  vectorScore?: number;
}

/** One numbered citation of an answer. */
export interface Citation {
  /** The marker number used in the answer text: [n]. */
  n: number;
  chunk: Chunk;
}

/** Why an answer abstained: nothing retrieved, weak support, no expression of the asked type, a name the archive lacks, or the answer would come from another article than the one asked about. */
export type AbstainReason =
  | "no-evidence"
  | "weak-support"
  | "untyped"
  | "missing-entity"
  | "off-focus"
  | "still-unknown"
  | "other-time"
  | "unrelated";

/** The answer to one question. */
export interface Answer {
  question: string;
  /** Plain text with [n] markers, or the abstention message. */
  text: string;
  abstained: boolean;
  /** Why the engine abstained, for logs and evaluation (absent when it answered). */
  abstainReason?: AbstainReason;
  citations: Citation[];
  /** Top retrieved passages, in rank order. */
  passages: Passage[];
  /**
   * A decline's nearest sentence, of a story about what was asked though not stating the asked
   * fact, with the share of the question's subject (by rarity) that story holds: a reporter's
   * question asks only which story it is.
   */
  nearest?: { sentence: string; chunk: Chunk; subject: number };
}
