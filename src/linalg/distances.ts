/**
 * Pairwise products and distances between the rows of two matrices, as dense float32 blocks:
 *   gramMatrix(a, b)        = A·Bᵀ
 *   squaredDistances(a, b)  = max(‖a_i‖² + ‖b_j‖² − 2·a_i·b_j, 0)
 *   gaussianKernel(a, b, σ) = exp(−‖a_i − b_j‖² / (2σ²))
 * Large blocks run as one onnxruntime graph (Gemm + elementwise, multi-threaded); tiny ones in JS. Norms are
 * accumulated in float64 and may be passed in so a caller looping over blocks computes them once. The expansion
 * loses relative precision for near-identical rows (float32 cancellation); the clamp keeps results ≥ 0.
 * Callers bound the block size: the output is a.rows × b.rows floats.
 */
import { createMatrix, type Matrix } from '../core/matrix.js';
import { JS_MAX_WORK, matmul } from './gemm.js';
import { runGraph } from './onnx/sessions.js';

export interface DistanceOptions {
  /** ‖a_i‖² for the rows of a (from squaredNorms), to skip recomputing them per block. */
  aNorms?: ArrayLike<number>;
  bNorms?: ArrayLike<number>;
  backend?: 'onnx' | 'js';
}

/** ‖row‖² of every row, summed in float64. */
export function squaredNorms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  const { cols, data } = m;
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    const off = i * cols;
    for (let j = 0; j < cols; j++) s += data[off + j] * data[off + j];
    out[i] = s;
  }
  return out;
}

export function gramMatrix(a: Matrix, b: Matrix = a): Promise<Matrix> {
  return matmul(a, b, { transposeB: true });
}

export function squaredDistances(a: Matrix, b: Matrix, options: DistanceOptions = {}): Promise<Matrix> {
  return pairwise(a, b, null, options);
}

/**
 * ‖b_j‖² − 2·a_i·b_j (float32, one Gemm): row i orders the b_j as the squared distances do; add ‖a_i‖² (in float64)
 * to the values kept to get them. For nearest-neighbour searches, which keep a few values per row of a large block.
 */
export async function rankingDistances(a: Matrix, b: Matrix, bNorms: ArrayLike<number>): Promise<Matrix> {
  if (a.cols !== b.cols) throw new RangeError(`pairwise distances: ${a.cols}-d rows against ${b.cols}-d rows`);
  const m = a.rows;
  const n = b.rows;
  if (m === 0 || n === 0) return createMatrix(m, n);
  if (m * n * a.cols <= JS_MAX_WORK || a.cols === 0) {
    const out = jsPairwise(a, b, null);
    const aNorms = squaredNorms(a);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] -= aNorms[i];
    return createMatrix(m, n, out);
  }
  const y = await runGraph('sqdist-rank', {
    A: { data: a.data, dims: [m, a.cols] },
    B: { data: b.data, dims: [n, b.cols] },
    Bn: { data: Float32Array.from(bNorms), dims: [1, n] },
  });
  return createMatrix(m, n, y);
}

/** Gaussian kernel matrix with bandwidth σ > 0. */
export function gaussianKernel(a: Matrix, b: Matrix, sigma: number, options: DistanceOptions = {}): Promise<Matrix> {
  if (!(sigma > 0) || !Number.isFinite(sigma))
    throw new RangeError(`gaussianKernel: bandwidth must be a positive number, got ${sigma}`);
  return pairwise(a, b, 1 / (2 * sigma * sigma), options);
}

async function pairwise(a: Matrix, b: Matrix, gamma: number | null, options: DistanceOptions): Promise<Matrix> {
  if (a.cols !== b.cols) throw new RangeError(`pairwise distances: ${a.cols}-d rows against ${b.cols}-d rows`);
  const m = a.rows;
  const n = b.rows;
  if (m === 0 || n === 0) return createMatrix(m, n);
  const aNorms = options.aNorms ?? squaredNorms(a);
  const bNorms = options.bNorms ?? (b === a ? aNorms : squaredNorms(b));
  const backend = options.backend ?? (m * n * a.cols <= JS_MAX_WORK ? 'js' : 'onnx');
  if (backend === 'js' || a.cols === 0) return createMatrix(m, n, jsPairwise(a, b, gamma));
  const feeds = {
    A: { data: a.data, dims: [m, a.cols] },
    B: { data: b.data, dims: [n, b.cols] },
    An: { data: Float32Array.from(aNorms), dims: [m, 1] },
    Bn: { data: Float32Array.from(bNorms), dims: [1, n] },
  };
  if (gamma === null) return createMatrix(m, n, await runGraph('sqdist', feeds));
  return createMatrix(
    m,
    n,
    await runGraph('gauss', { ...feeds, NegGamma: { data: Float32Array.of(-gamma), dims: [1] } }),
  );
}

/** Direct differences (exact for near-identical rows), for blocks too small for a session run. */
function jsPairwise(a: Matrix, b: Matrix, gamma: number | null): Float32Array {
  const d = a.cols;
  const out = new Float32Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) {
    const ai = i * d;
    for (let j = 0; j < b.rows; j++) {
      const bj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = a.data[ai + k] - b.data[bj + k];
        s += t * t;
      }
      out[i * b.rows + j] = gamma === null ? s : Math.exp(-gamma * s);
    }
  }
  return out;
}
