/**
 * Which target samples lie where the reference has no data: each target row's distance to its k-th nearest
 * reference row, turned into a conformal p-value against the reference's own leave-one-out k-th-neighbour
 * distances: p = (1 + #{calibration scores ≥ s}) / (1 + n_reference). Small p = farther out than almost every
 * reference row is from the rest of the reference.
 *
 * Under no shift the p-values are close to uniform and slightly conservative (a target row's neighbours are
 * searched among n rows, a calibration row's among n − 1). Squared distances come from onnxruntime's Gemm as
 * ‖p‖² − 2 q·p (one Gemm, no elementwise passes), in blocks of about 8M entries of query rows × up to 32,768
 * reference rows — never an N×N matrix — and onnxruntime's TopK keeps the k smallest per row in the same graph
 * (nearestGraph.ts), so the block never reaches JavaScript; the query's ‖q‖² is added in float64 to the k kept.
 * Float32 blocks: distances between near-identical rows carry rounding of about 1e-3·‖x‖, harmless for ranks.
 * Problems of at most JS_MAX_WORK multiply-adds are scanned in JavaScript with direct differences.
 */
import { InputError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { checkTwoSamples } from '../../analysis/validateSamples.js';
import { rankingDistances, squaredNorms } from '../../linalg/distances.js';
import { JS_MAX_WORK } from '../../linalg/gemm.js';
import { rowRange } from '../../linalg/rowRange.js';
import { nearestSearch } from './nearestGraph.js';

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

/**
 * Distance entries per graph run (query rows × reference rows, float32 inside onnxruntime: 32 MB) and reference
 * rows per run; above that the reference is split and the k kept per part are merged.
 */
const BLOCK_ENTRIES = 8 * 1024 * 1024;
const POINT_BLOCK = 32768;
/** Rows per block of the JavaScript scan (small problems only). */
const SCAN_QUERY_BLOCK = 1024;
const SCAN_POINT_BLOCK = 4096;

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
 * points are the same matrix and each row's own index is skipped. `plan` (block sizes) changes the blocks, not the
 * values.
 */
export async function kthNeighbourDistances(
  queries: Matrix,
  points: Matrix,
  k: number,
  leaveOneOut: boolean,
  plan: { blockEntries: number; pointBlock: number } = { blockEntries: BLOCK_ENTRIES, pointBlock: POINT_BLOCK },
): Promise<Float64Array> {
  if (queries.rows * points.rows * queries.cols <= JS_MAX_WORK || queries.cols === 0)
    return kthByScan(queries, points, k, leaveOneOut);
  const qNorms = squaredNorms(queries);
  const pNorms = leaveOneOut ? qNorms : squaredNorms(points);
  // best[r*k .. r*k+k) holds the k smallest ranking distances of query row r so far, ascending.
  const best = new Float64Array(queries.rows * k).fill(Infinity);
  const pointBlocks = evenBlocks(points.rows, plan.pointBlock);
  for (let p0 = 0; p0 < points.rows; p0 += pointBlocks) {
    const p1 = Math.min(points.rows, p0 + pointBlocks);
    // Leaving one out, one more than k: the query's own column may be among them. The k smallest other values
    // of the block are always among the k + 1 smallest, whichever of several equal values TopK returned.
    const search = nearestSearch(points, p0, p1, pNorms.subarray(p0, p1), Math.min(leaveOneOut ? k + 1 : k, p1 - p0));
    const kk = search.k;
    const queryBlock = evenBlocks(queries.rows, Math.max(1, Math.floor(plan.blockEntries / (p1 - p0))));
    for (let q0 = 0; q0 < queries.rows; q0 += queryBlock) {
      const q1 = Math.min(queries.rows, q0 + queryBlock);
      const { values, indices } = await search.smallest(queries, q0, q1);
      for (let r = 0; r < q1 - q0; r++) {
        const slot = (q0 + r) * k;
        const self = leaveOneOut ? q0 + r - p0 : -1;
        for (let c = 0; c < kk; c++) {
          const value = values[r * kk + c];
          if (value >= best[slot + k - 1]) break; // ascending: the rest are no smaller
          if (self >= 0 && Number(indices[r * kk + c]) === self) continue;
          let pos = k - 1;
          while (pos > 0 && best[slot + pos - 1] > value) {
            best[slot + pos] = best[slot + pos - 1];
            pos--;
          }
          best[slot + pos] = value;
        }
      }
    }
  }
  const out = new Float64Array(queries.rows);
  for (let r = 0; r < queries.rows; r++) out[r] = Math.sqrt(Math.max(qNorms[r] + best[r * k + k - 1], 0));
  return out;
}

/** Block length ≤ max that splits n into equal parts (the last at most one part shorter): no sliver blocks. */
function evenBlocks(n: number, max: number): number {
  return Math.ceil(n / Math.ceil(n / max));
}

/**
 * The JavaScript scan over distance blocks of 1024 × 4096 (rankingDistances: Gemm blocks, or direct differences for
 * blocks of at most JS_MAX_WORK): the path for small problems, and the reference the graph path is tested against.
 */
export async function kthByScan(
  queries: Matrix,
  points: Matrix,
  k: number,
  leaveOneOut: boolean,
): Promise<Float64Array> {
  const qNorms = squaredNorms(queries);
  const pNorms = leaveOneOut ? qNorms : squaredNorms(points);
  const out = new Float64Array(queries.rows);
  // best[r*k .. r*k+k) holds the k smallest squared distances of query row r so far, ascending.
  const best = new Float64Array(SCAN_QUERY_BLOCK * k);
  for (let q0 = 0; q0 < queries.rows; q0 += SCAN_QUERY_BLOCK) {
    const qn = Math.min(SCAN_QUERY_BLOCK, queries.rows - q0);
    best.fill(Infinity);
    for (let p0 = 0; p0 < points.rows; p0 += SCAN_POINT_BLOCK) {
      const pn = Math.min(SCAN_POINT_BLOCK, points.rows - p0);
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
