/**
 * Random Fourier features of the Gaussian kernel (Rahimi & Recht 2007): φ(x) = √(2/D)·cos(Wx + b) with
 * W ~ N(0, σ⁻²I) and b ~ U[0, 2π), so E[φ(x)·φ(y)] = exp(−‖x−y‖²/(2σ²)). Rows are streamed in blocks and
 * reduced inside onnxruntime to a block mean and scatter (fourierMomentsGraph.ts), then merged into running moments
 * (Chan et al.'s pairwise update): memory is O(block·D + D²) whatever N is, and the input rows are never copied.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/random.js';
import { fourierBlockMoments } from './fourierMomentsGraph.js';

export interface FourierFeatureMap {
  /** D×d projection (one feature per row), already divided by σ. */
  weights: Matrix;
  /** Phase per feature. */
  phases: Float64Array;
  features: number;
}

export function drawFourierFeatures(dim: number, features: number, sigma: number, rng: Rng): FourierFeatureMap {
  const weights = createMatrix(features, dim);
  for (let i = 0; i < weights.data.length; i++) weights.data[i] = rng.normal() / sigma;
  const phases = new Float64Array(features);
  for (let j = 0; j < features; j++) phases[j] = rng.next() * 2 * Math.PI;
  return { weights, phases, features };
}

/** Mean and scatter Σ(φ − mean)(φ − mean)ᵀ of a sample's features, float64. */
export interface FeatureMoments {
  count: number;
  mean: Float64Array;
  /** D×D row-major. */
  scatter: Float64Array;
}

export async function featureMoments(
  map: FourierFeatureMap,
  x: Matrix,
  blockRows: number,
  onBlock: (rows: number) => void = () => {},
): Promise<FeatureMoments> {
  const D = map.features;
  const moments: FeatureMoments = { count: 0, mean: new Float64Array(D), scatter: new Float64Array(D * D) };
  const phase = Float32Array.from(map.phases);
  const scale = Math.sqrt(2 / D);
  const blockMean = new Float64Array(D);
  for (let start = 0; start < x.rows; start += blockRows) {
    const end = Math.min(x.rows, start + blockRows);
    const block = await fourierBlockMoments(
      x.data.subarray(start * x.cols, end * x.cols),
      end - start,
      x.cols,
      map.weights.data,
      phase,
    );
    for (let j = 0; j < D; j++) blockMean[j] = scale * block.mean[j];
    mergeMoments(moments, end - start, blockMean, block.scatter, scale * scale);
    onBlock(end - start);
  }
  return moments;
}

/** Chan et al.'s pairwise update: fold a block's (count, mean, scatter·scatterScale) into the running moments. */
function mergeMoments(
  into: FeatureMoments,
  nb: number,
  blockMean: Float64Array,
  blockScatter: Float32Array,
  scatterScale: number,
): void {
  const D = into.mean.length;
  const n = into.count;
  const total = n + nb;
  const delta = new Float64Array(D);
  for (let j = 0; j < D; j++) delta[j] = blockMean[j] - into.mean[j];
  const weight = (n * nb) / total;
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++)
      into.scatter[i * D + j] += scatterScale * blockScatter[i * D + j] + weight * delta[i] * delta[j];
  }
  for (let j = 0; j < D; j++) into.mean[j] += (delta[j] * nb) / total;
  into.count = total;
}
