/**
 * The scale-corpus generator's pure core: which editions a corpus has, and the text of each one,
 * laid out like the real sample pages (masthead, headlines, ■记者 bylines, 本报讯 leads, hard-wrapped
 * lines, photo captions, weather boxes, "(下转2版)") with bodies built from the sentence pool.
 * Every edition is derived from (seed, paper, day) alone, so any edition can be made on its own.
 */
import { fill, personName, type FillContext, type Filled } from "./fill.js";
import { wrapBlock, type Block } from "./hard-wrap.js";
import { PAPERS, type PaperProfile } from "./papers.js";
import { createRng } from "./prng.js";
import { makeQuestions, type CorpusQuestion } from "./questions.js";
import type { SentencePool } from "./sentence-pool.js";

export { PAPERS, type PaperProfile } from "./papers.js";
export type { CorpusQuestion } from "./questions.js";

/** What corpus to make. */
export interface CorpusOptions {
  /** Number of papers (1 to PAPERS.length). */
  papers: number;
  /** Years of editions from `start`. */
  years: number;
  /** First edition date, "YYYY-MM-DD". */
  start: string;
  /** Average articles per edition (each edition varies by a few). */
  articlesPerEdition: number;
  seed: number;
  /** Days between two editions of one paper. Defaults to 1 (daily). */
  everyDays?: number;
  /** Questions drawn from each edition. Defaults to 2. */
  questionsPerEdition?: number;
}

/** One edition to generate: which paper, which day. */
export interface EditionPlan {
  paperIndex: number;
  /** Number of the edition's day, counted in `everyDays` steps from `start`. */
  dayIndex: number;
  paper: string;
  date: string;
  /** `YYYY-MM-DD_报纸名.txt`. */
  fileName: string;
}

/** An article as generated: what the parser should find. */
export interface GeneratedArticle {
  kind: "news" | "photo" | "weather" | "commentary";
  /** The headline as the parser assembles it (lines joined with a space). */
  headline: string;
  paragraphs: string[];
}

/** One generated edition. */
export interface GeneratedEdition {
  plan: EditionPlan;
  text: string;
  articles: GeneratedArticle[];
  questions: CorpusQuestion[];
}

const DAY_MS = 86_400_000;
/** Wrap widths up to this make the parser treat a page as hard-wrapped (src/ingest/edition-items.ts). */
const HARD_WRAP_MAX_CHARS = 24;
const PHOTO_TITLES = [
  "破浪前行",
  "春暖花开",
  "丰收时节",
  "夏日清凉",
  "志愿服务",
  "乡村新貌",
  "书香校园",
  "劳动最美",
  "银发风采",
  "童心向党",
  "稻香满田",
  "夜色璀璨",
];
const PHOTO_LEADS = ["昨天,", "日前,", "近日,", "当天,"];
const SKIES = ["晴到多云", "多云", "多云转阴", "阴有小雨", "小雨转多云", "晴", "阴有阵雨或雷雨"];
const WINDS = ["东北风3到4级", "偏东风3~4级", "东南风2到3级", "偏北风4到5级", "偏南风3到4级"];
/**
 * Lists the editions of a corpus in date order (papers interleaved per day). Throws an Error with
 * the fix for an impossible option (no papers, too many papers, a bad date, non-positive counts).
 */
export function planEditions(options: CorpusOptions): EditionPlan[] {
  const startMs = parseDate(options.start);
  const endDate = new Date(startMs);
  endDate.setUTCFullYear(endDate.getUTCFullYear() + Math.floor(options.years));
  const fraction = options.years - Math.floor(options.years);
  const endMs = endDate.getTime() + Math.round(fraction * 365) * DAY_MS;
  const step = options.everyDays ?? 1;
  checkOptions(options, step);
  const plans: EditionPlan[] = [];
  for (let day = 0; startMs + day * step * DAY_MS < endMs; day++) {
    for (let p = 0; p < options.papers; p++) plans.push(planOf(options, p, day));
  }
  return plans;
}

/** The plan of one paper's edition on the `dayIndex`-th edition day; never throws for valid options. */
export function planOf(options: CorpusOptions, paperIndex: number, dayIndex: number): EditionPlan {
  const paper = PAPERS[paperIndex] ?? PAPERS[0];
  const name = paper?.name ?? "";
  const date = new Date(parseDate(options.start) + dayIndex * (options.everyDays ?? 1) * DAY_MS)
    .toISOString()
    .slice(0, 10);
  return { paperIndex, dayIndex, paper: name, date, fileName: `${date}_${name}.txt` };
}

