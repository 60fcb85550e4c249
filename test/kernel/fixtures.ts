/** Small synthetic samples and direct O(N²) float64 reference computations for the kernel tests. */
import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';

/** n rows of d-dimensional N(0, I), with `shift` added to the first coordinate. */
export function gaussianSample(n: number, d: number, seed: number, shift = 0): Matrix {
  const rng = createRng(seed);
  const m = createMatrix(n, d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) m.data[i * d + j] = rng.normal() + (j === 0 ? shift : 0);
  }
  return m;
}

export function squaredDistance(a: Matrix, i: number, b: Matrix, j: number): number {
  let s = 0;
  for (let k = 0; k < a.cols; k++) s += (a.data[i * a.cols + k] - b.data[j * b.cols + k]) ** 2;
  return s;
}

/** Mean of f over pairs (i from a, j from b), skipping i = j when `distinct` (a and b the same sample). */
function pairMean(a: Matrix, b: Matrix, distinct: boolean, f: (d2: number) => number): number {
  let s = 0;
  let count = 0;
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      if (distinct && i === j) continue;
      s += f(squaredDistance(a, i, b, j));
      count++;
    }
  }
  return s / count;
}

/** Unbiased MMD² with a Gaussian kernel of bandwidth σ, straight from the definition. */
export function directMmd2(x: Matrix, y: Matrix, sigma: number): number {
  const k = (d2: number) => Math.exp(-d2 / (2 * sigma * sigma));
  return pairMean(x, x, true, k) + pairMean(y, y, true, k) - 2 * pairMean(x, y, false, k);
}

/** Energy distance with U-statistic within-sample means, straight from the definition. */
export function directEnergy(x: Matrix, y: Matrix): number {
  return 2 * pairMean(x, y, false, Math.sqrt) - pairMean(x, x, true, Math.sqrt) - pairMean(y, y, true, Math.sqrt);
}

/** Rows `indices` of the stacked sample [x; y]. */
export function pooledRows(x: Matrix, y: Matrix, indices: ArrayLike<number>): Matrix {
  const out = createMatrix(indices.length, x.cols);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    const src =
      i < x.rows
        ? x.data.subarray(i * x.cols, (i + 1) * x.cols)
        : y.data.subarray((i - x.rows) * x.cols, (i - x.rows + 1) * x.cols);
    out.data.set(src, r * x.cols);
  }
  return out;
}
