/**
 * Gaussian-kernel bandwidth σ by the median heuristic: the median Euclidean distance between distinct points of
 * the pooled sample (on a seeded subsample of at most `maxPoints`, so the cost is bounded for any N). A zero
 * median (mostly duplicate points) falls back to σ = 1 and says so, so kernels never divide by zero.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/random.js';
import { matmul } from '../../linalg/gemm.js';

/** 'median' (default), a multiplier of the median distance, or an explicit σ. */
export type BandwidthOption = 'median' | { multiplier: number } | { sigma: number };

export interface Bandwidth {
  sigma: number;
  /** Median pairwise distance on the subsample (NaN-free: 0 when all points coincide). */
  medianDistance: number;
  rule: 'median' | 'median×multiplier' | 'explicit';
  /** True when the median was 0 and σ fell back to 1. */
  fallback: boolean;
  /** Points the median was taken over. */
  points: number;
}

export const MEDIAN_HEURISTIC_MAX_POINTS = 2000;

export async function chooseBandwidth(
  samples: Matrix[],
  option: BandwidthOption,
  rng: Rng,
  maxPoints = MEDIAN_HEURISTIC_MAX_POINTS,
): Promise<Bandwidth> {
  if (typeof option === 'object' && 'sigma' in option) {
    if (!(option.sigma > 0) || !Number.isFinite(option.sigma)) throw new RangeError(`bandwidth: σ must be positive and finite, got ${option.sigma}`);
    return { sigma: option.sigma, medianDistance: Number.NaN, rule: 'explicit', fallback: false, points: 0 };
  }
  const multiplier = typeof option === 'object' ? option.multiplier : 1;
  if (!(multiplier > 0) || !Number.isFinite(multiplier)) throw new RangeError(`bandwidth: multiplier must be positive and finite, got ${multiplier}`);
  const pooled = pooledSubsample(samples, maxPoints, rng);
  const medianDistance = Math.sqrt(medianPairwiseSquaredDistance(await gramOf(pooled), rowNorms(pooled)));
  const fallback = !(medianDistance > 0);
  return {
    sigma: fallback ? 1 : medianDistance * multiplier,
    medianDistance,
    rule: multiplier === 1 ? 'median' : 'median×multiplier',
    fallback,
    points: pooled.rows,
  };
}

/** Up to maxPoints rows drawn without replacement from the stacked samples, centred (distances are unchanged, float32 cancellation shrinks). */
function pooledSubsample(samples: Matrix[], maxPoints: number, rng: Rng): Matrix {
  const total = samples.reduce((s, m) => s + m.rows, 0);
  const d = samples[0].cols;
  const picked = total > maxPoints ? rng.sample(total, maxPoints).sort() : Uint32Array.from({ length: total }, (_, i) => i);
  const out = createMatrix(picked.length, d);
  let side = 0;
  let offset = 0;
  for (let r = 0; r < picked.length; r++) {
    let index = picked[r] - offset;
    while (index >= samples[side].rows) {
      offset += samples[side].rows;
      index -= samples[side].rows;
      side++;
    }
    out.data.set(samples[side].data.subarray(index * d, (index + 1) * d), r * d);
  }
  const mean = new Float64Array(d);
  for (let r = 0; r < out.rows; r++) for (let j = 0; j < d; j++) mean[j] += out.data[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(out.rows, 1);
  for (let r = 0; r < out.rows; r++) for (let j = 0; j < d; j++) out.data[r * d + j] -= mean[j];
  return out;
}

function gramOf(m: Matrix): Promise<Matrix> {
  return matmul(m, m, { transposeB: true });
}

function rowNorms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j] ** 2;
    out[i] = s;
  }
  return out;
}

function medianPairwiseSquaredDistance(gram: Matrix, norms: Float64Array): number {
  const n = gram.rows;
  const values = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) values[k++] = Math.max(0, norms[i] + norms[j] - 2 * gram.data[i * n + j]);
  }
  return median(values);
}

/** Median (mean of the two middle values for even length) by quickselect; reorders `values`. */
export function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const hi = select(values, n >> 1);
  if (n % 2 === 1) return hi;
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (values[i] > lo) lo = values[i];
  return (lo + hi) / 2;
}

/** Hoare-style quickselect: afterwards values[k] is the k-th smallest and everything before it is ≤ it. */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const pivot = values[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k];
}
