import { describe, expect, it } from 'vitest';
import { concatRows, createMatrix, type Matrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { runC2st } from '../../src/twosample/c2st.js';
import {
  crossFitMatrix,
  crossFitWeights,
  labelBlindFolds,
  whitenedFactor,
} from '../../src/twosample/kernels/crossFitMatrix.js';
import { crossFitPermutationTest } from '../../src/twosample/kernels/crossFitPermutations.js';
import { quadraticPermutationTest } from '../../src/twosample/kernels/permutationEngine.js';
import { centredPooled } from '../../src/twosample/kernels/pooledSample.js';
import { maxKsOverLabellings } from '../../src/twosample/ksPca.js';
import { createPermutationDesign, membershipOf } from '../../src/twosample/permutationDesign.js';
import { ksTwoSample } from '../../src/twosample/pvalues/ks.js';
import { gaussianSample } from '../kernel/fixtures.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

/** Inverse of a small dense matrix (Gauss–Jordan with partial pivoting). */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    const v = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= v;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

/**
 * The cross-fitted statistic from its definition: per fold, β = W Σ_{j∈R} (x_j − x̄_R) y_j with the pooled
 * W = (XᵀX + λI)⁻¹ (λ = ρ · mean non-zero eigenvalue), held-out scores (x_i − x̄_R)ᵀβ, T = mean target score − mean reference score.
 */
function directCrossFit(x: Matrix, isReference: ArrayLike<number>, folds: Int32Array, ridge: number): number {
  const n = x.rows;
  const d = x.cols;
  const row = (i: number) => Array.from(x.data.subarray(i * d, (i + 1) * d));
  const xtx = Array.from({ length: d }, (_, a) =>
    Array.from({ length: d }, (_, b) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += x.data[i * d + a] * x.data[i * d + b];
      return s;
    }),
  );
  let trace = 0;
  for (let a = 0; a < d; a++) trace += xtx[a][a];
  // λ = ρ · mean non-zero eigenvalue of XᵀX; centred rows have rank min(d, n − 1).
  const rank = Math.min(d, n - 1);
  const w = inverse(xtx.map((r, a) => r.map((v, b) => v + (a === b ? (ridge * trace) / rank : 0))));
  const scores = new Float64Array(n);
  for (const f of new Set(folds)) {
    const train = Array.from({ length: n }, (_, i) => i).filter((i) => folds[i] !== f);
    const mean = new Array<number>(d).fill(0);
    for (const j of train) row(j).forEach((v, a) => (mean[a] += v / train.length));
    const g = new Array<number>(d).fill(0);
    for (const j of train) {
      const y = isReference[j] === 1 ? 0 : 1;
      row(j).forEach((v, a) => (g[a] += (v - mean[a]) * y));
    }
    const beta = w.map((r) => r.reduce((s, v, b) => s + v * g[b], 0));
    for (let i = 0; i < n; i++) {
      if (folds[i] !== f) continue;
      scores[i] = row(i).reduce((s, v, a) => s + (v - mean[a]) * beta[a], 0);
    }
  }
  let ref = 0;
  let tgt = 0;
  let nRef = 0;
  for (let i = 0; i < n; i++) {
    if (isReference[i] === 1) {
      ref += scores[i];
      nRef++;
    } else tgt += scores[i];
  }
  return tgt / (n - nRef) - ref / nRef;
}

