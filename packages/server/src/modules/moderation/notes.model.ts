import { mulberry32 } from '../../platform/random.ts';
/**
 * The bridging model of X's open-source Community Notes (github.com/twitter/communitynotes,
 * documentation/under-the-hood/ranking-notes.md and sourcecode/scoring/): each rating
 * (helpful 1, somewhat 0.5, not helpful 0) is predicted as
 *
 *     r̂(u, n) = μ + i_u + i_n + f_u · f_n
 *
 * with one-dimensional factors, fitted by gradient descent (Adam, full batch) on the mean
 * squared error plus L2 regularization, five times stronger on the intercepts (λ_i = 0.15)
 * than on the factors (λ_f = 0.03), as in matrix_factorization.py's _fit_model (penalties on
 * the mean of each parameter group's squares). The strong intercept penalty makes the factors
 * explain whatever one side likes and the other does not; only agreement across factor
 * values is left to the note's intercept, its helpfulness score.
 *
 * Status rules (mf_base_scorer.py, note_ratings.py): at least 5 ratings; Helpful when the
 * intercept is at least 0.40 and |f_n| < 0.5 (FilterLargeFactor, factorThreshold = 0.5);
 * Not Helpful below -0.05 - 0.8·|f_n|; a Helpful note keeps its status until the intercept
 * falls 0.01 under the threshold (CRH inertia). Everything else needs more ratings.
 */
export const NOTE_RULES = {
  minRatings: 5,
  helpfulIntercept: 0.4,
  maxFactor: 0.5,
  notHelpfulIntercept: -0.05,
  notHelpfulFactorSlope: 0.8,
  inertia: 0.01,
} as const;

export interface Rating {
  rater: number;
  note: number;
  value: number;
}

export interface Params {
  intercept: number;
  factor: number;
}

export interface Fit {
  mu: number;
  notes: Map<number, Params>;
  raters: Map<number, Params>;
  loss: number;
  epochs: number;
}

export interface FitOptions {
  lambdaIntercept: number;
  lambdaFactor: number;
  learningRate: number;
  maxEpochs: number;
  tolerance: number;
  seed: number;
}

export const DEFAULT_FIT: FitOptions = {
  lambdaIntercept: 0.15,
  lambdaFactor: 0.03,
  learningRate: 0.05,
  maxEpochs: 3000,
  tolerance: 1e-9,
  seed: 42,
};

export function fitBridging(ratings: Rating[], options: Partial<FitOptions> = {}): Fit {
  const o = { ...DEFAULT_FIT, ...options };
  const raterIds = [...new Set(ratings.map((r) => r.rater))];
  const noteIds = [...new Set(ratings.map((r) => r.note))];
  const ri = new Map(raterIds.map((id, i) => [id, i]));
  const ni = new Map(noteIds.map((id, i) => [id, i]));
  const U = raterIds.length;
  const N = noteIds.length;
  const K = ratings.length;
  if (!K) return { mu: 0, notes: new Map(), raters: new Map(), loss: 0, epochs: 0 };
  const rand = mulberry32(o.seed); // deterministic: a fit is reproducible
  // Parameters in one vector: [μ, i_u (U), i_n (N), f_u (U), f_n (N)].
  const P = 1 + 2 * U + 2 * N;
  const iu = 1;
  const inn = 1 + U;
  const fu = 1 + U + N;
  const fn = 1 + 2 * U + N;
  const w = new Float64Array(P);
  for (let j = fu; j < P; j++) w[j] = (rand() - 0.5) * 0.2;
  const rows = ratings.map((r) => [ri.get(r.rater)!, ni.get(r.note)!, r.value] as const);

  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const g = new Float64Array(P);
  const b1 = 0.9;
  const b2 = 0.999;
  let prev = Number.POSITIVE_INFINITY;
  let loss = 0;
  let epoch = 0;
  for (epoch = 1; epoch <= o.maxEpochs; epoch++) {
    g.fill(0);
    let sse = 0;
    for (const [u, n, r] of rows) {
      const pred = w[0]! + w[iu + u]! + w[inn + n]! + w[fu + u]! * w[fn + n]!;
      const e = pred - r;
      sse += e * e;
      const d = (2 * e) / K;
      g[0]! += d;
      g[iu + u]! += d;
      g[inn + n]! += d;
      g[fu + u]! += d * w[fn + n]!;
      g[fn + n]! += d * w[fu + u]!;
    }
    let reg = o.lambdaIntercept * w[0]! * w[0]!;
    g[0]! += 2 * o.lambdaIntercept * w[0]!;
    const group = (start: number, count: number, lambda: number) => {
      for (let j = start; j < start + count; j++) {
        reg += (lambda * w[j]! * w[j]!) / count;
        g[j]! += (2 * lambda * w[j]!) / count;
      }
    };
    group(iu, U, o.lambdaIntercept);
    group(inn, N, o.lambdaIntercept);
    group(fu, U, o.lambdaFactor);
    group(fn, N, o.lambdaFactor);
    loss = sse / K + reg;
    if (Math.abs(prev - loss) < o.tolerance) break;
    prev = loss;
    const c1 = 1 - b1 ** epoch;
    const c2 = 1 - b2 ** epoch;
    for (let j = 0; j < P; j++) {
      m[j] = b1 * m[j]! + (1 - b1) * g[j]!;
      v[j] = b2 * v[j]! + (1 - b2) * g[j]! * g[j]!;
      w[j]! -= (o.learningRate * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + 1e-8);
    }
  }
  return {
    mu: w[0]!,
    notes: new Map(noteIds.map((id, i) => [id, { intercept: w[inn + i]!, factor: w[fn + i]! }])),
    raters: new Map(raterIds.map((id, i) => [id, { intercept: w[iu + i]!, factor: w[fu + i]! }])),
    loss,
    epochs: epoch,
  };
}

export type NoteStatus = 'needs_more_ratings' | 'helpful' | 'not_helpful';

/** A note's status from its fitted parameters, its number of ratings and its previous status. */
export function noteStatus(p: Params | undefined, ratings: number, previous: NoteStatus): NoteStatus {
  const r = NOTE_RULES;
  if (!p || ratings < r.minRatings) return 'needs_more_ratings';
  const factor = Math.abs(p.factor);
  const threshold = previous === 'helpful' ? r.helpfulIntercept - r.inertia : r.helpfulIntercept;
  if (p.intercept >= threshold && factor < r.maxFactor) return 'helpful';
  if (p.intercept < r.notHelpfulIntercept - r.notHelpfulFactorSlope * factor) return 'not_helpful';
  return 'needs_more_ratings';
}