/**
 * Generates one edition's text, its articles and its questions. `maxArticles` caps the article
 * count (the last edition of a corpus of exactly N articles). Deterministic for the same pool,
 * options and plan; never throws.
 */
export function generateEdition(
  pool: SentencePool,
  options: CorpusOptions,
  plan: EditionPlan,
  maxArticles = Number.POSITIVE_INFINITY,
): GeneratedEdition {
  const profile = PAPERS[plan.paperIndex] ?? (PAPERS[0] as PaperProfile);
  const rng = createRng(options.seed, plan.paperIndex + 1, plan.dayIndex + 1);
  const staff = staffOf(options.seed, plan.paperIndex);
  const year = Number(plan.date.slice(0, 4));
  const spread = Math.max(1, Math.round(options.articlesPerEdition / 6));
  const count = Math.max(
    1,
    Math.min(maxArticles, options.articlesPerEdition + rng.int(-spread, spread)),
  );
  const blocks: string[] = [profile.masthead];
  const articles: GeneratedArticle[] = [];
  const sentencesOf: Filled[][] = [];
  const weatherAt = count >= 8 && rng.chance(0.5) ? rng.int(1, count - 1) : -1;
  const commentaryAt = count >= 8 && rng.chance(0.3) ? rng.int(1, count - 1) : -1;
  const kinds: GeneratedArticle["kind"][] = [];
  for (let i = 0; i < count; i++) {
    kinds.push(
      i === weatherAt
        ? "weather"
        : i === commentaryAt
          ? "commentary"
          : i > 0 && rng.chance(0.12)
            ? "photo"
            : "news",
    );
  }
  // Where the byline comes first, a photo credit followed by the next byline would read as one
  // credit (the parser joins consecutive credit lines): such pages print their photos last.
  if (profile.bylineFirst) kinds.sort((a, b) => Number(a === "photo") - Number(b === "photo"));
  for (const [i, kind] of kinds.entries()) {
    const ctx: FillContext = { rng, profile, year, cast: new Map() };
    const made = makeArticle(pool, ctx, staff, kind, i < 3 && rng.chance(0.3));
    blocks.push(...made.blocks.map((b) => wrapBlock(b, profile.wrapChars)));
    articles.push(made.article);
    sentencesOf.push(made.sentences);
  }
  const questions = makeQuestions(
    rng,
    {
      file: plan.fileName,
      paper: plan.paper,
      date: plan.date,
      articles: articles.map((a, i) => ({ ...a, sentences: sentencesOf[i] ?? [] })),
    },
    options.questionsPerEdition ?? 2,
  );
  return { plan, text: `${blocks.join("\n\n")}\n`, articles, questions };
}

interface Staff {
  reporters: string[];
  photographers: string[];
  correspondents: string[];
}

