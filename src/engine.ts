import type { Embedder } from "./embeddings/embedder.js";
import { prepareLexicon } from "./text/lexicon.js";
import {
  bridgeNameVariants,
  bridgeUnseenWords,
  isEnglishQuestion,
  pinyinNameTerms,
  readEnglishQuestion,
  mergeAlternatives,
} from "./retrieval/bridge.js";
import { openArchive } from "./store/archive.js";
import { buildWordCutter, readWordCutter } from "./text/words.js";
import { cleanText } from "./text/clean.js";
import { loadTraditionalConverter } from "./text/normalize.js";
import type { NewsIndex } from "./store/types.js";
import type { Answer, Passage } from "./types.js";
import type { LlmAnswer, LlmComposer } from "./answer/llm/index.js";
import { analyzeQuery, type QueryAnalysis } from "./retrieval/query.js";
import { searchHybrid, type SearchOptions } from "./retrieval/hybrid.js";
import { analyzeTerms, type TermGroup } from "./retrieval/terms.js";
import { askedAlone, decomposeQuestion } from "./retrieval/decompose.js";
import { composeCoverageAnswer } from "./answer/coverage.js";
import { addDateNote } from "./answer/date-note.js";
import {
  citedFirst,
  interleavePassages,
  mergeAnswers,
  reaskRepeatedParts,
} from "./answer/merge.js";
import { composeExtractiveAnswer, type ExtractiveOptions } from "./answer/extractive.js";
import { compareAnswers } from "./answer/comparison.js";
import { composeBylineAnswer } from "./answer/byline.js";
import { asksProvenance, composeProvenanceAnswer, provenanceTopic } from "./answer/provenance.js";
import { answerSmallTalk, stripGreeting } from "./answer/small-talk.js";
import { answerSubjectless } from "./answer/subjectless.js";
import { answerNowQuestion } from "./answer/time-question.js";
import { parseQuestionTime } from "./dates/question-time.js";
import { timeBoost } from "./retrieval/time-boost.js";
import type { Reranker } from "./rerank/cross-encoder.js";

/** How long questions in flight on a replaced PostgreSQL reader get before it is closed. */
const RELOAD_GRACE_MS = 60_000;

/** Options of one question. */
export interface AskOptions {
  /** Passages to retrieve and return. Defaults to 10. */
  limit?: number;
  /** Only chunks it accepts, by their place in the index, may answer (SearchOptions.filter). */
  filter?: (chunkIndex: number) => boolean;
}

/** The answer engine: one opened index snapshot plus the embedder, swappable at run time. */
export interface Engine {
  /** The index currently served. */
  readonly index: NewsIndex;
  /** The embedder paired with the served index (its state was restored from that snapshot). */
  readonly embedder: Embedder;
  /**
   * Answers a question from the archive with citations, or abstains. With an LLM composer the
   * verified LLM answer is returned, falling back to the extractive one on any failure.
   */
  ask(question: string, options?: AskOptions): Promise<LlmAnswer>;
  /** Opens the newest snapshot and switches to it atomically; in-flight questions finish on the old one. */
  reload(): Promise<void>;
}

/**
 * Opens the archive (the index under `indexDir`, or PostgreSQL at `indexUrl`) and returns an
 * engine over it. Throws IndexError when it is missing or unusable.
 */
