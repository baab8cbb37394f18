import { describe, expect, it } from "vitest";
import { runLoadTest } from "../../scripts/loadtest.js";

describe("load (the npm run loadtest harness, small)", () => {
  it(
    "answers every question of 20 users exactly once and limits only the flooding users",
    { timeout: 120_000 },
    async () => {
      const report = await runLoadTest({
        users: 20,
        questionsPerUser: 5,
        ratePerSecond: 20,
        abusiveUsers: 3,
        floodSize: 20,
        drainTimeoutMs: 60_000,
      });
      expect(report.failures).toEqual([]);
      expect(report.lost).toBe(0);
      expect(report.limitedWellBehaved).toBe(0);
      expect(report.limitedAbusive).toBe(3);
      // Every well-behaved question answered, plus 5 answers and one notice per flooding user.
      expect(report.replies).toBeGreaterThanOrEqual(20 * 5 + 3 * 6);
    },
  );
});
