/**
 * The cross-fitted C2ST statistic (crossFitMatrix.ts) of every labelling of a permutation design, from the whitened
 * factor F (N×r, F Fᵀ = X W Xᵀ; row i is z_i) instead of the N×N matrix M, whose entries are
 *   A_ij = (z_i − z̄_f)·(z_j − z̄_f) for j outside i's fold f (z̄_f: the mean of z over the rows outside f), 0 inside.
 * For a labelling with a rows "reference" (X) and b = N − a "target", c_i = −1/a on X and 1/b on the rest, and
 *   T = (ab/N) · cᵀ M c = (ab/N) · Σ_f u_f · v_f,
 *   u_f = Σ_{i∈f} c_i (z_i − z̄_f),   v_f = Σ_{j∉f} c_j (z_j − z̄_f),
 * both linear in the labelling's per-fold sums X_f = Σ_{i∈X∩f} z_i (and counts), which one float64 Gemm per fold
 * gives for every labelling (kernels/permutedMeans.ts). Cost 2·(P + 1)·N·r multiply-adds and O(N·r) memory, against
 * 2·(P + 1)·N² and an N×N float32 matrix for the quadratic-form engine; the statistics are the same quadratic form,
 * in float64 (the matrix path's float32 M moves them by about 1e-7 of their scale).
 * p-value (1 + #{T_perm ≥ T − tol}) / (1 + P) with permutationEngine.ts's tolerance (1e-7 of the statistic's
 * largest possible magnitude, from max |M_ij|: one pass of float32 Gemm row blocks over the upper triangle, never
 * stored), so the counted ties and the p-values are the matrix path's.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { matmul } from '../../linalg/gemm.js';
import { rowRange } from '../../linalg/rowRange.js';
import { membershipOf, type PermutationDesign } from '../permutationDesign.js';
import { permutationTail, type PermutationOutcome } from './permutationEngine.js';
import { weightedColumnSums } from './permutedMeans.js';

export async function crossFitPermutationTest(
  factor: Matrix,
  folds: Int32Array,
  k: number,
  design: PermutationDesign,
): Promise<Pick<PermutationOutcome, 'observed' | 'permuted' | 'atLeast' | 'pValue' | 'tieTolerance'>> {
  const n = factor.rows;
  const r = factor.cols;
  if (design.n1 + design.n2 !== n || folds.length !== n)
    throw new RangeError(
      `crossFitPermutationTest: ${n} rows, ${folds.length} folds, design for ${design.n1 + design.n2}`,
    );
  const labellings = design.permutations + 1;
  const z = factor.data;

  // Rows of each fold, their sums P_f and the training means z̄_f.
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) members[folds[i]].push(i);
  const total = new Float64Array(r);
  const foldSum = new Float64Array(k * r);
  for (let f = 0; f < k; f++)
    for (const i of members[f]) for (let t = 0; t < r; t++) foldSum[f * r + t] += z[i * r + t];
  for (let f = 0; f < k; f++) for (let t = 0; t < r; t++) total[t] += foldSum[f * r + t];
  const trainMean = new Float64Array(k * r);
  for (let f = 0; f < k; f++) {
    const size = n - members[f].length;
    for (let t = 0; t < r; t++) trainMean[f * r + t] = (total[t] - foldSum[f * r + t]) / size;
  }

  // X_f and |X ∩ f| of every labelling.
  const referenceSum = new Float64Array(labellings * k * r);
  const referenceCount = new Float64Array(labellings * k);
  for (let f = 0; f < k; f++) {
    const rows = members[f];
    const zf = new Float64Array(rows.length * r);
    rows.forEach((i, q) => {
      for (let t = 0; t < r; t++) zf[q * r + t] = z[i * r + t];
    });
    await weightedColumnSums(
      zf,
      rows.length,
      r,
      labellings,
      (p, w) => {
        const m = membershipOf(design, p);
        let count = 0;
        for (let q = 0; q < rows.length; q++) {
          w[q] = m[rows[q]];
          count += m[rows[q]];
        }
        referenceCount[p * k + f] = count;
      },
      (p, sums) => referenceSum.set(sums, (p * k + f) * r),
    );
  }

  const statistics = new Float64Array(labellings);
  const g = new Float64Array(k * r); // Σ_{i∈f} c_i z_i
  const gTotal = new Float64Array(r);
  const cSum = new Float64Array(k); // Σ_{i∈f} c_i
  for (let p = 0; p < labellings; p++) {
    let a = 0;
    for (let f = 0; f < k; f++) a += referenceCount[p * k + f];
    const b = n - a;
    gTotal.fill(0);
    let cTotal = 0;
    for (let f = 0; f < k; f++) {
      const af = referenceCount[p * k + f];
      cSum[f] = (members[f].length - af) / b - af / a;
      cTotal += cSum[f];
      const off = (p * k + f) * r;
      for (let t = 0; t < r; t++) {
        const x = referenceSum[off + t];
        const v = (foldSum[f * r + t] - x) / b - x / a;
        g[f * r + t] = v;
        gTotal[t] += v;
      }
    }
    let form = 0;
    for (let f = 0; f < k; f++) {
      const cf = cSum[f];
      const rest = cTotal - cf;
      for (let t = 0; t < r; t++) {
        const mean = trainMean[f * r + t];
        const u = g[f * r + t] - cf * mean;
        const v = gTotal[t] - g[f * r + t] - rest * mean;
        form += u * v;
      }
    }
    statistics[p] = ((a * b) / n) * form;
  }

  // The engine's tolerance: 1e-7 × max |M_ij| (off the diagonal, less M's off-diagonal mean, which is 0 here:
  // every row of A sums to 0 over its training rows) × the weighted number of pairs.
  const largest = await largestEntry(factor, folds, trainMean);
  const { n1, n2 } = design;
  const pairs = (n1 * (n1 - 1)) / (n1 * n1) + (n2 * (n2 - 1)) / (n2 * n2) + 2;
  return permutationTail(statistics, 1e-7 * largest * ((n1 * n2) / n) * pairs);
}

/** Rows per block of the scan for max |M_ij|: 1024 × N float32 products per Gemm. */
const SCAN_ROWS = 1024;

