/**
 * Fréchet distance between Gaussian fits of the two samples (the FID formula applied to text embeddings):
 *   FD = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½),
 * with the matrix square roots from the symmetric eigendecomposition (Tr of the outer root = Σ √λᵢ).
 *
 * Dimension: a d×d covariance from n rows is rank-deficient and its square root noisy when d is not small next
 * to n, so FD is computed on the top k principal components of the pooled sample, k = min(d, 32,
 * max(1, ⌊n_min/4⌋)). k = d is a rotation, which leaves FD unchanged; details give k and the variance it keeps.
 * The pooled PCA ignores which row came from which side, so the permutation test below stays exact.
 *
 * p-value: permutation test, (1 + #{FD_perm ≥ FD}) / (1 + P) with P = 500 by default, reusing the pooled
 * moments so one permutation costs n_min·k²/2 plus two k×k eigendecompositions; the side moments of a block of
 * permutations (and of bootstrap replicates) come from one float64 Gemm (kernels/permutedMeans.ts).
 * Interval: percentile bootstrap (each side resampled with replacement, B = 200, seeded) of FD.
 * Effect size: FD / total variance of the pooled sample in the same k dimensions (scale-free; 0 when the fits
 * coincide, 4 at most for two equal-size point masses).
 * Above `maxPerSide` rows per side (default 5000) everything is computed on a seeded random subsample of that
 * size per side, stated in details.
 */
import { z } from 'zod';
import { concatRows, sampleRows, selectRows, type Matrix } from '../core/matrix.js';
import { fitPca } from '../analysis/pca.js';
import { eigenvaluesSymmetric, sqrtPsd } from '../linalg/eigenSymmetric.js';
import type { TwoSampleTestResult } from './detector.js';
import { DEFAULT_MDE_ALPHA, permutationCanReject, shiftForPower } from './minDetectableEffect.js';
import { bootstrapSide, clusterMembers, membershipOf, recordNull } from './permutationDesign.js';
import { subsetMoments } from './kernels/permutedMeans.js';
import {
  defineDetector,
  type DetectorOutcome,
  type FitContext,
  type TestContext,
  type TwoSamples,
} from './registry/detectorSpec.js';
import { integerOption, levelOption } from './registry/options.js';
import { asTwoSampleDetector } from './registry/runDetector.js';

/**
 * ρ of the MDE's growing spread (minDetectableEffect.ts shiftForPower), in units of the largest PC variance λ₁.
 * λ₁ bounds the mean part's linear term (δᵀCδ ≤ λ₁‖δ‖²) and, for normal rows, the covariance part's (its Hoeffding
 * term has variance ≲ 2λ₁ · B · (1/n₁ + 1/n₂) for a Bures part B); a shift of the covariance (a mixture) of
 * heavier-tailed rows adds more. Measured (test/stats/minDetectableEffect.test.ts, three sources, mean and mixture
 * shifts, n = 20/50/200): power at the MDE 0.60–0.99 with λ₁ (mixtures at n = 200 low: 0.60 yelp → amazon, 0.725
 * SOTU), 0.80–0.99 with 1.5 λ₁, 0.78–1.00 with 2 λ₁; 1.5 makes the MDE 11–17% larger than λ₁ does.
 */
export const FRECHET_RHO_FACTOR = 1.5;

export const frechetOptionsSchema = z.strictObject({
  /** Upper bound on principal components (k = min(d, components, max(1, ⌊n_min/4⌋))). */
  components: integerOption(32, 2),
  permutations: integerOption(500, 0),
  bootstrap: integerOption(200, 0),
  level: levelOption(0.95),
  maxPerSide: integerOption(5000, 2),
});

export type FrechetOptions = z.infer<typeof frechetOptionsSchema>;

export const DEFAULT_FRECHET_OPTIONS: FrechetOptions = frechetOptionsSchema.parse({});

/**
 * Fitted on the reference: which of its rows are used above maxPerSide (a seeded subsample; null when all). The PCA
 * is of the pooled sample (test time), which keeps the permutation test exact.
 */
export type FrechetState = { referenceRows: Uint32Array | null };

