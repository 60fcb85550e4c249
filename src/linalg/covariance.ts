/**
 * Column means and sample covariance (ddof = 1) of a row-major float32 matrix, accumulated in float64.
 * Rows are centred first, in blocks, so the sum of products never suffers the cancellation of E[xxᵀ] − μμᵀ.
 * Large inputs go through onnxruntime's Gemm (scatterMatrixFast).
 */
import type { Matrix } from '../core/matrix.js';
import { matmul } from './gemm.js';
import { centredRowRange } from './rowRange.js';

export function columnMeans(x: Matrix): Float64Array {
  const { rows, cols, data } = x;
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const off = i * cols;
    for (let j = 0; j < cols; j++) mean[j] += data[off + j];
  }
  if (rows > 0) for (let j = 0; j < cols; j++) mean[j] /= rows;
  return mean;
}

const BLOCK_ROWS = 64;

/**
 * Σ (x_i − μ)(x_i − μ)ᵀ over the rows (the scatter matrix), d×d row-major, for rows [start, end) of x.
 * A block of centred rows is held column-major so the inner product loop is contiguous.
 */
export function scatterMatrix(x: Matrix, mean: ArrayLike<number>, start = 0, end = x.rows): Float64Array {
  const d = x.cols;
  const out = new Float64Array(d * d);
  const block = new Float64Array(d * BLOCK_ROWS);
  for (let r0 = start; r0 < end; r0 += BLOCK_ROWS) {
    const b = Math.min(BLOCK_ROWS, end - r0);
    for (let r = 0; r < b; r++) {
      const off = (r0 + r) * d;
      for (let j = 0; j < d; j++) block[j * b + r] = x.data[off + j] - mean[j];
    }
    for (let i = 0; i < d; i++) {
      const bi = i * b;
      const row = i * d;
      for (let j = i; j < d; j++) {
        const bj = j * b;
        let s = 0;
        for (let r = 0; r < b; r++) s += block[bi + r] * block[bj + r];
        out[row + j] += s;
      }
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) out[i * d + j] = out[j * d + i];
  return out;
}

/** Sample mean and covariance (divisor n − 1; n = 1 gives a zero matrix). */
export function meanAndCovariance(x: Matrix): { mean: Float64Array; covariance: Float64Array } {
  const mean = columnMeans(x);
  const covariance = scatterMatrix(x, mean);
  const divisor = Math.max(x.rows - 1, 1);
  for (let i = 0; i < covariance.length; i++) covariance[i] /= divisor;
  return { mean, covariance };
}

/** Sum of the diagonal of a row-major n×n matrix. */
export function trace(a: ArrayLike<number>, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i];
  return t;
}

/** Work (rows·d²) above which the scatter matrix goes through onnxruntime's Gemm instead of the JS loop. */
export const GEMM_SCATTER_MIN_WORK = 2e7;
/** Rows per Gemm call: bounds the centred float32 copy (16k × 1024 × 4 B = 64 MB at most). */
const GEMM_CHUNK_ROWS = 16_384;

/**
 * The scatter matrix Σ (x_i − μ)(x_i − μ)ᵀ, via Gemm on chunks of centred rows when the work is large
 * (float32 products inside a chunk, float64 sums across chunks), else via scatterMatrix.
 */
export async function scatterMatrixFast(x: Matrix, mean: ArrayLike<number>): Promise<Float64Array> {
  const d = x.cols;
  if (x.rows * d * d < GEMM_SCATTER_MIN_WORK) return scatterMatrix(x, mean);
  const out = new Float64Array(d * d);
  for (let start = 0; start < x.rows; start += GEMM_CHUNK_ROWS) {
    const rows = Math.min(GEMM_CHUNK_ROWS, x.rows - start);
    const centred = centredRowRange(x, mean, start, rows);
    const block = await matmul(centred, centred, { transposeA: true });
    for (let t = 0; t < d * d; t++) out[t] += block.data[t];
  }
  // Gemm output is symmetric up to rounding; make it exactly symmetric for the eigensolver.
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * (out[i * d + j] + out[j * d + i]);
      out[i * d + j] = v;
      out[j * d + i] = v;
    }
  }
  return out;
}
