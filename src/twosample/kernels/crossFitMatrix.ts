/**
 * The cross-fitted linear discriminant behind the C2ST's p-value, as a quadratic form of the labels.
 *
 * Rows are dealt into k folds at random, independently of the labels (whole clusters together when rows are
 * grouped). For a fold f with training rows R, a ridge regression of the target indicator y on the rows,
 * β = W Σ_{j∈R} (x_j − x̄_R) y_j with W = (XᵀX + λI)⁻¹ (X the pooled, centred rows: a label-blind covariance), scores
 * every held-out row i ∈ f by its centred discriminant score s_i = (x_i − x̄_R)ᵀ β (the intercept ȳ_R is left out:
 * it only carries the training fold's label share, pure noise for the test). Every score is linear in the labels,
 * s = A y, with
 *   A_ij = (x_i − x̄_R)ᵀ W (x_j − x̄_R)   for j ∈ R,   A_ij = 0 for j in i's own fold,
 * and A·1 = 0. The statistic T = mean_target s − mean_reference s = cᵀ A y with c_i = 1/n₂ (target), −1/n₁
 * (reference); as y = (n₁n₂/N)·c + (n₂/N)·1, T = (n₁n₂/N) · cᵀ M c with M = (A + Aᵀ)/2: a quadratic form
 * of the labelling over a fixed N×N matrix, so the batched permutation engine evaluates it for every labelling in
 * one product (no refit), exactly as for MMD², and on the suite's shared labellings. The folds do not depend on the
 * labels, so under H0 every labelling's T has the observed one's distribution: the permutation p-value is exact,
 * and every row is scored out of fold (none is held back as in a train/test split).
 *
 * W from the eigendecomposition of XᵀX (d×d) or, when N < d, of XXᵀ (N×N): X W Xᵀ = U diag(e/(e + λ)) Uᵀ.
 * λ = ρ · (mean eigenvalue above 1e-6 of the largest: float32 products leave rounding noise in the null space); ρ = 1 by default (measured on real shift pairs at n = 20–200 against
 * ρ = 0.1 and 10, docs/methods.md).
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/random.js';
import { eigenSymmetric } from '../../linalg/eigenSymmetric.js';
import { matmul } from '../../linalg/gemm.js';
import type { QuadraticWeights } from './permutationEngine.js';

/** Largest min(N, d) whose eigendecomposition the cross-fit accepts (cost ~ min(N, d)³). */
export const CROSS_FIT_MAX_RANK = 1536;

/** Weights of T = (n₁n₂/N) · cᵀMc in the engine's form (X = reference rows). */
export function crossFitWeights(n1: number, n2: number): QuadraticWeights {
  const k = (n1 * n2) / (n1 + n2);
  return { xx: k / (n1 * n1), yy: k / (n2 * n2), xy: (-2 * k) / (n1 * n2) };
}

/** Random folds over clusters (rows when clusters is null), ignoring the labels: fold sizes differ by ≤ 1 cluster. */
export function labelBlindFolds(n: number, clusters: Int32Array | null, k: number, rng: Rng): Int32Array {
  const ids = clusters ?? Int32Array.from({ length: n }, (_, i) => i);
  const distinct = [...new Set(ids)];
  rng.shuffle(distinct);
  const foldOf = new Map<number, number>();
  distinct.forEach((c, i) => foldOf.set(c, i % k));
  return Int32Array.from(ids, (c) => foldOf.get(c) as number);
}

