/**
 * Gaussian-kernel bandwidth by the median heuristic (Gretton et al. 2012): σ = the median Euclidean distance
 * between distinct pairs of the pooled sample, kernel k(x, y) = exp(−‖x − y‖² / (2σ²)). Above `maxPoints` pooled
 * rows the median is taken over a seeded subsample of that many rows (all their pairs), which estimates it to
 * well under a percent. Degenerate data fall back instead of giving σ = 0: first to the median of the non-zero
 * distances (many duplicate rows), then to σ = 1 when every row is identical (any σ then gives MMD² = 0).
 */
import type { Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/random.js';
import { sampleRows } from '../../core/matrix.js';
import { squaredDistances } from '../../linalg/distances.js';
import { selectKth } from './selectKth.js';

export const MEDIAN_HEURISTIC_MAX_POINTS = 2000;

export interface BandwidthChoice {
  sigma: number;
  /** Rows whose pairwise distances gave the median. */
  pointsUsed: number;
  /** Set when the plain median was zero and a fallback was used; says which. */
  fallback?: string;
}

export async function medianHeuristic(
  pooled: Matrix,
  rng: Rng,
  maxPoints = MEDIAN_HEURISTIC_MAX_POINTS,
): Promise<BandwidthChoice> {
  const rows = sampleRows(pooled, maxPoints, rng);
  const n = rows.rows;
  const d2 = await squaredDistances(rows, rows);
  const pairs = new Float32Array((n * (n - 1)) / 2);
  let k = 0;
  let nonZero = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = d2.data[i * n + j];
      pairs[k++] = v;
      if (v > 0) nonZero++;
    }
  }
  const median = Math.sqrt(selectKth(pairs, (pairs.length - 1) >> 1));
  if (median > 0) return { sigma: median, pointsUsed: n };
  if (nonZero > 0) {
    const positive = pairs.filter((v) => v > 0);
    return {
      sigma: Math.sqrt(selectKth(positive, (positive.length - 1) >> 1)),
      pointsUsed: n,
      fallback: 'median pairwise distance was 0 (mostly duplicate rows): used the median of the non-zero distances',
    };
  }
  return {
    sigma: 1,
    pointsUsed: n,
    fallback: 'all rows identical (every distance 0): used σ = 1, which gives MMD² = 0 as any σ would',
  };
}