/**
 * max |M_ij| over pairs in different folds, without storing M: M_ij = z_i·y_j − ½ z̄_{f(i)}·z_j + e_i + e_j with
 * y_j = z_j − ½ z̄_{f(j)} and e_i = −½ (z_i − z̄_{f(i)})·z̄_{f(i)} (expanding ½(A_ij + A_ji)). z_i·y_j comes from
 * float32 Gemm row blocks against the rows from the block on (M is symmetric), like the matrix path's float32 Gram;
 * the rest in float64.
 */
async function largestEntry(factor: Matrix, folds: Int32Array, trainMean: Float64Array): Promise<number> {
  const n = factor.rows;
  const r = factor.cols;
  const z = factor.data;
  const k = trainMean.length / r;
  const y = createMatrix(n, r);
  const self = new Float64Array(n); // e_i
  const toMean = new Float64Array(k * n); // −½ z̄_f·z_j
  for (let j = 0; j < n; j++) {
    const f = folds[j];
    let e = 0;
    for (let t = 0; t < r; t++) {
      const mean = trainMean[f * r + t];
      y.data[j * r + t] = z[j * r + t] - 0.5 * mean;
      e += (z[j * r + t] - mean) * mean;
    }
    self[j] = -0.5 * e;
    for (let h = 0; h < k; h++) {
      let s = 0;
      for (let t = 0; t < r; t++) s += trainMean[h * r + t] * z[j * r + t];
      toMean[h * n + j] = -0.5 * s;
    }
  }
  let largest = 0;
  for (let i0 = 0; i0 < n; i0 += SCAN_ROWS) {
    const i1 = Math.min(n, i0 + SCAN_ROWS);
    const width = n - i0;
    const product = await matmul(rowRange(factor, i0, i1), rowRange(y, i0, n), { transposeB: true });
    const p = product.data;
    for (let i = i0; i < i1; i++) {
      const f = folds[i];
      const row = (i - i0) * width - i0;
      const mean = f * n;
      const ei = self[i];
      for (let j = i + 1; j < n; j++) {
        if (folds[j] === f) continue;
        const v = Math.abs(p[row + j] + toMean[mean + j] + ei + self[j]);
        if (v > largest) largest = v;
      }
    }
  }
  return largest;
}
