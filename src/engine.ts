import type { Embedder } from "./embeddings/embedder.js";
import { openIndex } from "./store/index.js";
import type { NewsIndex } from "./store/types.js";
import type { Answer, Chunk } from "./types.js";
import type { LlmAnswer, LlmComposer } from "./answer/llm/index.js";
import { analyzeQuery } from "./retrieval/query.js";
import { searchHybrid, type SearchOptions } from "./retrieval/hybrid.js";
import { analyzeTerms } from "./retrieval/terms.js";
import { decomposeQuestion } from "./retrieval/decompose.js";
import { composeCoverageAnswer } from "./answer/coverage.js";
import { addDateNote } from "./answer/date-note.js";
import { citedFirst, interleavePassages, mergeAnswers } from "./answer/merge.js";
import { composeExtractiveAnswer, type ExtractiveOptions } from "./answer/extractive.js";

/** Options of one question. */
export interface AskOptions {
  /** Passages to retrieve and return. Defaults to 10. */
  limit?: number;
  filter?: (chunk: Chunk) => boolean;
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

/** Opens the index under `indexDir` and returns an engine over it. Throws IndexError when it is missing or unusable. */
export async function createEngine(options: {
  indexDir: string;
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
}): Promise<Engine> {
  // Index and embedder are swapped together, so a question never mixes two snapshots.
  let current = {
    index: await openIndex(options.indexDir, options.embedder),
    embedder: options.embedder,
  };
  return {
    get index() {
      return current.index;
    },
    get embedder() {
      return current.embedder;
    },
    async ask(question, askOptions = {}) {
      const { index, embedder } = current;
      const limit = askOptions.limit ?? 10;
      const answerPart = async (text: string, maxSentences?: number) => {
        const query = analyzeQuery(text);
        const { groups, phrases } = analyzeTerms(index, query.simplified);
        const searchOptions: SearchOptions = { limit, groups, phrases };
        if (askOptions.filter) searchOptions.filter = askOptions.filter;
        const passages = await searchHybrid(index, embedder, query, searchOptions);
        const extractive: ExtractiveOptions = { groups, phrases };
        if (maxSentences !== undefined) extractive.maxSentences = maxSentences;
        return composeExtractiveAnswer(index, query, passages, extractive);
      };
      const parts = decomposeQuestion(question);
      let fallback: Answer;
      const coverage =
        analyzeQuery(question).kind === "coverage" && !askOptions.filter
          ? composeCoverageAnswer(index, question, options.now?.() ?? new Date())
          : undefined;
      if (coverage) {
        // A dated list quotes the archive as it is: no LLM rewrite.
        return { ...coverage, source: "extractive", dropped: [] };
      } else if (parts.length === 1) {
        fallback = { ...(await answerPart(question)), question };
      } else {
        const answers = await Promise.all(parts.map((p) => answerPart(p, 2)));
        const passages = interleavePassages(
          answers.map((a) => a.passages),
          limit,
        );
        fallback = mergeAnswers(question, answers, passages);
      }
      fallback = addDateNote(index, citedFirst(fallback));
      if (options.llm)
        return options.llm.compose({ question, passages: fallback.passages, fallback });
      return { ...fallback, source: "extractive", dropped: [] };
    },
    async reload() {
      const embedder = options.newEmbedder ? await options.newEmbedder() : current.embedder;
      current = { index: await openIndex(options.indexDir, embedder), embedder };
    },
  };
}
