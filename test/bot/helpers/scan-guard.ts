/**
 * A real index behind a guard that proves a request path does not read the whole archive:
 * `articles()` throws, and the articles, bodies and chunks read through it are counted.
 */
import type { NewsIndex } from "../../../src/store/types.js";
import type { Article } from "../../../src/types.js";

/** What was read through a guarded index since the last reset. */
export interface Reads {
  /** Ids of the articles fetched (`getArticle`). */
  articles: Set<string>;
  /** Ids of the articles whose body (paragraphs, credits, notes) was read. */
  bodies: Set<string>;
  /** Chunks fetched (`chunkAt`, and each chunk `chunksOfArticle` returned). */
  chunks: number;
}

/** A guarded index with its counters. */
export interface GuardedIndex {
  index: NewsIndex;
  /** The real index behind the guard, for the test's own expectations. */
  unguarded: NewsIndex;
  reads: Reads;
  /** Clears the counters. */
  reset(): void;
}

const BODY_KEYS = new Set<PropertyKey>(["paragraphs", "credits", "notes"]);

/** Wraps `index`. */
export function guardIndex(index: NewsIndex): GuardedIndex {
  const reads: Reads = { articles: new Set(), bodies: new Set(), chunks: 0 };
  const watch = (article: Article): Article =>
    new Proxy(article, {
      get(target, prop, receiver) {
        if (BODY_KEYS.has(prop)) reads.bodies.add(target.id);
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
  const guarded = new Proxy(index, {
    get(target, prop) {
      switch (prop) {
        case "articles":
          return () => {
            throw new Error("articles() was called: a request path read the whole archive");
          };
        case "getArticle":
          return (id: string) => {
            reads.articles.add(id);
            const article = target.getArticle(id);
            return article === undefined ? undefined : watch(article);
          };
        case "chunkAt":
          return (i: number) => {
            reads.chunks++;
            return target.chunkAt(i);
          };
        case "chunksOfArticle":
          return (id: string) => {
            const chunks = target.chunksOfArticle(id);
            reads.chunks += chunks.length;
            return chunks;
          };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
  return {
    index: guarded,
    unguarded: index,
    reads,
    reset() {
      reads.articles.clear();
      reads.bodies.clear();
      reads.chunks = 0;
    },
  };
}
