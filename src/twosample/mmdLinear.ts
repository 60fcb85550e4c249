/**
 * Linear-memory MMD test for large samples: the block MMD test ("B-test", Zaremba, Gretton & Blaschko 2013).
 * Each side is shuffled (seeded) and cut into the same number of blocks; every block holds ≈ B rows of the smaller
 * side (and proportionally many of the larger), and gives an unbiased MMD²_u of its own rows. Blocks are disjoint,
 * so their statistics are independent, each with mean 0 under H0; the test statistic is their mean, and the
 * p-value the one-sided Student t tail, with blocks − 1 degrees of freedom, of t = mean / (sd / √blocks) after
 * Hall's skewness correction (the block statistics are right-skewed; uncorrected, the test is conservative).
 *
 * B = min(256, ⌊√n_min⌋) by default (√n balances power and the normal approximation, as in the paper; the cap keeps
 * 1M-row inputs to ~2·10⁸ kernel evaluations). Memory: the input is never copied (blocks of ≤ 2B rows are
 * gathered one at a time), plus two index permutations (4 bytes per row) and one block kernel.
 * The Gaussian kernel and its median-heuristic bandwidth are those of the exact test (σ on a seeded subsample of
 * ≤ 2000 pooled rows), so the two are comparable.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { createMatrix, type Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import { gaussianKernel, squaredNorms } from '../linalg/distances.js';
import { DEFAULT_MDE_ALPHA, linearTermGrowth, MDE_POWER, uStatisticRho } from './minDetectableEffect.js';
import { upperTailQuantile } from './kernels/tailQuantile.js';
import { resolveBandwidth } from './kernels/gaussianBandwidth.js';
import { MEDIAN_HEURISTIC_MAX_POINTS } from './kernels/bandwidth.js';
import { studentTUpperTail } from './kernels/studentT.js';
import { defineDetector, type DetectorOutcome, type TestContext, type TwoSamples } from './registry/detectorSpec.js';
import { bandwidthFields } from './registry/options.js';
import { asTwoSampleDetector } from './registry/runDetector.js';
import type { EmptyState } from './registry/storable.js';

export const mmdLinearOptionsSchema = z.strictObject({
  /** Rows of the smaller side per block; 'auto' = min(256, ⌊√n_min⌋). */
  blockSize: z
    .union([z.literal('auto'), z.number().int().min(2)], { error: "must be 'auto' or an integer ≥ 2" })
    .default('auto'),
  ...bandwidthFields,
});

export type MmdLinearOptions = z.infer<typeof mmdLinearOptionsSchema>;

export const DEFAULT_MMD_LINEAR_OPTIONS: MmdLinearOptions = mmdLinearOptionsSchema.parse({});

export const MAX_AUTO_BLOCK = 256;

/**
 * Nothing is fitted on the reference alone: the bandwidth is of the pooled sample and the blocks pair reference
 * with target rows.
 */
export const mmdLinearSpec = defineDetector({
  name: 'mmd-linear',
  label: 'MMD, linear-time block test (Gaussian kernel)',
  summary: 'block MMD (B-test): mean of per-block MMD² against a Student t null; linear time and memory',
  inDefaultSuite: false,
  optionsSchema: mmdLinearOptionsSchema,
  fit: async (): Promise<EmptyState> => ({}),
  test: testMmdLinear,
});

export const mmdLinearDetector = asTwoSampleDetector(mmdLinearSpec);