describe('cross-fitted C2ST statistic', () => {
  it('the quadratic form equals the refitted ridge discriminant, observed and permuted, row and group level', async () => {
    const a = gaussianSample(14, 4, 1);
    const b = gaussianSample(11, 4, 2, 0.7);
    const pooled = centredPooled(a, b);
    for (const groups of [
      null,
      { reference: [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], target: [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5] },
    ]) {
      const design = createPermutationDesign(14, 11, 8, createRng(3), groups);
      const folds = labelBlindFolds(25, design.clusters, 5, createRng(4));
      const matrix = await crossFitMatrix(pooled, folds, 5, 1);
      const outcome = await quadraticPermutationTest(matrix, 14, crossFitWeights(14, 11), {
        permutations: 8,
        rng: createRng(5),
        design,
        weightsFor: crossFitWeights,
      });
      expect(outcome.observed).toBeCloseTo(directCrossFit(pooled, membershipOf(design, 0), folds, 1), 4);
      for (let p = 1; p <= 8; p++) {
        expect(outcome.permuted[p - 1]).toBeCloseTo(directCrossFit(pooled, membershipOf(design, p), folds, 1), 4);
      }
      if (design.clusters)
        for (let i = 0; i < 25; i++)
          for (let j = 0; j < 25; j++) if (design.clusters[i] === design.clusters[j]) expect(folds[i]).toBe(folds[j]);
    }
    // With more dimensions than rows (dual form) it is still the same statistic.
    const wide = centredPooled(gaussianSample(6, 12, 6), gaussianSample(5, 12, 7, 1));
    const design = createPermutationDesign(6, 5, 3, createRng(8));
    const folds = labelBlindFolds(11, null, 3, createRng(9));
    const matrix = await crossFitMatrix(wide, folds, 3, 1);
    const outcome = await quadraticPermutationTest(matrix, 6, crossFitWeights(6, 5), {
      permutations: 3,
      rng: createRng(1),
      design,
      weightsFor: crossFitWeights,
    });
    expect(outcome.observed).toBeCloseTo(directCrossFit(wide, membershipOf(design, 0), folds, 1), 4);
  });

  it('from the whitened factor (no N×N matrix): the refitted discriminant, observed and permuted, row and group level', async () => {
    const pooled = centredPooled(gaussianSample(14, 4, 1), gaussianSample(11, 4, 2, 0.7));
    for (const groups of [
      null,
      { reference: [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], target: [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5] },
    ]) {
      const design = createPermutationDesign(14, 11, 8, createRng(3), groups);
      const folds = labelBlindFolds(25, design.clusters, 5, createRng(4));
      const outcome = await crossFitPermutationTest(await whitenedFactor(pooled, 1), folds, 5, design);
      expect(outcome.observed).toBeCloseTo(directCrossFit(pooled, membershipOf(design, 0), folds, 1), 5);
      for (let p = 1; p <= 8; p++)
        expect(outcome.permuted[p - 1]).toBeCloseTo(directCrossFit(pooled, membershipOf(design, p), folds, 1), 5);
    }
    const wide = centredPooled(gaussianSample(6, 12, 6), gaussianSample(5, 12, 7, 1));
    const design = createPermutationDesign(6, 5, 3, createRng(8));
    const folds = labelBlindFolds(11, null, 3, createRng(9));
    const outcome = await crossFitPermutationTest(await whitenedFactor(wide, 1), folds, 3, design);
    expect(outcome.observed).toBeCloseTo(directCrossFit(wide, membershipOf(design, 0), folds, 1), 5);
  });

  it('from the whitened factor: the matrix path’s statistics and p-values on real embeddings (shift and null)', async () => {
    const ham = await loadRealEmbeddings('easy-ham-1');
    const spam = await loadRealEmbeddings('spam-2');
    const rows = (m: typeof ham, from: number, count: number) =>
      createMatrix(count, m.cols, m.data.slice(from * m.cols, (from + count) * m.cols));
    for (const [reference, target] of [
      [rows(ham, 0, 400), rows(spam, 0, 350)], // a real shift
      [rows(ham, 0, 400), rows(ham, 1200, 350)], // one source: no shift
    ]) {
      const n = reference.rows + target.rows;
      const pooled = centredPooled(reference, target);
      const design = createPermutationDesign(reference.rows, target.rows, 499, createRng(11));
      const folds = labelBlindFolds(n, null, 5, createRng(12));
      const fromMatrix = await quadraticPermutationTest(
        await crossFitMatrix(pooled, folds, 5, 1),
        reference.rows,
        crossFitWeights(reference.rows, target.rows),
        { permutations: 499, rng: createRng(13), design, weightsFor: crossFitWeights },
      );
      const fromFactor = await crossFitPermutationTest(await whitenedFactor(pooled, 1), folds, 5, design);
      expect(fromFactor.pValue).toBe(fromMatrix.pValue);
      expect(fromFactor.atLeast).toBe(fromMatrix.atLeast);
      const sd = Math.sqrt(fromMatrix.permuted.reduce((s, t) => s + t * t, 0) / 499);
      expect(Math.abs(fromFactor.observed - fromMatrix.observed)).toBeLessThan(1e-4 * sd);
      for (let p = 0; p < 499; p++)
        expect(Math.abs(fromFactor.permuted[p] - fromMatrix.permuted[p])).toBeLessThan(1e-4 * sd);
      // The same tie tolerance (max |M_ij| found without M, float32 products as the matrix's).
      expect(Math.abs(fromFactor.tieTolerance / fromMatrix.tieTolerance - 1)).toBeLessThan(1e-5);
    }
  });

  it('p-values: calibrated on Gaussian nulls, powerful on a small mean shift, every row used', async () => {
    const rng = createRng('cross-fit-null');
    let nullRejections = 0;
    const reps = 120;
    for (let r = 0; r < reps; r++) {
      const x = gaussianSample(30, 8, 100 + r);
      const y = gaussianSample(30, 8, 500 + r);
      const run = await runC2st(
        { reference: x, target: y, rng: rng.fork(`n${r}`), progress: silentProgress },
        { crossFitPermutations: 199 },
      );
      expect(run.result.details.pValueMethod).toBe('cross-fit');
      if ((run.result.pValue as number) <= 0.05) nullRejections++;
    }
    // Binomial(120, 0.05): ≤ 13 with probability > 0.99.
    expect(nullRejections).toBeLessThanOrEqual(13);
    let hits = 0;
    for (let r = 0; r < 20; r++) {
      const run = await runC2st(
        {
          reference: gaussianSample(30, 8, 900 + r),
          target: gaussianSample(30, 8, 950 + r, 0.9),
          rng: rng.fork(`s${r}`),
          progress: silentProgress,
        },
        { crossFitPermutations: 199 },
      );
      if ((run.result.pValue as number) <= 0.05) hits++;
    }
    expect(hits).toBeGreaterThanOrEqual(14);
    expect(hits).toBeLessThanOrEqual(20);
  });
});

