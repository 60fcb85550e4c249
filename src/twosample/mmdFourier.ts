/**
 * Linear-time MMD test on random Fourier features: Hotelling's T² on the features of the exact test's Gaussian
 * kernel. An alternative to the block MMD test in mmdLinear.ts, with the same O(N) cost and much more power on
 * mean-like shifts (measured at 20k rows per side, d = 50, a 0.1σ shift of one coordinate:
 * 39/40 rejections at α = 0.05 against 5/40 for the block test; both calibrated under the null).
 *
 * With D features φ (k(x, y) ≈ φ(x)·φ(y)), MMD² ≈ ‖E φ(X) − E φ(Y)‖², so testing the kernel mean embeddings
 * equal is testing the feature means equal. T² = (nm/(n+m))·δᵀ S⁻¹ δ (δ the difference of feature means, S the
 * pooled feature covariance) has, by the multivariate CLT, the F((n+m−1−p)/(p(n+m−2))·T²; p, n+m−1−p) null
 * with p = rank(S): a valid p-value without permutations. Directions whose covariance eigenvalue falls below
 * 1e-5 of the largest are dropped (float32 scatter cannot resolve them), and p is their count.
 *
 * Cost O(N·d·D + N·D²) time, O(block·D + D²) memory: the inputs are streamed in row blocks, never copied.
 * Effect size: √max(MMD²_rff, 0) with the unbiased estimate MMD²_rff = ‖δ‖² − tr Σx/n − tr Σy/m, on the
 * exact test's scale (the MMD of the Gaussian kernel, in [0, √2]).
 */
