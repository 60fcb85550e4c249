/**
 * Which target samples lie where the reference has no data: each target row's distance to its k-th nearest
 * reference row, turned into a conformal p-value against the reference's own leave-one-out k-th-neighbour
 * distances: p = (1 + #{calibration scores ≥ s}) / (1 + n_reference). Small p = farther out than almost every
 * reference row is from the rest of the reference.
 *
 * Under no shift the p-values are close to uniform and slightly conservative (a target row's neighbours are
 * searched among n rows, a calibration row's among n − 1). Distances are computed in blocks of rows — never an
 * N×N matrix — keeping only the k smallest per row.
 */
import { InputError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { checkTwoSamples } from '../../analysis/validateSamples.js';

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

const QUERY_BLOCK = 256;
const REFERENCE_BLOCK = 1024;

export async function knnConformalScores(reference: Matrix, target: Matrix, k = 5): Promise<KnnConformalScores> {
  checkTwoSamples(reference, target, 'knn scores');
  if (!Number.isInteger(k) || k < 1) throw new InputError(`knn scores: k must be a positive integer, got ${k}`);
  const kUsed = Math.min(k, reference.rows - 1);
  const calibration = kthNeighbourDistances(reference, reference, kUsed, true);
  const distance = kthNeighbourDistances(target, reference, kUsed, false);
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
export function kthNeighbourDistances(queries: Matrix, points: Matrix, k: number, leaveOneOut: boolean): Float64Array {
  const d = queries.cols;
  const qNorms = squaredNorms(queries);
  const pNorms = leaveOneOut ? qNorms : squaredNorms(points);
  const out = new Float64Array(queries.rows);
  // best[r*k .. r*k+k) holds the k smallest squared distances of query row r so far, ascending.
  const best = new Float64Array(QUERY_BLOCK * k);
  const dots = new Float64Array(QUERY_BLOCK * REFERENCE_BLOCK);
  for (let q0 = 0; q0 < queries.rows; q0 += QUERY_BLOCK) {
    const qn = Math.min(QUERY_BLOCK, queries.rows - q0);
    best.fill(Infinity);
    for (let p0 = 0; p0 < points.rows; p0 += REFERENCE_BLOCK) {
      const pn = Math.min(REFERENCE_BLOCK, points.rows - p0);
      dotBlock(queries, q0, qn, points, p0, pn, d, dots);
      for (let r = 0; r < qn; r++) {
        const qi = q0 + r;
        const slot = r * k;
        let worst = best[slot + k - 1];
        for (let c = 0; c < pn; c++) {
          const pi = p0 + c;
          if (leaveOneOut && pi === qi) continue;
          const sq = qNorms[qi] + pNorms[pi] - 2 * dots[r * pn + c];
          if (sq < worst) {
            // Insert into the ascending list of k.
            let pos = k - 1;
            while (pos > 0 && best[slot + pos - 1] > sq) {
              best[slot + pos] = best[slot + pos - 1];
              pos--;
            }
            best[slot + pos] = sq;
            worst = best[slot + k - 1];
          }
        }
      }
    }
    for (let r = 0; r < qn; r++) out[q0 + r] = Math.sqrt(Math.max(best[r * k + k - 1], 0));
  }
  return out;
}

function squaredNorms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    const off = i * m.cols;
    for (let j = 0; j < m.cols; j++) s += m.data[off + j] * m.data[off + j];
    out[i] = s;
  }
  return out;
}

/** dots[r*pn + c] = queries[q0 + r] · points[p0 + c]. */
function dotBlock(queries: Matrix, q0: number, qn: number, points: Matrix, p0: number, pn: number, d: number, dots: Float64Array): void {
  const qa = queries.data;
  const pa = points.data;
  for (let r = 0; r < qn; r++) {
    const qo = (q0 + r) * d;
    for (let c = 0; c < pn; c++) {
      const po = (p0 + c) * d;
      let s0 = 0;
      let s1 = 0;
      let j = 0;
      for (; j + 1 < d; j += 2) {
        s0 += qa[qo + j] * pa[po + j];
        s1 += qa[qo + j + 1] * pa[po + j + 1];
      }
      if (j < d) s0 += qa[qo + j] * pa[po + j];
      dots[r * pn + c] = s0 + s1;
    }
  }
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
