import type { Embedder } from "./embeddings/embedder.js";
import { openIndex } from "./store/index.js";
import type { NewsIndex } from "./store/types.js";
import type { Chunk } from "./types.js";
import type { LlmAnswer, LlmComposer } from "./answer/llm/index.js";
import { analyzeQuery } from "./retrieval/query.js";
import { searchHybrid } from "./retrieval/hybrid.js";
import { composeExtractiveAnswer } from "./answer/extractive.js";

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
}): Promise<Engine> {
  let current = await openIndex(options.indexDir, options.embedder);
  return {
    get index() {
      return current;
    },
    embedder: options.embedder,
    async ask(question, askOptions = {}) {
      const index = current;
      const query = analyzeQuery(question);
      const searchOptions: Parameters<typeof searchHybrid>[3] = { limit: askOptions.limit ?? 10 };
      if (askOptions.filter) searchOptions.filter = askOptions.filter;
      const passages = await searchHybrid(index, options.embedder, query, searchOptions);
      const fallback = composeExtractiveAnswer(index, query, passages);
      if (options.llm) return options.llm.compose({ question, passages, fallback });
      return { ...fallback, source: "extractive", dropped: [] };
    },
    async reload() {
      current = await openIndex(options.indexDir, options.embedder);
    },
  };
}