async function testMmdLinear(
  _state: EmptyState,
  { reference, target }: TwoSamples,
  opts: MmdLinearOptions,
  { rng, progress, alpha }: TestContext,
): Promise<DetectorOutcome> {
  const n1 = reference.rows;
  const n2 = target.rows;
  const nMin = Math.min(n1, n2);
  const blockSize =
    opts.blockSize === 'auto' ? Math.max(2, Math.min(MAX_AUTO_BLOCK, Math.floor(Math.sqrt(nMin)))) : opts.blockSize;
  if (!Number.isInteger(blockSize) || blockSize < 2)
    throw new InputError(`mmd-linear: block size must be an integer ≥ 2, got ${blockSize}`);
  const blocks = Math.floor(nMin / blockSize);
  if (blocks < 2) {
    throw new InputError(
      `mmd-linear: ${nMin} samples on the smaller side make fewer than 2 blocks of ${blockSize}; give at least ${2 * blockSize} per side or use the exact mmd test`,
    );
  }

  const mean = pooledMean(reference, target);
  const bandwidth = await resolveBandwidth(
    bandwidthSample(reference, target, mean, rng.fork('bandwidth-sample')),
    opts,
    rng.fork('bandwidth'),
    'mmd-linear',
  );
  const orderX = rng.fork('shuffle-reference').permutation(n1);
  const orderY = rng.fork('shuffle-target').permutation(n2);

  const task = progress.start('mmd-linear blocks', blocks);
  const h = new Float64Array(blocks);
  let meanKernel = 0;
  const maxRows = Math.ceil(n1 / blocks) + Math.ceil(n2 / blocks);
  const buffer = new Float32Array(maxRows * reference.cols);
  for (let b = 0; b < blocks; b++) {
    const x0 = Math.floor((b * n1) / blocks);
    const x1 = Math.floor(((b + 1) * n1) / blocks);
    const y0 = Math.floor((b * n2) / blocks);
    const y1 = Math.floor(((b + 1) * n2) / blocks);
    const rows = gatherCentred(buffer, reference, orderX.subarray(x0, x1), target, orderY.subarray(y0, y1), mean);
    const block = await blockMmd2(rows, x1 - x0, bandwidth.sigma);
    h[b] = block.mmd2;
    meanKernel += block.meanKernel / blocks;
    task.increment();
  }
  task.done();

  const { mean: statistic, sd, skewness } = meanAndSd(h);
  const standardError = sd / Math.sqrt(blocks);
  const df = blocks - 1;
  let tStatistic: number;
  let corrected: number;
  let pValue: number;
  if (standardError > 0) {
    tStatistic = statistic / standardError;
    corrected = hallCorrectedT(tStatistic, skewness, blocks);
    pValue = studentTUpperTail(corrected, df);
  } else {
    // Every block gave the same value (e.g. constant data): no spread to judge it by. Zero or less is no evidence;
    // a positive constant is overwhelming evidence (reported as the smallest positive p-value, never 0).
    tStatistic = statistic > 0 ? Number.MAX_VALUE : 0;
    corrected = tStatistic;
    pValue = statistic > 0 ? 0 : 1;
  }
  pValue = Math.min(1, Math.max(pValue, Number.MIN_VALUE));
  return {
    statistic,
    pValue,
    effectSize: Math.sqrt(Math.max(statistic, 0)),
    effectSizeName: 'MMD = √max(mean block MMD²_u, 0) (kernel mean embedding distance, 0…√2)',
    minDetectableEffect:
      sd > 0
        ? blockMeanMde(sd, {
            blocks,
            sizes: { n1: Math.floor(n1 / blocks), n2: Math.floor(n2 / blocks) },
            trace: 1 - meanKernel,
            alpha: alpha ?? DEFAULT_MDE_ALPHA,
          })
        : null,
    method: `block MMD test: ${blocks} blocks of ~${blockSize}+${Math.round((blockSize * Math.max(n1, n2)) / nMin)} rows, mean of block MMD²_u against a one-sided Student t(${df}) null (Hall skewness-corrected t); Gaussian kernel, ${bandwidth.description}`,
    details: {
      statisticName: 'mean of block unbiased MMD²',
      ...bandwidth.details,
      blocks,
      blockSize,
      tStatistic: Math.min(tStatistic, 1e300),
      tStatisticSkewCorrected: Math.min(corrected, 1e300),
      blockSkewness: skewness,
      degreesOfFreedom: df,
      standardError,
      nReference: n1,
      nTarget: n2,
    },
  };
}