describe('max-KS over labellings', () => {
  it('equals the largest scaled KS D of each labelling, ties included', () => {
    const x = createMatrix(7, 2, Float32Array.from([1, 5, 2, 5, 2, 6, 3, 1, 4, 0, 5, 2, 9, 2]));
    const y = createMatrix(6, 2, Float32Array.from([2, 5, 3, 3, 3, 1, 7, 2, 8, 8, 8, 0]));
    const pooled = concatRows(x, y);
    const columns = [0, 1].map((c) => Float64Array.from({ length: 13 }, (_, i) => pooled.data[i * 2 + c]));
    const design = createPermutationDesign(7, 6, 20, createRng(2), {
      reference: [0, 0, 1, 2, 3, 4, 5],
      target: [0, 1, 2, 3, 3, 4],
    });
    const out = maxKsOverLabellings(columns, design);
    for (let p = 0; p <= 20; p++) {
      const member = membershipOf(design, p);
      const nx = design.referenceCount[p];
      let best = 0;
      for (const col of columns) {
        const a = Array.from(col).filter((_, i) => member[i] === 1);
        const b = Array.from(col).filter((_, i) => member[i] === 0);
        best = Math.max(best, ksTwoSample(a, b).statistic);
      }
      expect(out[p]).toBeCloseTo(best * Math.sqrt((nx * (13 - nx)) / 13), 12);
    }
  });
});