export const frechetSpec = defineDetector({
  name: 'frechet',
  label: 'Fréchet distance (Gaussian fits, pooled PCs)',
  summary:
    'Fréchet distance between Gaussian fits on the pooled principal components, permutation p-value, bootstrap interval',
  inDefaultSuite: true,
  optionsSchema: frechetOptionsSchema,
  suite: { options: ({ permutations }) => ({ permutations: Math.min(permutations, 500) }) },
  fit: fitFrechet,
  test: testFrechet,
});

export const frechetDetector = asTwoSampleDetector(frechetSpec);

async function fitFrechet(reference: Matrix, opts: FrechetOptions, { rng }: FitContext): Promise<FrechetState> {
  const sub = rng.fork('subsample-reference');
  return {
    referenceRows: reference.rows > opts.maxPerSide ? sub.sample(reference.rows, opts.maxPerSide).sort() : null,
  };
}

export interface FrechetParts {
  distance: number;
  /** ‖μ₁ − μ₂‖² */
  meanTerm: number;
  /** Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½) */
  covarianceTerm: number;
}

/** Fréchet (2-Wasserstein²) distance between N(mean1, cov1) and N(mean2, cov2); covariances row-major k×k. */
export function frechetDistanceGaussians(
  mean1: ArrayLike<number>,
  cov1: ArrayLike<number>,
  mean2: ArrayLike<number>,
  cov2: ArrayLike<number>,
  k: number,
): FrechetParts {
  let meanTerm = 0;
  for (let i = 0; i < k; i++) meanTerm += (mean1[i] - mean2[i]) ** 2;
  const values = crossEigenvalues(cov1, cov2, k);
  let traceRoot = 0;
  for (let i = 0; i < k; i++) traceRoot += Math.sqrt(Math.max(values[i], 0));
  let traces = 0;
  for (let i = 0; i < k; i++) traces += cov1[i * k + i] + cov2[i * k + i];
  // Rounding can push a zero distance slightly negative.
  const covarianceTerm = Math.max(traces - 2 * traceRoot, 0);
  return { distance: meanTerm + covarianceTerm, meanTerm, covarianceTerm };
}

/**
 * Eigenvalues of Σ₁^½ Σ₂ Σ₁^½ (those of Σ₁Σ₂). Fast path: with Σ₁ = LLᵀ (Cholesky), LᵀΣ₂L is symmetric and
 * similar to Σ₁Σ₂, so one eigenvalue-only decomposition suffices. A singular Σ₁ falls back to the symmetric
 * square root from the full eigendecomposition.
 */
function crossEigenvalues(cov1: ArrayLike<number>, cov2: ArrayLike<number>, k: number): Float64Array {
  const l = cholesky(cov1, k);
  if (l) return eigenvaluesSymmetric(lowerTransposeSandwich(l, cov2, k), k);
  return eigenvaluesSymmetric(symmetricSandwich(sqrtPsd(cov1, k), cov2, k), k);
}

/** Lower-triangular L with A = LLᵀ, or null when A is not (numerically) positive definite. */
function cholesky(a: ArrayLike<number>, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  let maxDiagonal = 0;
  for (let i = 0; i < k; i++) maxDiagonal = Math.max(maxDiagonal, a[i * k + i]);
  const floor = maxDiagonal * 1e-12;
  for (let j = 0; j < k; j++) {
    let s = a[j * k + j];
    for (let t = 0; t < j; t++) s -= l[j * k + t] * l[j * k + t];
    if (!(s > floor)) return null;
    const pivot = Math.sqrt(s);
    l[j * k + j] = pivot;
    for (let i = j + 1; i < k; i++) {
      let v = a[i * k + j];
      for (let t = 0; t < j; t++) v -= l[i * k + t] * l[j * k + t];
      l[i * k + j] = v / pivot;
    }
  }
  return l;
}

