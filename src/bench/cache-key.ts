/** Where the benchmark caches a generated corpus, so repeated runs reuse it. */

/** The generator options that decide a corpus's bytes. */
export interface CorpusKeyParams {
  articles: number;
  seed: number;
  papers: number;
  articlesPerEdition: number;
  start: string;
  /** Bumped whenever the generator's output changes for the same options. */
  generatorVersion: number;
}

/**
 * A folder name that differs whenever any parameter differs, e.g.
 * "a1000-p2-e20-s1-2016-01-01-g1". Throws when `articles` is not a positive integer.
 */
export function corpusCacheKey(params: CorpusKeyParams): string {
  if (!Number.isInteger(params.articles) || params.articles < 1) {
    throw new Error(`corpusCacheKey: articles must be a positive integer, got ${params.articles}.`);
  }
  return [
    `a${params.articles}`,
    `p${params.papers}`,
    `e${params.articlesPerEdition}`,
    `s${params.seed}`,
    params.start,
    `g${params.generatorVersion}`,
  ].join("-");
}