import { z } from 'zod';
import { createMatrix, type Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import { eigenSymmetric } from '../linalg/eigenSymmetric.js';
import { MEDIAN_HEURISTIC_MAX_POINTS } from './kernels/bandwidth.js';
import { resolveBandwidth } from './kernels/gaussianBandwidth.js';
import { fUpperTail } from './kernels/fDistribution.js';
import { upperTailQuantile } from './kernels/tailQuantile.js';
import { DEFAULT_MDE_ALPHA, MDE_POWER } from './minDetectableEffect.js';
import { drawFourierFeatures, featureMoments, type FeatureMoments } from './kernels/randomFourierFeatures.js';
import { defineDetector, type DetectorOutcome, type TestContext, type TwoSamples } from './registry/detectorSpec.js';
import { bandwidthFields, integerOption } from './registry/options.js';
import { asTwoSampleDetector } from './registry/runDetector.js';
import type { EmptyState } from './registry/storable.js';

/**
 * The margin on a spread-shaped shift's ‖δ‖² per unit of δᵀS⁻¹δ (tr S/p) in the Hotelling MDE (hotellingMde). Real
 * shifts of the random features' means lie in their high-variance directions. Measured (test/stats/
 * minDetectableEffect.test.ts, the MDE each split reports, 40–80 repetitions, n = 50 / 200 per side): with 1,
 * power at the MDE 0.30–0.875 (SOTU 1946–1989 → 1990–2021 0.50 / 0.30); with 2, 0.60–1.00; with 3, 0.775–1.00
 * over two runs (SOTU 0.95–0.975 at n = 50, 0.775–0.875 at 200); with 4, 0.925–1.00. The MDE grows as √margin.
 */
export const HOTELLING_DIRECTION_MARGIN = 3;

export const mmdFourierOptionsSchema = z.strictObject({
  /** Random Fourier features D (more: closer to the exact kernel, more power; cost grows like D²). */
  features: integerOption(256),
  ...bandwidthFields,
  /** Rows per streamed block. */
  blockRows: integerOption(4096),
});

export type MmdFourierOptions = z.infer<typeof mmdFourierOptionsSchema>;

export const DEFAULT_MMD_FOURIER_OPTIONS: MmdFourierOptions = mmdFourierOptionsSchema.parse({});

/** Relative eigenvalue floor below which a feature direction is dropped (float32 scatter noise is ~1e-6). */
const EIGEN_FLOOR = 1e-5;
/** Eigenvalue floor relative to the largest possible feature variance (2/D). */
const ABSOLUTE_EIGEN_FLOOR = 1e-9;
/** Keep at least this many samples per feature so the F approximation of the null holds. */
const MIN_SAMPLES_PER_FEATURE = 10;

/**
 * Nothing is fitted on the reference alone: σ is the pooled sample's median heuristic and the feature map depends
 * on it, so the reference's feature moments are computed at test time.
 */
export const mmdFourierSpec = defineDetector({
  name: 'mmd-rff',
  label: 'MMD, linear time (Gaussian kernel, random features)',
  summary:
    "Hotelling's T² on random Fourier features of the Gaussian kernel (F null); what the suite's mmd uses at large N",
  inDefaultSuite: false,
  optionsSchema: mmdFourierOptionsSchema,
  fit: async (): Promise<EmptyState> => ({}),
  test: testMmdFourier,
});

export const mmdFourierDetector = asTwoSampleDetector(mmdFourierSpec);

async function testMmdFourier(
  _state: EmptyState,
  { reference, target }: TwoSamples,
  opts: MmdFourierOptions,
  { rng, progress, alpha }: TestContext,
): Promise<DetectorOutcome> {
  const n = reference.rows;
  const m = target.rows;
  const features = Math.max(1, Math.min(opts.features, Math.floor((n + m) / MIN_SAMPLES_PER_FEATURE)));

  const bandwidthRng = rng.fork('bandwidth');
  const subsample = pooledSubsample(reference, target, MEDIAN_HEURISTIC_MAX_POINTS, bandwidthRng);
  const bandwidth = await resolveBandwidth(subsample, opts, bandwidthRng, 'mmd-rff');
  const map = drawFourierFeatures(reference.cols, features, bandwidth.sigma, rng.fork('features'));
  const task = progress.start('mmd-rff features', n + m);
  const x = await featureMoments(map, reference, opts.blockRows, (rows) => task.increment(rows));
  const y = await featureMoments(map, target, opts.blockRows, (rows) => task.increment(rows));
  task.done();

  const hotelling = hotellingT2(x, y);
  const mmd2 = unbiasedMmd2(x, y);
  const effectSize = Math.sqrt(Math.max(mmd2, 0));
  const minDetectableEffect = hotellingMde(hotelling, n, m, alpha ?? DEFAULT_MDE_ALPHA);
  return {
    statistic: hotelling.t2,
    pValue: hotelling.pValue,
    effectSize,
    effectSizeName: 'MMD = √max(MMD², 0), Gaussian kernel via random Fourier features (0 = same distribution, ≤ √2)',
    minDetectableEffect,
    method: `Hotelling T² on ${features} random Fourier features of the Gaussian kernel, F(${hotelling.df1}, ${hotelling.df2}) null, ${bandwidth.description}; linear time, streamed in blocks`,
    details: {
      ...bandwidth.details,
      features,
      ...(features < opts.features ? { featuresRequested: opts.features } : {}),
      rank: hotelling.df1,
      fStatistic: hotelling.f,
      df1: hotelling.df1,
      df2: hotelling.df2,
      mmd2: mmd2,
    },
  };
}

interface HotellingResult {
  t2: number;
  f: number;
  df1: number;
  df2: number;
  pValue: number;
  /** Sum of the pooled covariance's retained eigenvalues. */
  retainedTrace: number;
}

/**
 * MDE of the Hotelling test on the MMD scale: the noncentrality λ = (nm/(n + m))·δᵀS⁻¹δ that gives power 0.8 at α
 * for the test's own F(p, df₂) null (noncentral F by Patnaik's approximation, F′ ≈ ((p + λ)/p)·F(ν, df₂) with
 * ν = (p + λ)²/(p + 2λ); solved by bisection), for a shift of the feature means shaped like the data's own spread
 * (δ = S^½u: δᵀS⁻¹δ = ‖u‖², ‖δ‖² ≈ ‖u‖²·tr S/p) times the margin HOTELLING_DIRECTION_MARGIN (real shifts lie in
 * the features' high-variance directions, where ‖δ‖² per unit of δᵀS⁻¹δ is larger), so
 * MMD² = λ·(n + m)/(n·m)·margin·tr S/p. With few rows (df₂ small) the F's denominator makes λ large: the test has
 * little power there, and the MDE says so (the χ² approximation, which ignores df₂, reported power 0.8 for shifts
 * it detected 18–75% of the time).
 */
function hotellingMde(h: HotellingResult, n: number, m: number, alpha: number): number | null {
  const p = h.df1;
  if (!(h.retainedTrace > 0) || p < 1 || h.df2 < 1) return null;
  const lambda = noncentralFLambda(p, h.df2, alpha, MDE_POWER);
  if (lambda === null) return Math.SQRT2;
  const mmd2 = (lambda * ((n + m) / (n * m)) * HOTELLING_DIRECTION_MARGIN * h.retainedTrace) / p;
  return Math.min(Math.SQRT2, Math.sqrt(mmd2));
}

/**
 * The noncentrality at which an F(d1, d2) test at level α has the given power (Patnaik's approximation), or null
 * when no finite λ reaches it: the point where the miss rate 1 − power(λ), falling in λ, meets 1 − power.
 */
export function noncentralFLambda(d1: number, d2: number, alpha: number, power: number): number | null {
  const critical = upperTailQuantile((f) => fUpperTail(f, d1, d2), alpha);
  const missRate = (lambda: number) => {
    const nu = (d1 + lambda) ** 2 / (d1 + 2 * lambda);
    return 1 - fUpperTail((critical * d1) / (d1 + lambda), nu, d2);
  };
  const lambda = upperTailQuantile(missRate, 1 - power);
  return Number.isFinite(lambda) ? lambda : null;
}

/** Two-sample Hotelling T² with the pooled covariance restricted to its numerically resolved eigen-directions. */
export function hotellingT2(x: FeatureMoments, y: FeatureMoments): HotellingResult {
  const D = x.mean.length;
  const n = x.count;
  const m = y.count;
  const pooled = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) {
      // Symmetrise: the float32 block products are symmetric only up to rounding.
      const s = (x.scatter[i * D + j] + x.scatter[j * D + i] + y.scatter[i * D + j] + y.scatter[j * D + i]) / 2;
      pooled[i * D + j] = s / (n + m - 2);
    }
  }
  const eigen = eigenSymmetric(pooled, D);
  // Relative floor (float32 scatter noise), and an absolute one: a feature's variance is at most 2/D, and float32
  // rounding of constant features leaves ~1e-14 of that, which must read as "no variance", not as a direction.
  const floor = Math.max(eigen.values[0] * EIGEN_FLOOR, (2 / D) * ABSOLUTE_EIGEN_FLOOR);
  let quad = 0;
  let rank = 0;
  let retainedTrace = 0;
  for (let k = 0; k < D; k++) {
    const lambda = eigen.values[k];
    if (!(lambda > floor)) break;
    retainedTrace += lambda;
    let proj = 0;
    for (let j = 0; j < D; j++) proj += eigen.vectors[k * D + j] * (x.mean[j] - y.mean[j]);
    quad += (proj * proj) / lambda;
    rank++;
  }
  const t2 = ((n * m) / (n + m)) * quad;
  const df2 = n + m - 1 - rank;
  if (rank === 0 || df2 < 1)
    return {
      t2: rank === 0 ? 0 : t2,
      f: 0,
      df1: Math.max(rank, 1),
      df2: Math.max(df2, 1),
      pValue: 1,
      retainedTrace,
    };
  const f = (df2 / (rank * (n + m - 2))) * t2;
  return {
    t2,
    f,
    df1: rank,
    df2,
    pValue: Math.min(1, Math.max(fUpperTail(f, rank, df2), Number.MIN_VALUE)),
    retainedTrace,
  };
}

