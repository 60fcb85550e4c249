/**
 * Principal component analysis: the projection the paper plots. The pipeline fits it on the pooled sample
 * (reference + target); ks-pca fits it on the reference alone. Large covariances, Gram matrices and projections
 * go through onnxruntime's Gemm (float32 products, float64 sums across chunks); small ones stay in float64 JS.
 *
 * The eigenproblem is solved on whichever is smaller: the d×d covariance, or (when n ≤ d) the n×n Gram matrix of
 * the centred rows, whose eigenvectors map to the same principal axes. Sign convention: each component's
 * largest-magnitude loading is positive, so the same data always gives the same axes.
 */
import { createMatrix, type Matrix } from '../core/matrix.js';
import { columnMeans, scatterMatrix, scatterMatrixFast } from '../linalg/covariance.js';
import { matmul } from '../linalg/gemm.js';
import { centredRowRange } from '../linalg/rowRange.js';
import { eigenSymmetric } from '../linalg/eigenSymmetric.js';

export interface PcaModel {
  /** Components kept (≤ min(d, n − 1) when asked for more, never below 1). */
  nComponents: number;
  dim: number;
  /** Rows the model was fitted on. */
  nSamples: number;
  mean: Float64Array;
  /** Row-major nComponents×dim: row c is the unit-length axis of component c. */
  components: Float64Array;
  /** Variance of the fitted data along each component (divisor n − 1), descending. */
  explainedVariance: Float64Array;
  /** explainedVariance / totalVariance (all zero when the data have no variance). */
  explainedVarianceRatio: Float64Array;
  /** Sum of the per-dimension variances (trace of the covariance). */
  totalVariance: number;
  /** Coordinates of the rows of m on the components: m.rows × nComponents. */
  project(m: Matrix): Promise<Matrix>;
}

export async function fitPca(x: Matrix, nComponents: number): Promise<PcaModel> {
  const k = checkShape(x, nComponents);
  const mean = columnMeans(x);
  const divisor = Math.max(x.rows - 1, 1);
  const axes =
    x.rows <= x.cols
      ? axesFromGram(x, mean, k, divisor, await gramOfCentred(x, mean))
      : axesFromScatter(await scatterMatrixFast(x, mean), x.cols, k, divisor);
  return buildModel(x, mean, k, axes);
}

/** The same fit in plain JS (float64 throughout), for small data inside tight loops. */
export function fitPcaSync(x: Matrix, nComponents: number): PcaModel {
  const k = checkShape(x, nComponents);
  const mean = columnMeans(x);
  const divisor = Math.max(x.rows - 1, 1);
  const axes =
    x.rows <= x.cols
      ? axesFromGram(x, mean, k, divisor, null)
      : axesFromScatter(scatterMatrix(x, mean), x.cols, k, divisor);
  return buildModel(x, mean, k, axes);
}

function checkShape(x: Matrix, nComponents: number): number {
  if (x.rows < 1 || x.cols < 1)
    throw new RangeError(`PCA needs at least one row and one column, got ${x.rows}x${x.cols}`);
  if (!Number.isInteger(nComponents) || nComponents < 1)
    throw new RangeError(`PCA needs nComponents ≥ 1, got ${nComponents}`);
  return Math.min(nComponents, x.cols);
}

function buildModel(x: Matrix, mean: Float64Array, k: number, { axes, variances, totalVariance }: Axes): PcaModel {
  const d = x.cols;
  orientBySign(axes, k, d);
  const explainedVarianceRatio = new Float64Array(k);
  // Float32 Gemm scatter can put the leading eigenvalues a hair above the float64 trace (near-duplicate rows):
  // the ratios' denominator is never below their numerators' sum, so they stay in [0, 1] and sum to ≤ 1.
  let explained = 0;
  for (let c = 0; c < k; c++) explained += variances[c];
  const denominator = Math.max(totalVariance, explained);
  if (denominator > 0) for (let c = 0; c < k; c++) explainedVarianceRatio[c] = variances[c] / denominator;
  return pcaFromParts({
    nComponents: k,
    dim: d,
    nSamples: x.rows,
    mean,
    components: axes,
    explainedVariance: variances,
    explainedVarianceRatio,
    totalVariance,
  });
}

/** A fitted PCA's numbers without its projection method (what a saved detector state holds). */
export type PcaParts = Omit<PcaModel, 'project'>;

/** The model of saved parts (the same projection as the fitted model's). */
export function pcaFromParts(parts: PcaParts): PcaModel {
  const { dim: d, nComponents: k } = parts;
  const model: PcaModel = {
    ...parts,
    project: async (m) => (m.rows * d * k >= GEMM_PROJECT_MIN_WORK ? projectWithGemm(model, m) : projectRows(model, m)),
  };
  return model;
}

/** Work (rows·d·k) above which projections go through onnxruntime's Gemm. */
const GEMM_PROJECT_MIN_WORK = 1e7;
const PROJECT_CHUNK_ROWS = 16_384;

/** (m − mean) · componentsᵀ, accumulated in float64. */
export function projectRows(model: Pick<PcaModel, 'mean' | 'components' | 'nComponents' | 'dim'>, m: Matrix): Matrix {
  const { mean, components, nComponents: k, dim: d } = model;
  if (m.cols !== d) throw new RangeError(`PCA was fitted on ${d}-d rows, cannot project ${m.cols}-d rows`);
  const out = createMatrix(m.rows, k);
  const centred = new Float64Array(d);
  for (let i = 0; i < m.rows; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) centred[j] = m.data[off + j] - mean[j];
    for (let c = 0; c < k; c++) {
      const axis = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += centred[j] * components[axis + j];
      out.data[i * k + c] = s;
    }
  }
  return out;
}