function pooledMean(a: Matrix, b: Matrix): Float64Array {
  const d = a.cols;
  const mean = new Float64Array(d);
  for (const m of [a, b]) {
    for (let i = 0; i < m.rows; i++) {
      const off = i * d;
      for (let j = 0; j < d; j++) mean[j] += m.data[off + j];
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= a.rows + b.rows;
  return mean;
}

/** ≤ 2000 pooled rows, drawn from each side in proportion to its size, centred: the median heuristic's input. */
function bandwidthSample(a: Matrix, b: Matrix, mean: Float64Array, rng: Rng): Matrix {
  const n = a.rows + b.rows;
  const total = Math.min(n, MEDIAN_HEURISTIC_MAX_POINTS);
  const fromA = Math.max(1, Math.min(a.rows, Math.round((total * a.rows) / n)));
  const fromB = Math.max(1, Math.min(b.rows, total - fromA));
  const ia = fromA === a.rows ? Uint32Array.from({ length: a.rows }, (_, i) => i) : rng.sample(a.rows, fromA).sort();
  const ib = fromB === b.rows ? Uint32Array.from({ length: b.rows }, (_, i) => i) : rng.sample(b.rows, fromB).sort();
  const out = createMatrix(fromA + fromB, a.cols);
  gatherCentred(out.data, a, ia, b, ib, mean);
  return out;
}

/** Copy rows xs of a, then rows ys of b, minus `mean`, into `buffer`; a matrix view of the filled part. */
function gatherCentred(
  buffer: Float32Array,
  a: Matrix,
  xs: ArrayLike<number>,
  b: Matrix,
  ys: ArrayLike<number>,
  mean: Float64Array,
): Matrix {
  const d = a.cols;
  let row = 0;
  for (const [m, idx] of [
    [a, xs],
    [b, ys],
  ] as const) {
    for (let r = 0; r < idx.length; r++, row++) {
      const src = idx[r] * d;
      const dst = row * d;
      for (let j = 0; j < d; j++) buffer[dst + j] = m.data[src + j] - mean[j];
    }
  }
  return createMatrix(row, d, buffer.subarray(0, row * d));
}

/**
 * MDE of the block test on the MMD scale: the mean block MMD² s that the one-sided t test over B blocks detects
 * with power 0.8, s = k·√(sd² + g·s) with k = (t₁₋α + t₀.₈)/√B on B − 1 degrees of freedom (the t null's own
 * quantiles: with few blocks the z values promised power the test did not have) and g·s the variance a shift adds
 * to each block's U-statistic (its linear term, 4ρ·s·(1/b₁ + 1/b₂), ρ = 2·tr C²/tr C from the blocks' own spread
 * as for the exact MMD: minDetectableEffect.ts): s = (k²g + √(k⁴g² + 4k²·sd²))/2.
 */
export function blockMeanMde(
  sd: number,
  block: { blocks: number; sizes: { n1: number; n2: number }; trace: number; alpha: number },
): number {
  const { blocks, sizes, trace, alpha } = block;
  const df = blocks - 1;
  const quantile = (q: number) => upperTailQuantile((t) => studentTUpperTail(t, df), q);
  const k = (quantile(alpha) + quantile(1 - MDE_POWER)) / Math.sqrt(blocks);
  const g = linearTermGrowth(uStatisticRho(sd, trace, sizes.n1, sizes.n2), sizes.n1, sizes.n2);
  const s = (k * k * g + Math.sqrt(k ** 4 * g * g + 4 * k * k * sd * sd)) / 2;
  return Math.min(Math.SQRT2, Math.sqrt(s));
}

/**
 * A block's unbiased MMD² (its first nx rows are X, the rest Y) and the mean of its pooled off-diagonal kernel
 * values (1 − that is the kernel's tr C).
 */
async function blockMmd2(rows: Matrix, nx: number, sigma: number): Promise<{ mmd2: number; meanKernel: number }> {
  const n = rows.rows;
  const ny = n - nx;
  const norms = squaredNorms(rows);
  const k = (await gaussianKernel(rows, rows, sigma, { aNorms: norms, bNorms: norms })).data;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < nx; i++) {
    const off = i * n;
    for (let j = 0; j < nx; j++) if (j !== i) xx += k[off + j];
    for (let j = nx; j < n; j++) xy += k[off + j];
  }
  for (let i = nx; i < n; i++) {
    const off = i * n;
    for (let j = nx; j < n; j++) if (j !== i) yy += k[off + j];
  }
  return {
    mmd2: xx / (nx * (nx - 1)) + yy / (ny * (ny - 1)) - (2 * xy) / (nx * ny),
    meanKernel: (xx + yy + 2 * xy) / (n * (n - 1)),
  };
}

/**
 * Hall's (1992) monotone cubic transform of a t statistic from skewed data, t + a(2t² + 1) + (4a²/3)t³ with
 * a = γ / (6√n): removes the first-order skewness term of t's Edgeworth expansion. Block MMD² values are right-skewed
 * (degenerate U-statistics), which leaves the plain t-test conservative (measured on Gaussians: FPR 0.033 with 17
 * blocks, 0.040 with 45, at α = 0.05); corrected: 0.047 and 0.055. Its derivative is (1 + 2at)² ≥ 0.
 */
export function hallCorrectedT(t: number, skewness: number, n: number): number {
  const a = skewness / (6 * Math.sqrt(n));
  return t + a * (2 * t * t + 1) + ((4 * a * a) / 3) * t * t * t;
}

function meanAndSd(values: Float64Array): { mean: number; sd: number; skewness: number } {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let ss = 0;
  let s3 = 0;
  for (const v of values) {
    ss += (v - mean) ** 2;
    s3 += (v - mean) ** 3;
  }
  const m2 = ss / values.length;
  return { mean, sd: Math.sqrt(ss / (values.length - 1)), skewness: m2 > 0 ? s3 / values.length / m2 ** 1.5 : 0 };
}
