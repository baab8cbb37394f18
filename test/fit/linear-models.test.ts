import { describe, expect, it } from "vitest";
import { fitLogistic, fitRanking } from "../../src/fit/linear-models.js";
import { createRng } from "../../src/corpus/prng.js";

describe("fitRanking", () => {
  it("learns which feature marks the answering candidate of each group", () => {
    const rng = createRng(7);
    const rand = () => rng.next();
    // Feature 0 is noise, feature 1 is higher on the positive candidate.
    const groups = Array.from({ length: 200 }, () => {
      const features = Array.from({ length: 5 }, () => [rand(), rand() * 0.5]);
      const at = Math.floor(rand() * 5);
      features[at] = [rand(), 0.5 + rand() * 0.5];
      return { features, positive: features.map((_, i) => i === at) };
    });
    const w = fitRanking(groups, 2);
    expect(w[1]).toBeGreaterThan(2);
    expect(Math.abs(w[0] ?? 0)).toBeLessThan((w[1] ?? 0) / 4);
  });

  it("weighs groups by their weight", () => {
    // Two groups that disagree: the heavier one wins.
    const a = { features: [[1], [0]], positive: [true, false], weight: 5 };
    const b = { features: [[1], [0]], positive: [false, true], weight: 1 };
    expect(fitRanking([a, b], 1)[0]).toBeGreaterThan(0);
    expect(
      fitRanking(
        [
          { ...a, weight: 1 },
          { ...b, weight: 5 },
        ],
        1,
      )[0],
    ).toBeLessThan(0);
  });

  it("refuses groups without a positive candidate", () => {
    expect(() => fitRanking([{ features: [[1], [2]], positive: [false, false] }], 1)).toThrow(
      /no group has a positive candidate/u,
    );
  });
});

describe("fitLogistic", () => {
  it("separates two classes by the feature that tells them apart", () => {
    const rng = createRng(11);
    const rand = () => rng.next();
    const examples = Array.from({ length: 400 }, (_, i) => {
      const y = (i % 2) as 0 | 1;
      return { x: [y === 1 ? 1 + rand() : rand() - 1, rand()], y, weight: 1 };
    });
    const { weights, bias } = fitLogistic(examples, 2);
    const p = (x: number[]) =>
      1 /
      (1 + Math.exp(-((weights[0] ?? 0) * (x[0] ?? 0) + (weights[1] ?? 0) * (x[1] ?? 0) + bias)));
    expect(p([1.5, 0.5])).toBeGreaterThan(0.9);
    expect(p([-0.5, 0.5])).toBeLessThan(0.1);
  });
});