/** The symmetric matrix M (N×N float32) of the cross-fitted discriminant for centred pooled rows and folds. */
export async function crossFitMatrix(pooled: Matrix, folds: Int32Array, k: number, ridge = 1): Promise<Matrix> {
  const n = pooled.rows;
  const gram = await whitenedGram(pooled, ridge);
  const g = gram.data;
  // Per-row sums over each fold, fold sizes.
  const foldSums = new Float64Array(n * k);
  const size = new Float64Array(k);
  for (let i = 0; i < n; i++) size[folds[i]]++;
  for (let i = 0; i < n; i++) {
    const off = i * n;
    const so = i * k;
    for (let j = 0; j < n; j++) foldSums[so + folds[j]] += g[off + j];
  }
  // m[f][i] = mean over training rows R_f of K_ij; mm[f] = mean over R_f × R_f.
  const mean = new Float64Array(k * n);
  const meanRR = new Float64Array(k);
  const trainSize = new Float64Array(k);
  for (let f = 0; f < k; f++) {
    trainSize[f] = n - size[f];
    for (let i = 0; i < n; i++) {
      let total = 0;
      for (let h = 0; h < k; h++) total += foldSums[i * k + h];
      mean[f * n + i] = (total - foldSums[i * k + f]) / trainSize[f];
    }
    let s = 0;
    for (let i = 0; i < n; i++) if (folds[i] !== f) s += mean[f * n + i];
    meanRR[f] = s / trainSize[f];
  }
  // M_ij = ½(A_ij + A_ji) in place of K (symmetric), 0 within a fold.
  for (let i = 0; i < n; i++) {
    const f = folds[i];
    const off = i * n;
    for (let j = 0; j < n; j++) {
      const h = folds[j];
      if (h === f) {
        g[off + j] = 0;
        continue;
      }
      const aij = g[off + j] - mean[f * n + i] - mean[f * n + j] + meanRR[f];
      const aji = g[off + j] - mean[h * n + j] - mean[h * n + i] + meanRR[h];
      g[off + j] = 0.5 * (aij + aji);
    }
  }
  return gram;
}

/** X (XᵀX + λI)⁻¹ Xᵀ for centred rows X, λ = ridge · mean non-zero eigenvalue (float32 N×N). */
async function whitenedGram(x: Matrix, ridge: number): Promise<Matrix> {
  const f = await whitenedFactor(x, ridge);
  return matmul(f, f, { transposeB: true });
}

/**
 * F with F Fᵀ = X (XᵀX + λI)⁻¹ Xᵀ (float32): X V diag(1/√(e + λ)) (N×d) from the eigenvectors of XᵀX, or, when
 * N ≤ d, U diag(√(e/(e + λ))) (N×N) from those of XXᵀ.
 */
export async function whitenedFactor(x: Matrix, ridge: number): Promise<Matrix> {
  const n = x.rows;
  const d = x.cols;
  if (n <= d) {
    const k = await matmul(x, x, { transposeB: true });
    const eigen = eigenSymmetric(Float64Array.from(k.data), n);
    return scaledEigenvectors(eigen.vectors, eigen.values, n, n, ridge);
  }
  const scatter = await matmul(x, x, { transposeA: true });
  const eigen = eigenSymmetric(Float64Array.from(scatter.data), d);
  const lambda = ridgeOf(eigen.values, ridge);
  // Q = X V diag(1/√(e + λ)); X W Xᵀ = Q Qᵀ.
  const v = createMatrix(d, d);
  for (let c = 0; c < d; c++) {
    const scale = 1 / Math.sqrt(Math.max(eigen.values[c], 0) + lambda);
    for (let r = 0; r < d; r++) v.data[r * d + c] = eigen.vectors[c * d + r] * scale;
  }
  return matmul(x, v);
}

function ridgeOf(values: Float64Array, ridge: number): number {
  const top = Math.max(values[0], 0);
  let sum = 0;
  let count = 0;
  for (const e of values) {
    if (e > top * 1e-6) {
      sum += e;
      count++;
    }
  }
  return count > 0 && sum > 0 ? (ridge * sum) / count : 1;
}

/** U diag(√(e/(e + λ))) from eigenvectors stored as rows (vectors[c·n + r] = U[r][c]). */
function scaledEigenvectors(vectors: Float64Array, values: Float64Array, n: number, m: number, ridge: number): Matrix {
  const lambda = ridgeOf(values, ridge);
  const u = createMatrix(n, m);
  for (let c = 0; c < m; c++) {
    const e = Math.max(values[c], 0);
    const scale = Math.sqrt(e / (e + lambda));
    for (let r = 0; r < n; r++) u.data[r * m + c] = vectors[c * n + r] * scale;
  }
  return u;
}