/** Lᵀ B L for lower-triangular L and symmetric B. */
function lowerTransposeSandwich(l: Float64Array, b: ArrayLike<number>, k: number): Float64Array {
  // bl = B L (L's column j is non-zero from row j down).
  const bl = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let t = 0; t < k; t++) {
      const bit = b[i * k + t];
      if (bit === 0) continue;
      for (let j = 0; j <= t; j++) bl[i * k + j] += bit * l[t * k + j];
    }
  }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      // (Lᵀ BL)[i][j] = Σ_t L[t][i] · BL[t][j], L[t][i] = 0 for t < i.
      let s = 0;
      for (let t = i; t < k; t++) s += l[t * k + i] * bl[t * k + j];
      out[i * k + j] = s;
    }
  }
  // Symmetric in exact arithmetic: mirror the upper triangle.
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) out[j * k + i] = out[i * k + j];
  return out;
}

/** S B S for symmetric S and B, symmetrised against rounding. */
function symmetricSandwich(s: Float64Array, b: ArrayLike<number>, k: number): Float64Array {
  const sb = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let t = 0; t < k; t++) {
      const sit = s[i * k + t];
      if (sit === 0) continue;
      for (let j = 0; j < k; j++) sb[i * k + j] += sit * b[t * k + j];
    }
  }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let t = 0; t < k; t++) {
      const v = sb[i * k + t];
      if (v === 0) continue;
      for (let j = 0; j < k; j++) out[i * k + j] += v * s[t * k + j];
    }
  }
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const avg = 0.5 * (out[i * k + j] + out[j * k + i]);
      out[i * k + j] = avg;
      out[j * k + i] = avg;
    }
  }
  return out;
}

/** Row sums and raw second moments of a set of rows of z (N×k, row-major), upper triangle of the k×k block. */
function accumulate(
  z: Float64Array,
  k: number,
  rows: ArrayLike<number>,
  sum: Float64Array,
  second: Float64Array,
): void {
  sum.fill(0);
  second.fill(0);
  for (let r = 0; r < rows.length; r++) {
    const off = rows[r] * k;
    for (let i = 0; i < k; i++) {
      const zi = z[off + i];
      sum[i] += zi;
      const row = i * k;
      for (let j = i; j < k; j++) second[row + j] += zi * z[off + j];
    }
  }
}

/** Mean and covariance (n − 1 divisor) from a row sum and raw second moments (upper triangle) of n rows. */
function momentsToGaussian(
  sum: Float64Array,
  second: Float64Array,
  n: number,
  k: number,
): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(k);
  for (let i = 0; i < k; i++) mean[i] = sum[i] / n;
  const cov = new Float64Array(k * k);
  const divisor = Math.max(n - 1, 1);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const v = (second[i * k + j] - n * mean[i] * mean[j]) / divisor;
      cov[i * k + j] = v;
      cov[j * k + i] = v;
    }
  }
  return { mean, cov };
}

/** FD between the rows `a` and the rows `b` of z. */
function frechetOfRows(
  z: Float64Array,
  k: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  scratch: Scratch,
): FrechetParts {
  accumulate(z, k, a, scratch.sumA, scratch.secondA);
  accumulate(z, k, b, scratch.sumB, scratch.secondB);
  const ga = momentsToGaussian(scratch.sumA, scratch.secondA, a.length, k);
  const gb = momentsToGaussian(scratch.sumB, scratch.secondB, b.length, k);
  return frechetDistanceGaussians(ga.mean, ga.cov, gb.mean, gb.cov, k);
}

/**
 * FD of a split of all N rows into a side with the given row sum and raw second moments (upper triangle) of its
 * `nSide` rows, and the rest, whose moments are the totals minus those.
 */
function frechetOfSideMoments(
  sum: Float64Array,
  second: Float64Array,
  nSide: number,
  nAll: number,
  k: number,
  totals: { sum: Float64Array; second: Float64Array },
  scratch: Scratch,
): number {
  for (let i = 0; i < k; i++) scratch.sumB[i] = totals.sum[i] - sum[i];
  for (let i = 0; i < k * k; i++) scratch.secondB[i] = totals.second[i] - second[i];
  const gs = momentsToGaussian(sum, second, nSide, k);
  const gl = momentsToGaussian(scratch.sumB, scratch.secondB, nAll - nSide, k);
  // FD is symmetric in its two arguments, so the order does not matter.
  return frechetDistanceGaussians(gs.mean, gs.cov, gl.mean, gl.cov, k).distance;
}

interface Scratch {
  sumA: Float64Array;
  secondA: Float64Array;
  sumB: Float64Array;
  secondB: Float64Array;
}