function makeArticle(
  pool: SentencePool,
  ctx: FillContext,
  staff: Staff,
  kind: GeneratedArticle["kind"],
  continued: boolean,
): { blocks: Block[]; article: GeneratedArticle; sentences: Filled[] } {
  const { rng } = ctx;
  if (kind === "weather") {
    const hi = rng.int(5, 36);
    const text =
      `今天${rng.pick(SKIES)},明天${rng.pick(SKIES)},${rng.pick(WINDS)}。` +
      `今天白天最高气温${hi}℃,明天早晨最低气温${hi - rng.int(4, 10)}℃。`;
    return {
      blocks: [
        { lines: ["天气预报"], wrap: false },
        { lines: [text], wrap: true },
      ],
      article: { kind, headline: "天气预报", paragraphs: [text] },
      sentences: [],
    };
  }
  if (kind === "photo") {
    const title = rng.pick(PHOTO_TITLES);
    const sentences = bodySentences(pool, ctx, rng.int(1, 2));
    const caption = rng.pick(PHOTO_LEADS) + sentences.map((s) => s.text).join("");
    const credit = `■摄影 ${rng.pick(staff.photographers)}`;
    return {
      blocks: [
        { lines: [title], wrap: false },
        { lines: [caption], wrap: true },
        { lines: [credit], wrap: false },
      ],
      article: { kind, headline: title, paragraphs: [caption] },
      sentences: [],
    };
  }
  const lead = kind === "news" && rng.chance(0.85);
  const headline = (): string =>
    fill(rng.pick(rng.chance(0.5) ? pool.localHeadlines : pool.headlines), ctx).text;
  const headlineLines = [headline()];
  if (lead && rng.chance(0.15)) headlineLines.push(headline());
  // Without a lead, a headline longer than a sub-head reads as a wrapped body line: keep it short.
  for (let tries = 0; !lead && tries < 20 && compact(headlineLines[0] ?? "") > 20; tries++) {
    headlineLines[0] = headline();
  }
  const sentences = bodySentences(pool, ctx, rng.int(5, 14));
  // Without a 本报讯 lead, a short first sentence after the headline reads as the tail of a
  // wrapped line (see isWrapFragment): open such articles with a longer sentence.
  while (!lead && sentences.length > 1 && !opensArticle(sentences[0]?.text ?? "")) {
    sentences.shift();
  }
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length;) {
    const n = Math.min(sentences.length - i, rng.int(1, 3));
    const group = sentences.slice(i, i + n);
    paragraphs.push(group.map((s) => s.text).join(""));
    i += n;
  }
  if (lead) paragraphs[0] = `本报讯 ${paragraphs[0] ?? ""}`;
  const credit =
    kind === "commentary"
      ? "■本报评论员"
      : rng.chance(0.4)
        ? `■记者 ${rng.pick(staff.reporters)} 通讯员 ${rng.pick(staff.correspondents)}`
        : `■${rng.chance(0.5) ? "全媒体记者" : "记者"} ${rng.pick(staff.reporters)}`;
  const head: Block = { lines: headlineLines, wrap: false };
  const byline: Block = { lines: [credit], wrap: false };
  const body: Block[] = paragraphs.map((p) => ({ lines: [p], wrap: true }));
  if (continued) body.at(-1)?.lines.push("(下转2版)");
  const bylineFirst = kind === "commentary" || ctx.profile.bylineFirst;
  return {
    blocks: bylineFirst ? [byline, head, ...body] : [head, byline, ...body],
    article: {
      kind,
      // Hard-wrapped pages join a two-line headline like any wrapped line; others keep a space.
      headline: headlineLines.join(ctx.profile.wrapChars <= HARD_WRAP_MAX_CHARS ? "" : " "),
      paragraphs,
    },
    sentences,
  };
}

function compact(text: string): number {
  return Array.from(text.replace(/\s+/gu, "")).length;
}

/** A first sentence that cannot pass for the end of a wrapped headline: long, with a comma. */
function opensArticle(sentence: string): boolean {
  return Array.from(sentence).length > 24 && /[，,]/u.test(sentence);
}

/** A run of consecutive sentences of one source document (then the next), filled in. */
function bodySentences(pool: SentencePool, ctx: FillContext, count: number): Filled[] {
  const out: Filled[] = [];
  while (out.length < count) {
    const doc = ctx.rng.pick(pool.documents);
    let i = ctx.rng.int(0, Math.max(0, doc.length - 3));
    while (out.length < count && i < doc.length) {
      const template = doc[i++];
      if (template) out.push(fill(template, ctx));
    }
  }
  return out;
}

/** A paper's fixed staff, so bylines recur across editions as in a real archive. */
function staffOf(seed: number, paperIndex: number): Staff {
  const rng = createRng(seed, 7919, paperIndex + 1);
  const names = (n: number): string[] => Array.from({ length: n }, () => personName(rng));
  return { reporters: names(24), photographers: names(6), correspondents: names(12) };
}

function parseDate(date: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/u.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`--start must be a date "YYYY-MM-DD", got "${date}".`);
  return ms;
}

function checkOptions(options: CorpusOptions, step: number): void {
  if (!Number.isInteger(options.papers) || options.papers < 1 || options.papers > PAPERS.length) {
    throw new Error(
      `--papers must be an integer from 1 to ${PAPERS.length}, got ${options.papers}.`,
    );
  }
  if (!(options.years > 0)) throw new Error(`--years must be positive, got ${options.years}.`);
  if (!Number.isInteger(options.articlesPerEdition) || options.articlesPerEdition < 1) {
    throw new Error(
      `--articles-per-edition must be a positive integer, got ${options.articlesPerEdition}.`,
    );
  }
  if (!Number.isInteger(step) || step < 1) {
    throw new Error(`--every-days must be a positive integer, got ${step}.`);
  }
}
