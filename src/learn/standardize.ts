/**
 * Per-feature standardisation fitted on training rows only (so held-out rows never inform it), stored in float64.
 * Constant features get scale 1: they become all-zero columns and drop out of the model instead of dividing by 0.
 */
import type { Matrix } from '../core/matrix.js';

export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

export function fitStandardizer(x: Matrix, rows: ArrayLike<number>): Standardizer {
  const d = x.cols;
  const mean = new Float64Array(d);
  const sumSq = new Float64Array(d);
  const n = rows.length;
  for (let k = 0; k < n; k++) {
    const offset = rows[k] * d;
    for (let j = 0; j < d; j++) mean[j] += x.data[offset + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= Math.max(n, 1);
  for (let k = 0; k < n; k++) {
    const offset = rows[k] * d;
    for (let j = 0; j < d; j++) {
      const c = x.data[offset + j] - mean[j];
      sumSq[j] += c * c;
    }
  }
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(sumSq[j] / Math.max(n, 1));
    // Relative threshold: float32 rounding leaves tiny spreads on columns that are constant in truth.
    scale[j] = sd > 1e-7 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
  }
  return { mean, scale };
}

/** The identity transform (for callers that want the raw features). */
export function identityStandardizer(d: number): Standardizer {
  return { mean: new Float64Array(d), scale: new Float64Array(d).fill(1) };
}

/** Standardised copy of the given rows, row-major float64. */
export function standardizeRows(x: Matrix, rows: ArrayLike<number>, s: Standardizer): Float64Array {
  const d = x.cols;
  const out = new Float64Array(rows.length * d);
  for (let k = 0; k < rows.length; k++) {
    const from = rows[k] * d;
    const to = k * d;
    for (let j = 0; j < d; j++) out[to + j] = (x.data[from + j] - s.mean[j]) / s.scale[j];
  }
  return out;
}