export async function createEngine(options: {
  indexDir: string;
  /** The archive in PostgreSQL (INDEX_URL); `indexDir` is then not used. Defaults to none. */
  indexUrl?: string | undefined;
  embedder: Embedder;
  /** The optional LLM composer; without it answers are extractive. */
  llm?: LlmComposer | undefined;
  /**
   * Makes a fresh embedder for each reload. A stateful embedder (IDF) gets the new snapshot's
   * state restored, so the one serving in-flight questions must not be reused. Defaults to
   * reusing `embedder`, which is safe only for stateless embedders.
   */
  newEmbedder?: () => Promise<Embedder>;
  /** The current time, for questions such as "最近…" or "去年…". Defaults to the clock. */
  now?: () => Date;
  /**
   * A cross-encoder used instead of the built-in second stage (RERANK_MODEL). Defaults to none.
   */
  reranker?: Reranker | undefined;
}): Promise<Engine> {
  // The lexicon loads while the index opens; the first question waits for it only if it is slower.
  prepareLexicon().catch(() => undefined);
  // Index and embedder are swapped together, so a question never mixes two snapshots.
  let current = {
    index: warm(await openArchive(options, options.embedder, { whileFilesLoad: useReadTime })),
    embedder: options.embedder,
  };
  let firstAnswered = false;
  return {
    get index() {
      return current.index;
    },
    get embedder() {
      return current.embedder;
    },
    async ask(raw, askOptions = {}) {
      // The normaliser the editions went through at ingest: a zero-width space or a bidi mark in
      // a question must not keep it from matching the text.
      const question = cleanText(raw);
      // "你好", "谢谢", "你是谁": a reply about the bot, with nothing searched.
      const smallTalk = askOptions.filter ? undefined : answerSmallTalk(question, current.index);
      if (smallTalk) return { ...smallTalk, source: "small-talk", dropped: [] };
      // The first answer after a start reads the disk at random, and the warm-up's sequential
      // reads would queue ahead of it: it holds them. Later questions do not, so that a stream
      // of questions cannot starve the warm-up (docs/performance.md, item 19).
      const first = !firstAnswered;
      const release = first ? current.index.holdWarming() : () => undefined;
      let found: { answer: Answer; final: boolean };
      try {
        found = await answer(question, askOptions);
      } finally {
        release();
        firstAnswered = true;
      }
      // The index's lookup tables (completeStart) and jieba (buildWordCutter) were left for
      // after the first answer; they are built at the next turns of the event loop rather than
      // by a later question.
      if (first) {
        const { index } = current;
        setImmediate(() => index.completeStart());
        setImmediate(buildWordCutter);
      }
      const { answer: fallback, final } = found;
      if (options.llm && !final) {
        return options.llm.compose({ question, passages: fallback.passages, fallback });
      }
      return { ...fallback, source: "extractive", dropped: [] };
    },
    async reload() {
      const embedder = options.newEmbedder ? await options.newEmbedder() : current.embedder;
      const previous = current.index;
      current = { index: warm(await openArchive(options, embedder)), embedder };
      // Questions still in flight on the previous index finish first; a connection-holding
      // index is then closed (the embedded one keeps its files open for them as before).
      if (options.indexUrl !== undefined)
        setTimeout(() => previous.close(), RELOAD_GRACE_MS).unref();
    },
  };

  /** The extractive answer; `final` for a dated list, which an LLM must not rewrite. */
  async function answer(
    asked: string,
    askOptions: AskOptions,
  ): Promise<{ answer: Answer; final: boolean }> {
    const { index, embedder } = current;
    const limit = askOptions.limit ?? 10;
    const today = options.now?.() ?? new Date();
    const question = stripGreeting(asked);
    // "多高?", "星期几" alone name nothing to look up; "今天几号?" is the clock's to answer.
    const subjectless = askOptions.filter ? undefined : answerSubjectless(question, today);
    if (subjectless) return { answer: subjectless, final: true };
    // "明天天气怎么样", "今天有什么新闻": from the newest edition, saying its date.
    const now = askOptions.filter
      ? undefined
      : await answerNowQuestion(index, question, today, async (q, filter) => {
          return (await answer(q, { ...askOptions, filter })).answer;
        });
    if (now) return { answer: now, final: true };
    const answerPart = async (
      text: string,
      maxSentences?: number,
      exclude?: ReadonlySet<string>,
    ) => {
      const found = await retrieve(index, embedder, text, {
        limit,
        today,
        filter: askOptions.filter,
        reranker: options.reranker,
      });
      const extractive: ExtractiveOptions = { groups: found.groups, phrases: found.phrases };
      if (maxSentences !== undefined) extractive.maxSentences = maxSentences;
      if (exclude) extractive.exclude = exclude;
      // The part as asked: an English part is analysed in its Chinese words, but a part said to be
      // missing is named in the asker's.
      return {
        ...composeExtractiveAnswer(index, found.query, found.passages, extractive),
        question: text,
      };
    };
    // "陈明远拍的照片拍的是啥", "记者荣怡婷写了哪些报道": the bylines answer, as a dated list.
    // A dated list quotes the archive as it is: no LLM rewrite.
    const byCredit = askOptions.filter ? undefined : composeBylineAnswer(index, question);
    if (byCredit) return { answer: byCredit, final: true };
    // "…是哪家报纸哪天报道的", "…是谁写的": the story's paper, date and byline, in the text.
    const provenance = askOptions.filter ? undefined : asksProvenance(question);
    if (provenance) {
      const topic = provenanceTopic(question);
      if (topic.length >= 2) {
        const found = { ...(await answerPart(topic)), question };
        return { answer: composeProvenanceAnswer(index, provenance, found), final: true };
      }
    }
    const coverage =
      analyzeQuery(question).kind === "coverage" && !askOptions.filter
        ? composeCoverageAnswer(index, question, today)
        : undefined;
    if (coverage) return { answer: coverage, final: true };
    const parts = decomposeQuestion(question);
    let fallback: Answer;
    if (parts.length === 1) {
      fallback = { ...(await answerPart(question)), question };
    } else {
      const asked = parts.map(askedAlone);
      const answers = await Promise.all(asked.map((p) => answerPart(p, 2)));
      // A part answered only with what an earlier part already says is asked again, or said to
      // be missing (src/answer/merge.ts).
      await reaskRepeatedParts(asked, answers, (text, exclude) => answerPart(text, 2, exclude));
      const passages = interleavePassages(
        answers.map((a) => a.passages),
        limit,
      );
      fallback = mergeAnswers(question, answers, passages);
      // "哪个…更大": both facts are cited above; one line says which, when they compare.
      const conclusion = fallback.abstained ? undefined : compareAnswers(question, parts, answers);
      if (conclusion) fallback = { ...fallback, text: `${fallback.text}\n${conclusion}` };
    }
    return { answer: addDateNote(index, citedFirst(fallback)), final: false };
  }
}

