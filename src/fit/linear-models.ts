/**
 * The two small linear models the answer path is fitted with, trained by full-batch gradient
 * descent with Adam and an L2 penalty. Hand-written: a ranking model over the sentences of one
 * question (a conditional logit) is not what the maintained JavaScript ML packages offer, and both
 * models together are a few dozen lines over arrays of twenty numbers.
 */

/** The candidates of one question: their features, and which of them answer it. */
export interface RankingGroup {
  features: readonly (readonly number[])[];
  positive: readonly boolean[];
  /** The group's weight in the loss. Defaults to 1. */
  weight?: number;
}

/** One example of a binary outcome, with its weight in the loss. */
export interface BinaryExample {
  x: readonly number[];
  y: 0 | 1;
  weight: number;
}

/** Options of a fit. */
export interface FitOptions {
  /** L2 penalty on the weights. Defaults to 0.001. */
  l2?: number;
  /** Full-batch steps. Defaults to 600. */
  steps?: number;
  /** Adam's step size. Defaults to 0.05. */
  learningRate?: number;
}

/** Adam's state over a parameter vector. */
function adam(size: number, learningRate: number): (params: number[], grad: number[]) => void {
  const m = new Array<number>(size).fill(0);
  const v = new Array<number>(size).fill(0);
  let t = 0;
  return (params, grad) => {
    t++;
    for (let i = 0; i < size; i++) {
      const g = grad[i] ?? 0;
      m[i] = 0.9 * (m[i] ?? 0) + 0.1 * g;
      v[i] = 0.999 * (v[i] ?? 0) + 0.001 * g * g;
      const mh = (m[i] ?? 0) / (1 - 0.9 ** t);
      const vh = (v[i] ?? 0) / (1 - 0.999 ** t);
      params[i] = (params[i] ?? 0) - (learningRate * mh) / (Math.sqrt(vh) + 1e-8);
    }
  };
}

/**
 * Weights fitted on the features `fittedNames`, laid onto the features `names` by name: a feature
 * the fit has not seen weighs 0, and one the code no longer computes is dropped. This lets `npm
 * run fit` start, and compare against the current model, after the features change.
 */
export function alignWeights(
  names: readonly string[],
  fittedNames: readonly string[],
  fittedWeights: readonly number[],
): number[] {
  return names.map((name) => {
    const at = fittedNames.indexOf(name);
    return at < 0 ? 0 : (fittedWeights[at] ?? 0);
  });
}

/** A linear model's score: the weights times the features, summed (a missing weight counts 0). */
export function dot(w: readonly number[], x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (w[i] ?? 0) * (x[i] ?? 0);
  return s;
}

/**
 * Fits weights that rank, within each group, the positive candidates above the others: the
 * likelihood that the softmax over a group's scores picks a positive one. Groups without a
 * positive candidate carry no information and are skipped. Throws when no group has one.
 */
export function fitRanking(
  groups: readonly RankingGroup[],
  size: number,
  options: FitOptions = {},
): number[] {
  const usable = groups.filter((g) => g.positive.some(Boolean) && g.features.length > 1);
  if (usable.length === 0) throw new Error("fitRanking: no group has a positive candidate");
  const l2 = options.l2 ?? 0.001;
  const w = new Array<number>(size).fill(0);
  const step = adam(size, options.learningRate ?? 0.05);
  const total = usable.reduce((a, g) => a + (g.weight ?? 1), 0);
  for (let s = 0; s < (options.steps ?? 600); s++) {
    const grad = w.map((x) => l2 * x);
    for (const g of usable) {
      const weight = (g.weight ?? 1) / total;
      const scores = g.features.map((f) => dot(w, f));
      const max = Math.max(...scores);
      const exp = scores.map((x) => Math.exp(x - max));
      const all = exp.reduce((a, b) => a + b, 0);
      const pos = exp.reduce((a, e, i) => a + (g.positive[i] ? e : 0), 0);
      // d(-log(pos/all))/dw = Σ p_i f_i − Σ_{positive} (e_i/pos) f_i
      g.features.forEach((f, i) => {
        const coef = (exp[i] ?? 0) / all - (g.positive[i] ? (exp[i] ?? 0) / pos : 0);
        for (let k = 0; k < size; k++) grad[k] = (grad[k] ?? 0) + coef * weight * (f[k] ?? 0);
      });
    }
    step(w, grad);
  }
  return w;
}

/** Fits a weighted logistic regression; returns the weights and the bias. */
export function fitLogistic(
  examples: readonly BinaryExample[],
  size: number,
  options: FitOptions = {},
): { weights: number[]; bias: number } {
  if (examples.length === 0) throw new Error("fitLogistic: no examples");
  const l2 = options.l2 ?? 0.001;
  const params = new Array<number>(size + 1).fill(0);
  const step = adam(size + 1, options.learningRate ?? 0.05);
  const total = examples.reduce((a, e) => a + e.weight, 0);
  for (let s = 0; s < (options.steps ?? 600); s++) {
    const grad = params.map((x, i) => (i < size ? l2 * x : 0));
    for (const e of examples) {
      const z = dot(params, e.x) + (params[size] ?? 0);
      const p = 1 / (1 + Math.exp(-z));
      const coef = ((p - e.y) * e.weight) / total;
      for (let k = 0; k < size; k++) grad[k] = (grad[k] ?? 0) + coef * (e.x[k] ?? 0);
      grad[size] = (grad[size] ?? 0) + coef;
    }
    step(params, grad);
  }
  return { weights: params.slice(0, size), bias: params[size] ?? 0 };
}