async function testFrechet(
  state: FrechetState,
  data: TwoSamples,
  opts: FrechetOptions,
  ctx: TestContext,
): Promise<DetectorOutcome> {
  const input = { ...data, ...ctx };
  const rng = ctx.rng;
  const reference = state.referenceRows ? selectRows(data.reference, state.referenceRows) : data.reference;
  const target = sampleRows(data.target, opts.maxPerSide, rng.fork('subsample-target'));
  const n1 = reference.rows;
  const n2 = target.rows;
  const d = reference.cols;
  const k = Math.min(d, opts.components, Math.max(1, Math.floor(Math.min(n1, n2) / 4)));
  const task = input.progress.start(
    'Fréchet distance',
    1 + (input.design?.permutations ?? opts.permutations) + opts.bootstrap,
  );

  // Pooled PCA scores (float64, centred on the pooled mean).
  const pooled = concatRows(reference, target);
  const pca = await fitPca(pooled, k);
  const scores = await pca.project(pooled);
  const z = Float64Array.from(scores.data);
  const scratch: Scratch = {
    sumA: new Float64Array(k),
    secondA: new Float64Array(k * k),
    sumB: new Float64Array(k),
    secondB: new Float64Array(k * k),
  };
  const all = Uint32Array.from({ length: n1 + n2 }, (_, i) => i);
  const observed = frechetOfRows(z, k, all.subarray(0, n1), all.subarray(n1), scratch);
  task.increment();

  // Total variance of the pooled scores in the k dimensions used (the effect size's scale).
  // And the largest PC variance λ₁ (the MDE's bound on the variance a shift adds, below).
  let pooledVariance = 0;
  let largestVariance = 0;
  for (let c = 0; c < k; c++) {
    let ss = 0;
    for (let i = 0; i < n1 + n2; i++) ss += z[i * k + c] ** 2;
    pooledVariance += ss / (n1 + n2 - 1);
    largestVariance = Math.max(largestVariance, ss / (n1 + n2 - 1));
  }
  const effectSize = pooledVariance > 0 ? observed.distance / pooledVariance : 0;

  const subsampledRows = input.reference.rows > n1 || input.target.rows > n2;
  // The shared labellings and clusters apply only to the rows they were drawn for (not to a subsample).
  const design = subsampledRows ? undefined : input.design;
  const permutations = design ? design.permutations : opts.permutations;
  let pValue: number | null = null;
  let needed: number | null = null;
  if (permutations > 0) {
    const permRng = rng.fork('permutations');
    let atLeast = 0;
    const order = Uint32Array.from(all);
    const totals = { sum: new Float64Array(k), second: new Float64Array(k * k) };
    accumulate(z, k, all, totals.sum, totals.second);
    // Tolerance so exact ties (e.g. identical samples) count as "at least as large" despite rounding.
    const threshold = observed.distance * (1 - 1e-9) - 1e-12;
    const statistics = new Float64Array(permutations + 1);
    statistics[0] = observed.distance;
    // Each permutation's smaller side: its row sum and second moments from one float64 Gemm per block of
    // permutations (kernels/permutedMeans.ts), the same values as a row loop up to rounding.
    const sideSize = new Int32Array(permutations);
    const fill = (q: number, w: Float64Array) => {
      let nX = n1;
      if (design) {
        const member = membershipOf(design, q + 1);
        let x = 0;
        let y = n1 + n2 - 1;
        for (let i = 0; i < n1 + n2; i++) {
          if (member[i] === 1) order[x++] = i;
          else order[y--] = i;
        }
        nX = x;
      } else {
        permRng.shuffle(order);
      }
      const firstIsSmall = nX <= n1 + n2 - nX;
      const from = firstIsSmall ? 0 : nX;
      const to = firstIsSmall ? nX : n1 + n2;
      for (let i = from; i < to; i++) w[order[i]] = 1;
      sideSize[q] = to - from;
    };
    await subsetMoments(z, n1 + n2, k, permutations, fill, (q, sum, second) => {
      const fd = frechetOfSideMoments(sum, second, sideSize[q], n1 + n2, k, totals, scratch);
      statistics[q + 1] = fd;
      if (fd >= threshold) atLeast++;
      task.increment();
    });
    pValue = (1 + atLeast) / (1 + permutations);
    if (design) recordNull(design, 'frechet', statistics, observed.distance * 1e-9 + 1e-12);
    const alpha = input.alpha ?? DEFAULT_MDE_ALPHA;
    // The FD a shift needs above the null mean for power 0.8, its spread growing with the shift
    // (minDetectableEffect.ts), with ρ = FRECHET_RHO_FACTOR · λ₁ (above).
    needed = permutationCanReject(alpha, n1, n2, design)
      ? shiftForPower(statistics.subarray(1), alpha, { n1, n2 }, () => FRECHET_RHO_FACTOR * largestVariance)
      : null;
  }

  let interval: TwoSampleTestResult['interval'];
  if (opts.bootstrap > 0) {
    const bootRng = rng.fork('bootstrap');
    const values = new Float64Array(opts.bootstrap);
    // Rows resampled with replacement per side; whole groups when the rows are grouped.
    const clusters = input.reference.rows === n1 && input.target.rows === n2 ? (input.design?.clusters ?? null) : null;
    const membersA = clusters ? clusterMembers(0, n1, clusters) : undefined;
    const membersB = clusters ? clusterMembers(n1, n2, clusters) : undefined;
    // Replicate t's two sides are weightings 2t and 2t+1 (row multiplicities), drawn in the loop's order.
    const sideRows = new Int32Array(2 * opts.bootstrap);
    const fill = (q: number, w: Float64Array) => {
      const rows =
        q % 2 === 0
          ? bootstrapSide(0, n1, clusters, bootRng, membersA)
          : bootstrapSide(n1, n2, clusters, bootRng, membersB);
      for (let i = 0; i < rows.length; i++) w[rows[i]] += 1;
      sideRows[q] = rows.length;
    };
    await subsetMoments(z, n1 + n2, k, 2 * opts.bootstrap, fill, (q, sum, second) => {
      if (q % 2 === 0) {
        scratch.sumA.set(sum);
        scratch.secondA.set(second);
        return;
      }
      const ga = momentsToGaussian(scratch.sumA, scratch.secondA, sideRows[q - 1], k);
      const gb = momentsToGaussian(sum, second, sideRows[q], k);
      values[(q - 1) / 2] = frechetDistanceGaussians(ga.mean, ga.cov, gb.mean, gb.cov, k).distance;
      task.increment();
    });
    values.sort();
    interval = {
      lower: quantileSorted(values, (1 - opts.level) / 2),
      upper: quantileSorted(values, 1 - (1 - opts.level) / 2),
      level: opts.level,
      of: 'statistic',
    };
  }
  task.done();

  const keptVariance = pca.totalVariance > 0 ? pca.explainedVarianceRatio.reduce((s, v) => s + v, 0) : 1;
  const subsampled = subsampledRows;
  return {
    label: `Fréchet distance (Gaussian fits, ${k} pooled PCs)`,
    statistic: observed.distance,
    pValue,
    effectSize,
    effectSizeName: 'Fréchet distance / pooled total variance (same PCs)',
    minDetectableEffect: needed === null || !(pooledVariance > 0) ? null : Math.max(needed, 0) / pooledVariance,
    method:
      pValue === null
        ? 'no p-value (0 permutations)'
        : `${permutations} ${design?.clusters ? 'permutations of whole groups' : 'permutations'} of the pooled PC scores, (1+b)/(1+P)${subsampled ? `, on ${opts.maxPerSide} rows per side at most` : ''}`,
    ...(interval ? { interval } : {}),
    details: {
      components: k,
      dimension: d,
      pooledVarianceKept: keptVariance,
      meanTerm: observed.meanTerm,
      covarianceTerm: observed.covarianceTerm,
      pooledTotalVariance: pooledVariance,
      permutations,
      bootstrap: opts.bootstrap,
      rowsUsed: { reference: n1, target: n2 },
      ...(subsampled ? { subsampledPerSide: opts.maxPerSide } : {}),
    },
  };
}

/** Linear-interpolation quantile (numpy's default) of a sorted array. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