/** A question's analysis and its retrieved passages. */
export interface Retrieved {
  query: QueryAnalysis;
  groups: TermGroup[];
  phrases: string[];
  passages: Passage[];
}

/**
 * Analyses one question (or one part of a compound question) and retrieves its passages: the
 * first half of the answer path, shared by the engine and the model fit (scripts/fit.ts).
 */
export async function retrieve(
  index: NewsIndex,
  embedder: Embedder,
  text: string,
  options: {
    limit: number;
    today: Date;
    filter?: ((chunkIndex: number) => boolean) | undefined;
    reranker?: Reranker | undefined;
    /** Receives the second stage's candidates and features (for `npm run fit`). */
    onSecondStage?: SearchOptions["onSecondStage"];
  },
): Promise<Retrieved> {
  // An English question is asked in the archive's Chinese words; a name gains its other
  // spellings that the archive uses, and a Chinese word the archive never uses its synonyms that
  // it does; a word the dictionary knows only as a common word is no name. The lexicon is loaded
  // by the first question (src/text/lexicon.ts).
  const lexicon = await prepareLexicon();
  const inEnglish = isEnglishQuestion(text);
  if (inEnglish) await index.prefetchTerms(pinyinNameTerms(text, lexicon));
  const english = inEnglish ? readEnglishQuestion(text, lexicon, index) : undefined;
  const query = analyzeQuery(english?.text ?? text);
  const analysis = analyzeTerms(index, query.simplified, lexicon);
  const { phrases } = analysis;
  const groups = english
    ? mergeAlternatives(analysis.groups, english.alternatives)
    : analysis.groups;
  const added = bridgeNameVariants(groups, lexicon, index);
  if (groups.some((g) => !g.entity && index.documentFrequency(g.surface) === 0)) {
    added.push(...bridgeUnseenWords(groups, lexicon, index));
  }
  query.expansions.push(...new Set(added.filter((t) => !query.terms.includes(t))));
  const searchOptions: SearchOptions = { limit: options.limit, groups, phrases };
  if (options.filter) searchOptions.filter = options.filter;
  if (options.reranker) searchOptions.reranker = options.reranker;
  if (options.onSecondStage) searchOptions.onSecondStage = options.onSecondStage;
  // The time a question names ranks matching reports higher, but filters nothing out.
  const time = parseQuestionTime(query.simplified, options.today);
  if (time) searchOptions.boost = timeBoost(index, time);
  const passages = await searchHybrid(index, embedder, query, searchOptions);
  return { query, groups, phrases, passages };
}

/**
 * Work for this thread while the index's first files (catalog and vector codes, 40 MB at 150,000
 * articles) are read: the word cutter's dictionary (jieba itself is built after the first answer),
 * and OpenCC's converter, which the first answer would otherwise build (docs/performance.md,
 * item 21).
 */
function useReadTime(): void {
  readWordCutter();
  loadTraditionalConverter();
}

/**
 * Starts reading the index's on-demand files into the page cache in the background: after a
 * restart the first few hundred questions would otherwise wait on the disk.
 */
function warm(index: NewsIndex): NewsIndex {
  index.prewarm();
  return index;
}
