/**
 * Do one side's rows come in clusters that the user should declare with --group-column? The signal is the
 * SERIAL SIMILARITY of the file order: rows of one document, thread or conversation are usually stored next to
 * each other, so consecutive rows are more alike than rows drawn at random. With rows centred on the side's mean
 * and scaled to unit length,
 *   serial = mean over i of cos(x_i, x_{i+1}),   excess = (serial − mean_random) / (1 − mean_random),
 * where mean_random is the mean cosine over random pairs (the permutation mean); excess is the share of the way
 * from "unrelated" to "identical" that neighbours in the file are, an intraclass correlation of the order.
 * p-value: P random reorderings of the rows, (1 + #{serial_perm ≥ serial}) / (1 + P). A warning is raised when
 * p ≤ 0.01 and excess ≥ 0.05 (measured: the first 600 SOTU 1946–1989 passages in file order, whose addresses are the
 * clusters, give an excess of 0.43 (p = 0.005); the same corpus shuffled −0.006 and UCI yelp sentences 0.005 (p =
 * 0.26), test/twosample/rowClustering.test.ts).
 * It cannot see clusters whose rows were shuffled before reaching shiftlens; a declared group column is the sure way.
 * At most `maxRows` consecutive rows are used (the first ones).
 */
import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';

export interface RowClustering {
  rows: number;
  serialSimilarity: number;
  randomPairSimilarity: number;
  excess: number;
  pValue: number;
  clustered: boolean;
}

export const CLUSTERING_MAX_P = 0.01;
export const CLUSTERING_MIN_EXCESS = 0.05;

export function detectRowClustering(
  m: Matrix,
  rng: Rng,
  options: { permutations?: number; maxRows?: number } = {},
): RowClustering | null {
  const permutations = options.permutations ?? 199;
  const n = Math.min(m.rows, options.maxRows ?? 3000);
  const d = m.cols;
  if (n < 10) return null;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += m.data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const unit = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let j = 0; j < d; j++) {
      const v = m.data[i * d + j] - mean[j];
      unit[i * d + j] = v;
      ss += v * v;
    }
    const norm = Math.sqrt(ss);
    if (norm > 0) for (let j = 0; j < d; j++) unit[i * d + j] /= norm;
  }
  const serialOf = (order: ArrayLike<number>): number => {
    let s = 0;
    for (let k = 0; k + 1 < n; k++) {
      const a = order[k] * d;
      const b = order[k + 1] * d;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += unit[a + j] * unit[b + j];
      s += dot;
    }
    return s / (n - 1);
  };
  const identity = Uint32Array.from({ length: n }, (_, i) => i);
  const observed = serialOf(identity);
  const order = Uint32Array.from(identity);
  let atLeast = 0;
  let sum = 0;
  for (let p = 0; p < permutations; p++) {
    rng.shuffle(order);
    const value = serialOf(order);
    sum += value;
    if (value >= observed - 1e-12) atLeast++;
  }
  const randomPairSimilarity = sum / permutations;
  const excess = randomPairSimilarity < 1 ? (observed - randomPairSimilarity) / (1 - randomPairSimilarity) : 0;
  const pValue = (1 + atLeast) / (1 + permutations);
  return {
    rows: n,
    serialSimilarity: observed,
    randomPairSimilarity,
    excess,
    pValue,
    clustered: pValue <= CLUSTERING_MAX_P && excess >= CLUSTERING_MIN_EXCESS,
  };
}
