/** Small numeric helpers of the benchmark: percentiles and latency summaries. */

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * The q-quantile (0 <= q <= 1) of `values` by the nearest-rank method: the smallest value with at
 * least q of the values at or below it. Returns NaN for an empty list; throws when q is outside [0, 1].
 */
export function percentile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new Error(`percentile: q must be within [0, 1], got ${q}.`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Summarises latencies (ms) as mean, p50, p95, p99 and max; NaN fields for an empty list. Never throws. */
export function summarizeLatencies(values: readonly number[]): LatencySummary {
  const mean = values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
  return {
    count: values.length,
    meanMs: mean,
    p50Ms: percentile(values, 0.5),
    p95Ms: percentile(values, 0.95),
    p99Ms: percentile(values, 0.99),
    maxMs: values.length === 0 ? Number.NaN : Math.max(...values),
  };
}

/**
 * Our figure as a ratio to theirs (ours / theirs), or undefined when either is missing, not
 * finite, or theirs is zero. Never throws.
 */
export function ratio(ours: number | undefined, theirs: number | undefined): number | undefined {
  if (ours === undefined || theirs === undefined) return undefined;
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return undefined;
  return ours / theirs;
}

/**
 * Takes `count` questions, mixing two lists evenly (the dev set's questions spread through the
 * generated ones) and cycling either list when it runs short. Throws when both lists are empty.
 */
export function mixQuestions(
  dev: readonly string[],
  generated: readonly string[],
  count: number,
): string[] {
  if (dev.length === 0 && generated.length === 0) {
    throw new Error("mixQuestions: no questions to mix; check the dev set and questions.jsonl.");
  }
  const devShare =
    generated.length === 0 ? 1 : dev.length === 0 ? 0 : Math.min(0.5, dev.length / count);
  const out: string[] = [];
  let d = 0;
  let g = 0;
  for (let i = 0; i < count; i++) {
    // Spread dev questions evenly: take one whenever the running share falls behind.
    const takeDev = devShare > 0 && (d < devShare * (i + 1) || devShare === 1);
    if (takeDev) out.push(dev[d++ % dev.length] ?? "");
    else out.push(generated[g++ % generated.length] ?? "");
  }
  return out;
}