/** The same projection as float32 Gemm calls on chunks of centred rows. */
async function projectWithGemm(model: PcaModel, m: Matrix): Promise<Matrix> {
  const { mean, nComponents: k, dim: d } = model;
  if (m.cols !== d) throw new RangeError(`PCA was fitted on ${d}-d rows, cannot project ${m.cols}-d rows`);
  const axes = createMatrix(k, d, Float32Array.from(model.components));
  const out = createMatrix(m.rows, k);
  for (let start = 0; start < m.rows; start += PROJECT_CHUNK_ROWS) {
    const rows = Math.min(PROJECT_CHUNK_ROWS, m.rows - start);
    const block = await matmul(centredRowRange(m, mean, start, rows), axes, { transposeB: true });
    out.data.set(block.data, start * k);
  }
  return out;
}

/** Gram matrix of the centred rows (n×n, float64), through Gemm when large. */
async function gramOfCentred(x: Matrix, mean: Float64Array): Promise<Float64Array | null> {
  const n = x.rows;
  const d = x.cols;
  if (n * n * d < GEMM_PROJECT_MIN_WORK) return null;
  const centred = createMatrix(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred.data[i * d + j] = x.data[i * d + j] - mean[j];
  const gram = await matmul(centred, centred, { transposeB: true });
  const out = Float64Array.from(gram.data);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (out[i * n + j] + out[j * n + i]);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}

interface Axes {
  axes: Float64Array;
  variances: Float64Array;
  totalVariance: number;
}

function axesFromScatter(scatter: Float64Array, d: number, k: number, divisor: number): Axes {
  const cov = scatter;
  for (let i = 0; i < cov.length; i++) cov[i] /= divisor;
  let totalVariance = 0;
  for (let i = 0; i < d; i++) totalVariance += cov[i * d + i];
  const eig = eigenSymmetric(cov, d);
  const variances = new Float64Array(k);
  for (let c = 0; c < k; c++) variances[c] = Math.max(eig.values[c], 0);
  return { axes: eig.vectors.slice(0, k * d), variances, totalVariance };
}

/** n ≤ d: eigenvectors u of G = Xc Xcᵀ give axes Xcᵀu / ‖Xcᵀu‖ with the same eigenvalues. */
function axesFromGram(
  x: Matrix,
  mean: Float64Array,
  k: number,
  divisor: number,
  precomputed: Float64Array | null,
): Axes {
  const n = x.rows;
  const d = x.cols;
  const centred = new Float64Array(n * d);
  let totalScatter = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x.data[i * d + j] - mean[j];
      centred[i * d + j] = v;
      totalScatter += v * v;
    }
  }
  let gram = precomputed;
  if (!gram) {
    gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += centred[i * d + t] * centred[j * d + t];
        gram[i * n + j] = s;
        gram[j * n + i] = s;
      }
    }
  }
  const eig = eigenSymmetric(gram, n);
  const axes = new Float64Array(k * d);
  const variances = new Float64Array(k);
  // Centring leaves rank ≤ n − 1; a component beyond the rank gets an arbitrary unit axis orthogonal to the rest.
  const scale = Math.max(...Array.from(eig.values.subarray(0, Math.min(n, k))), 0);
  for (let c = 0; c < k; c++) {
    const lambda = c < n ? eig.values[c] : 0;
    if (c < n && lambda > scale * 1e-12 && lambda > 0) {
      const axis = axes.subarray(c * d, (c + 1) * d);
      for (let i = 0; i < n; i++) {
        const u = eig.vectors[c * n + i];
        for (let j = 0; j < d; j++) axis[j] += u * centred[i * d + j];
      }
      normalise(axis);
      variances[c] = lambda / divisor;
    } else {
      completeBasis(axes, c, d);
    }
  }
  return { axes, variances, totalVariance: totalScatter / divisor };
}

function normalise(v: Float64Array): void {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * v[j];
  const norm = Math.sqrt(s);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j] /= norm;
}

/** Fill row c with a unit vector orthogonal to rows 0..c−1 (Gram–Schmidt on the standard basis). */
function completeBasis(axes: Float64Array, c: number, d: number): void {
  const axis = axes.subarray(c * d, (c + 1) * d);
  for (let e = 0; e < d; e++) {
    axis.fill(0);
    axis[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        const other = axes.subarray(p * d, (p + 1) * d);
        let dot = 0;
        for (let j = 0; j < d; j++) dot += axis[j] * other[j];
        for (let j = 0; j < d; j++) axis[j] -= dot * other[j];
      }
    }
    let s = 0;
    for (let j = 0; j < d; j++) s += axis[j] * axis[j];
    if (s > 1e-6) {
      normalise(axis);
      return;
    }
  }
}

function orientBySign(axes: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    let best = 0;
    let bestAbs = -1;
    for (let j = 0; j < d; j++) {
      const a = Math.abs(axes[c * d + j]);
      // Ties go to the first index; a tolerance keeps rounding noise from flipping the choice.
      if (a > bestAbs * (1 + 1e-9)) {
        bestAbs = a;
        best = j;
      }
    }
    if (axes[c * d + best] < 0) for (let j = 0; j < d; j++) axes[c * d + j] = -axes[c * d + j];
  }
}
