import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import type { Embedder } from "../../src/embeddings/embedder.js";
import type { BuildInput } from "../../src/store/types.js";
import type { Article, Chunk } from "../../src/types.js";

/** A story as written in a test: headline and paragraphs; each paragraph becomes one chunk. */
export interface Story {
  headline: string;
  paragraphs: string[];
  subtitle?: string;
  column?: string;
}

const sha = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Builds the articles and chunks of one edition by hand (the ingest stage is not used here). */
export function edition(editionId: string, date: string, stories: Story[]): BuildInput {
  const articles: Article[] = [];
  const chunks: Chunk[] = [];
  stories.forEach((story, position) => {
    const id = `${editionId}#a${sha(story.headline)}`;
    const article: Article = {
      id,
      editionId,
      paper: "平湖日报",
      date,
      datePrecision: "day",
      dateEstimated: false,
      headline: story.headline,
      byline: ["荣怡婷"],
      credits: ["■记者 荣怡婷"],
      kind: "news",
      paragraphs: story.paragraphs,
      notes: [],
      source: `${editionId}.txt`,
      position,
      contentHash: sha([story.headline, ...story.paragraphs].join("\n")),
    };
    if (story.subtitle !== undefined) article.subtitle = story.subtitle;
    if (story.column !== undefined) article.column = story.column;
    articles.push(article);
    story.paragraphs.forEach((text, ordinal) => {
      chunks.push({
        id: `${id}#${ordinal}`,
        articleId: id,
        ordinal,
        text,
        sentenceStart: ordinal,
        sentenceEnd: ordinal + 1,
        headline: story.headline,
        byline: article.byline,
        paper: article.paper,
        date,
        source: article.source,
        kind: "news",
      });
    });
  });
  return { articles, chunks };
}

/** Concatenates editions into one build input. */
export function combine(...inputs: BuildInput[]): BuildInput {
  return {
    articles: inputs.flatMap((i) => i.articles),
    chunks: inputs.flatMap((i) => i.chunks),
  };
}

export const EDITION_A = edition("2024-03-01", "2024-03-01", [
  {
    headline: "平湖新建公共自行车站点",
    subtitle: "——市民扫码即可借车",
    paragraphs: [
      "本月起,平湖市区新增公共自行车站点二十个,市民可以扫码借车。",
      "新站点主要分布在当湖街道和钟埭街道,覆盖学校和菜市场。",
    ],
  },
  {
    headline: "东湖公园樱花盛开",
    column: "□城市风景",
    paragraphs: [
      "东湖公园的樱花进入盛花期,吸引大量游客前来赏花拍照。",
      "公园管理处提醒游客文明赏花,不要攀折花枝。",
    ],
  },
]);

export const EDITION_B = edition("2024-03-02", "2024-03-02", [
  {
    headline: "百康光学扩建生产线",
    paragraphs: [
      "百康光学投资两亿元扩建镜片生产线,预计年底投产。",
      "项目投产后将新增就业岗位三百个,主要招收技术工人。",
    ],
  },
  {
    headline: "明日天气",
    paragraphs: ["明天多云转小雨,气温八到十五度,东北风三级。"],
  },
]);

export const EDITION_C = edition("2024-03-03", "2024-03-03", [
  {
    headline: "独山港区集装箱吞吐量创新高",
    paragraphs: ["独山港区一季度集装箱吞吐量突破十万标箱,同比增长两成。"],
  },
]);

/** The real offline embedder, small so that tests stay fast. */
export function testEmbedder(dimensions = 64): Embedder {
  return createHashedEmbedder({ dimensions });
}

/** An embedder that records what it embeds and can fail on a chosen batch (1-based). */
export interface RecordingEmbedder extends Embedder {
  readonly embeddedTexts: string[];
}

/**
 * Wraps a real embedder to record the texts it is asked to embed and, when `failOnBatch` is set,
 * to throw on that batch, as a model server that dies mid-run would.
 */
export function recording(inner: Embedder, failOnBatch?: number): RecordingEmbedder {
  const embeddedTexts: string[] = [];
  let batches = 0;
  const wrapped: RecordingEmbedder = {
    id: inner.id,
    dimensions: inner.dimensions,
    embeddedTexts,
    async embedDocuments(texts) {
      batches++;
      if (batches === failOnBatch) throw new Error(`embedder failed on batch ${batches}`);
      embeddedTexts.push(...texts);
      return inner.embedDocuments(texts);
    },
    embedQuery: (text) => inner.embedQuery(text),
  };
  if (inner.fit) wrapped.fit = inner.fit.bind(inner);
  if (inner.exportState) wrapped.exportState = inner.exportState.bind(inner);
  if (inner.restoreState) wrapped.restoreState = inner.restoreState.bind(inner);
  return wrapped;
}

/** A fresh temp folder for one test's index; remove it with the returned function. */
export async function tempIndexDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "news-store-"));
  return {
    dir: join(root, "index"),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
