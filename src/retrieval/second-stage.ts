import { FITTED_SECOND_STAGE } from "./fitted-second-stage.js";
import { alignWeights, dot } from "../fit/linear-models.js";

/**
 * The names of the built-in second stage's features, in the order `rerankBuiltIn` computes them:
 * the fused rank, the best sentence's support, the chunk's and the article's coverage of the
 * question, its phrases as written, the time it names, and the headline it repeats. The weights
 * are fitted by `npm run fit` (fitted-second-stage.ts); weights fitted on another list are refused.
 */
export const SECOND_STAGE_FEATURES = [
  "fused",
  "sentence",
  "chunk",
  "subject",
  "phrase",
  "time",
  "headline",
] as const;

/** Fitted weights of the second stage, one per name of SECOND_STAGE_FEATURES. */
export interface SecondStageWeights {
  features: readonly string[];
  weights: readonly number[];
}

/** Throws when the weights were fitted on other features than this code computes. */
export function checkSecondStage(weights: SecondStageWeights): SecondStageWeights {
  if (
    weights.features.length !== SECOND_STAGE_FEATURES.length ||
    weights.features.some((f, i) => f !== SECOND_STAGE_FEATURES[i]) ||
    weights.weights.length !== SECOND_STAGE_FEATURES.length
  ) {
    throw new Error(
      "The fitted second-stage weights do not match the features this code computes: run `npm run fit` to fit them again.",
    );
  }
  return weights;
}

/**
 * The weights the engine ranks with, laid onto this code's features by name (as the answer
 * model's; a test holds fitted-second-stage.ts to them with `checkSecondStage`).
 */
export const SECOND_STAGE: SecondStageWeights = {
  features: [...SECOND_STAGE_FEATURES],
  weights: alignWeights(
    SECOND_STAGE_FEATURES,
    FITTED_SECOND_STAGE.features,
    FITTED_SECOND_STAGE.weights,
  ),
};

/** A passage's second-stage score under the weights. */
export function scoreSecondStage(
  features: readonly number[],
  weights: SecondStageWeights = SECOND_STAGE,
): number {
  return dot(weights.weights, features);
}