/** ‖δ‖² − tr Σx/n − tr Σy/m: unbiased for the squared distance of the feature mean embeddings. */
function unbiasedMmd2(x: FeatureMoments, y: FeatureMoments): number {
  const D = x.mean.length;
  let distance = 0;
  let traceX = 0;
  let traceY = 0;
  for (let j = 0; j < D; j++) {
    distance += (x.mean[j] - y.mean[j]) ** 2;
    traceX += x.scatter[j * D + j];
    traceY += y.scatter[j * D + j];
  }
  return distance - traceX / (x.count * (x.count - 1)) - traceY / (y.count * (y.count - 1));
}

/**
 * At most maxPoints rows drawn uniformly from the pooled sample (without stacking the full inputs), centred on their
 * mean so the float32 distance expansion loses little to cancellation.
 */
function pooledSubsample(reference: Matrix, target: Matrix, maxPoints: number, rng: Rng): Matrix {
  const total = reference.rows + target.rows;
  const d = reference.cols;
  const picked = total > maxPoints ? rng.sample(total, maxPoints) : Uint32Array.from({ length: total }, (_, i) => i);
  const out = createMatrix(picked.length, d);
  const mean = new Float64Array(d);
  picked.forEach((index, r) => {
    const [m, i] = index < reference.rows ? [reference, index] : [target, index - reference.rows];
    out.data.set(m.data.subarray(i * d, (i + 1) * d), r * d);
    for (let j = 0; j < d; j++) mean[j] += out.data[r * d + j];
  });
  for (let j = 0; j < d; j++) mean[j] /= picked.length;
  for (let k = 0; k < out.data.length; k++) out.data[k] -= mean[k % d];
  return out;
}
