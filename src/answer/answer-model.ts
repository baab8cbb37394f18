import { featureOf, SENTENCE_FEATURES, type Candidate } from "./candidates.js";
import { FITTED_MODEL } from "./fitted-weights.js";
import { alignWeights, dot } from "../fit/linear-models.js";

/**
 * The names of the features that decide whether to answer at all, in the order of
 * `declineFeatures`' result.
 */
export const DECLINE_FEATURES = [
  "bestScore",
  "margin",
  "own",
  "asked",
  "subjectInArticle",
  "typed",
  "bigrams",
  "missingEntity",
  "offFocus",
  "unseen",
  "askedInQuestion",
  "absentFromArticle",
  "askedInArticle",
  "subjectInSentence",
  "typedGap",
  "timeConflict",
] as const;

/** A fitted answer model: sentence weights, and a logistic model of "the best sentence answers". */
export interface AnswerModel {
  sentence: { features: readonly string[]; weights: readonly number[] };
  decline: {
    features: readonly string[];
    weights: readonly number[];
    bias: number;
    /** Below this probability that the best sentence answers, the engine declines. */
    threshold: number;
  };
}

/** Throws when a model was fitted on other features than this code computes. */
export function checkModel(model: AnswerModel): AnswerModel {
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  if (
    !same(model.sentence.features, SENTENCE_FEATURES) ||
    model.sentence.weights.length !== SENTENCE_FEATURES.length ||
    !same(model.decline.features, DECLINE_FEATURES) ||
    model.decline.weights.length !== DECLINE_FEATURES.length
  ) {
    throw new Error(
      "The fitted answer model does not match the features this code computes: run `npm run fit` to fit it again.",
    );
  }
  return model;
}

/**
 * The model the engine answers with: fitted-weights.ts, laid onto this code's feature lists by
 * name. A test holds fitted-weights.ts to those lists (`checkModel`), so a change of features
 * without a new fit fails CI, while `npm run fit` itself can still start.
 */
export const ANSWER_MODEL: AnswerModel = {
  sentence: {
    features: [...SENTENCE_FEATURES],
    weights: alignWeights(
      SENTENCE_FEATURES,
      FITTED_MODEL.sentence.features,
      FITTED_MODEL.sentence.weights,
    ),
  },
  decline: {
    ...FITTED_MODEL.decline,
    features: [...DECLINE_FEATURES],
    weights: alignWeights(
      DECLINE_FEATURES,
      FITTED_MODEL.decline.features,
      FITTED_MODEL.decline.weights,
    ),
  },
};

/** A candidate sentence's score under the model's sentence weights. */
export function scoreSentence(
  features: readonly number[],
  model: AnswerModel = ANSWER_MODEL,
): number {
  return dot(model.sentence.weights, features);
}

/** What the decline model sees of a question and its best sentence. */
export interface DeclineEvidence {
  best: Candidate;
  second: Candidate | undefined;
  /** A name the question is about is missing from the best sentence's article, or from the archive. */
  missingEntity: boolean;
  /** How far the best sentence's article trails the one that holds most of the question's phrases (0..1). */
  offFocus: number;
  /** IDF share of the question's words that occur nowhere in the archive. */
  unseen: number;
  /** The question names what it asks ("死了几个" → 死), not only a question word. */
  askedInQuestion: boolean;
  /** IDF share of the question's words that the best sentence's article does not hold at all. */
  absentFromArticle: number;
  /** How much of what is asked the best sentence's article holds (0 when nothing is named). */
  askedInArticle: number;
  /** How far the best sentence trails the best candidate of any type, in model score. */
  typedGap: number;
  /**
   * The best candidate of any type where the best sentence continues it ("…举行第134期创新学堂。
   * …陈王进主持。"): the two state the answer together, and the question's words are read in both.
   */
  continued?: Candidate | undefined;
}

/** The decline model's inputs, in the order of DECLINE_FEATURES. */
export function declineFeatures(e: DeclineEvidence): number[] {
  const at = (name: (typeof SENTENCE_FEATURES)[number]) => featureOf(e.best, name);
  const joined = (name: (typeof SENTENCE_FEATURES)[number]) =>
    Math.max(at(name), e.continued ? featureOf(e.continued, name) : 0);
  return [
    e.best.score,
    e.second ? e.best.score - e.second.score : 1,
    joined("own"),
    at("askedInSentence"),
    at("subjectInArticle"),
    at("typed"),
    joined("bigrams"),
    e.missingEntity ? 1 : 0,
    e.offFocus,
    e.unseen,
    e.askedInQuestion ? 1 : 0,
    e.absentFromArticle,
    e.askedInArticle,
    at("subjectInSentence"),
    e.typedGap,
    at("timeConflict"),
  ];
}

/** The model's probability that the best sentence answers the question. */
export function answerProbability(
  features: readonly number[],
  model: AnswerModel = ANSWER_MODEL,
): number {
  const z = model.decline.bias + dot(model.decline.weights, features);
  return 1 / (1 + Math.exp(-z));
}
