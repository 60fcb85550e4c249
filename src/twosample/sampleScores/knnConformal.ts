/**
 * Which target samples lie where the reference has no data: each target row's distance to its k-th nearest
 * reference row, turned into a conformal p-value against the reference's own leave-one-out k-th-neighbour
 * distances: p = (1 + #{calibration scores ≥ s}) / (1 + n_reference). Small p = farther out than almost every
 * reference row is from the rest of the reference.
 *
 * Under no shift the p-values are close to uniform and slightly conservative (a target row's neighbours are
 * searched among n rows, a calibration row's among n − 1). Squared distances come in blocks of 1024 × 4096 rows
 * from onnxruntime's Gemm (src/linalg/distances.ts) — never an N×N matrix — keeping only the k smallest per row;
 * the block holds ‖p‖² − 2 q·p (one Gemm, no elementwise passes) and the query's ‖q‖² is added to the k kept.
 * Float32 blocks: distances between near-identical rows carry rounding of about 1e-3·‖x‖, harmless for ranks.
 */
import { InputError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { checkTwoSamples } from '../../analysis/validateSamples.js';
import { rankingDistances, squaredNorms } from '../../linalg/distances.js';
import { rowRange } from '../../linalg/rowRange.js';

export interface KnnConformalScores {
  /** Distance from each target row to its k-th nearest reference row. */
  distance: Float64Array;
  /** Conformal p-value of each target row's distance. */
  pValue: Float64Array;
  /** Neighbour rank used (min(k, n_reference − 1)). */
  k: number;
  /** Leave-one-out k-th-neighbour distances of the reference rows (the calibration scores). */
  calibration: Float64Array;
}

/** Rows per distance block: 1024 × 4096 float32 = 16 MB, large enough for Gemm to run at full speed. */
const QUERY_BLOCK = 1024;
const REFERENCE_BLOCK = 4096;

export async function knnConformalScores(reference: Matrix, target: Matrix, k = 5): Promise<KnnConformalScores> {
  checkTwoSamples(reference, target, 'knn scores');
  if (!Number.isInteger(k) || k < 1) throw new InputError(`knn scores: k must be a positive integer, got ${k}`);
  const kUsed = Math.min(k, reference.rows - 1);
  const calibration = await kthNeighbourDistances(reference, reference, kUsed, true);
  const distance = await kthNeighbourDistances(target, reference, kUsed, false);
  const sorted = Float64Array.from(calibration).sort();
  const n = sorted.length;
  const pValue = new Float64Array(distance.length);
  for (let i = 0; i < distance.length; i++) {
    const atLeast = n - lowerBound(sorted, distance[i]);
    pValue[i] = (1 + atLeast) / (1 + n);
  }
  return { distance, pValue, k: kUsed, calibration };
}

/**
 * For each row of `queries`, the distance to its k-th nearest row of `points`. With `leaveOneOut`, queries and
 * points are the same matrix and each row's own index is skipped.
 */
export async function kthNeighbourDistances(
  queries: Matrix,
  points: Matrix,
  k: number,
  leaveOneOut: boolean,
): Promise<Float64Array> {
  const qNorms = squaredNorms(queries);
  const pNorms = leaveOneOut ? qNorms : squaredNorms(points);
  const out = new Float64Array(queries.rows);
  // best[r*k .. r*k+k) holds the k smallest squared distances of query row r so far, ascending.
  const best = new Float64Array(QUERY_BLOCK * k);
  for (let q0 = 0; q0 < queries.rows; q0 += QUERY_BLOCK) {
    const qn = Math.min(QUERY_BLOCK, queries.rows - q0);
    best.fill(Infinity);
    for (let p0 = 0; p0 < points.rows; p0 += REFERENCE_BLOCK) {
      const pn = Math.min(REFERENCE_BLOCK, points.rows - p0);
      // ‖p‖² − 2 q·p: the row's ‖q‖² is added to the k values kept, not to the whole block.
      const block = await rankingDistances(
        rowRange(queries, q0, q0 + qn),
        rowRange(points, p0, p0 + pn),
        pNorms.subarray(p0, p0 + pn),
      );
      const sq = block.data;
      for (let r = 0; r < qn; r++) {
        const slot = r * k;
        const self = leaveOneOut ? q0 + r - p0 : -1;
        let worst = best[slot + k - 1];
        const row = r * pn;
        for (let c = 0; c < pn; c++) {
          const value = sq[row + c];
          if (value < worst && c !== self) {
            // Insert into the ascending list of k.
            let pos = k - 1;
            while (pos > 0 && best[slot + pos - 1] > value) {
              best[slot + pos] = best[slot + pos - 1];
              pos--;
            }
            best[slot + pos] = value;
            worst = best[slot + k - 1];
          }
        }
      }
    }
    for (let r = 0; r < qn; r++) out[q0 + r] = Math.sqrt(Math.max(qNorms[q0 + r] + best[r * k + k - 1], 0));
  }
  return out;
}

/** First index whose value is ≥ x (sorted ascending). */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
