/**
 * Centroid distance test: the Euclidean distance between the two mean embeddings, with a permutation p-value.
 *
 * Effect size: distance / RMS distance of all rows to the pooled centroid. Scale-free and never infinite: 0 for
 * equal centroids, 2 at most for equal sizes (two point masses), whatever the data's spread.
 *
 * p-value: (1 + #{distance_perm ≥ distance}) / (1 + P). A permutation only needs the sum of the smaller side's
 * rows (the other side's is total − that), so it costs n_min·d (a block of permutations runs as one float64 Gemm
 * of the membership matrix, kernels/permutedMeans.ts). P defaults to 1000 and is lowered (not below
 * 199) to keep n_min·d·P under a fixed budget; above `maxPerSide` rows per side the permutation test runs on a
 * seeded subsample of that size per side (the reported distance and effect use all rows). Details say both.
 */
import { z } from 'zod';
import { selectRows, type Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import { distancesBetween } from '../analysis/centroid.js';
import { columnMeans } from '../linalg/covariance.js';
import {
  DEFAULT_MDE_ALPHA,
  permutationCanReject,
  shiftForPower,
  squaredMeanDistanceRho,
} from './minDetectableEffect.js';
import { membershipOf, recordNull, type PermutationDesign } from './permutationDesign.js';
import { weightedColumnSums } from './kernels/permutedMeans.js';
import {
  defineDetector,
  type DetectorOutcome,
  type FitContext,
  type TestContext,
  type TwoSamples,
} from './registry/detectorSpec.js';
import { integerOption, positiveOption } from './registry/options.js';
import { asTwoSampleDetector } from './registry/runDetector.js';

export const centroidOptionsSchema = z.strictObject({
  permutations: integerOption(1000),
  maxPerSide: integerOption(10_000, 2),
  /** Multiply-adds the permutations may spend (n_min·d·P). */
  workBudget: positiveOption(2e9),
});

export type CentroidOptions = z.infer<typeof centroidOptionsSchema>;

export const DEFAULT_CENTROID_OPTIONS: CentroidOptions = centroidOptionsSchema.parse({});

const MIN_PERMUTATIONS = 199;

/**
 * Fitted on the reference: its mean embedding, and which of its rows the permutation test uses above maxPerSide
 * (a seeded subsample, null when all). The pooled spread and the permutations need both sides (test time).
 */
export type CentroidState = { referenceMean: Float64Array; referenceRows: Uint32Array | null };

export const centroidSpec = defineDetector({
  name: 'centroid',
  label: 'Centroid distance (permutation)',
  summary: 'Euclidean distance between the mean embeddings, permutation p-value; effect relative to the pooled spread',
  inDefaultSuite: true,
  optionsSchema: centroidOptionsSchema,
  suite: { options: ({ permutations }) => ({ permutations }) },
  fit: fitCentroid,
  test: testCentroid,
});

export const centroidDetector = asTwoSampleDetector(centroidSpec);

async function fitCentroid(reference: Matrix, opts: CentroidOptions, { rng }: FitContext): Promise<CentroidState> {
  return {
    referenceMean: columnMeans(reference),
    referenceRows: subsampleRows(reference.rows, opts.maxPerSide, rng.fork('subsample-reference')),
  };
}

/** sampleRows' draw: sorted indices of a seeded subsample of `max` rows, or null when all rows are kept. */
function subsampleRows(n: number, max: number, rng: Rng): Uint32Array | null {
  return n > max ? rng.sample(n, max).sort() : null;
}

async function testCentroid(
  state: CentroidState,
  { reference, target }: TwoSamples,
  opts: CentroidOptions,
  ctx: TestContext,
): Promise<DetectorOutcome> {
  const { rng } = ctx;
  const d = reference.cols;
  const meanRef = state.referenceMean;
  const meanTgt = columnMeans(target);
  const { euclideanDistance, cosineDistance } = distancesBetween(meanRef, meanTgt);
  const spread = rmsSpread(reference, target, meanRef, meanTgt);
  const effectSize = spread > 0 ? euclideanDistance / spread : 0;

  const subsampled = reference.rows > opts.maxPerSide || target.rows > opts.maxPerSide;
  const a = state.referenceRows ? selectRows(reference, state.referenceRows) : reference;
  const targetRows = subsampleRows(target.rows, opts.maxPerSide, rng.fork('subsample-target'));
  const b = targetRows ? selectRows(target, targetRows) : target;
  const nSmall = Math.min(a.rows, b.rows);
  const affordable = Math.floor(opts.workBudget / (nSmall * d));
  // The shared labellings apply only to the rows they were drawn for (not to a subsample).
  const design = subsampled ? undefined : ctx.design;
  const permutations = design
    ? design.permutations
    : Math.max(Math.min(opts.permutations, affordable), Math.min(MIN_PERMUTATIONS, opts.permutations));

  const task = ctx.progress.start('centroid permutations', permutations);
  const { pValue, observed, statistics } = await permutationPValue(
    a,
    b,
    permutations,
    rng.fork('permutations'),
    design,
    () => task.increment(),
  );
  task.done();
  if (design) recordNull(design, 'centroid', statistics, observed * 1e-9 + 1e-15);
  // On the squared distance, whose null mean is the noise floor ‖Δ̂‖² has without a shift.
  const squared = statistics.subarray(1).map((v) => v * v);
  const alpha = ctx.alpha ?? DEFAULT_MDE_ALPHA;
  // The squared distance a shift needs for power 0.8 above that floor, its spread growing with it
  // (minDetectableEffect.ts; ρ = 2 · tr C² / tr C, from the null's own mean and spread).
  const sizes = { n1: a.rows, n2: b.rows };
  const needed2 = permutationCanReject(alpha, a.rows, b.rows, design)
    ? shiftForPower(squared, alpha, sizes, ({ sd, mean }) => squaredMeanDistanceRho(sd, mean, a.rows, b.rows))
    : null;
  const needed = needed2 === null ? null : Math.sqrt(Math.max(needed2, 0));

  return {
    statistic: euclideanDistance,
    pValue,
    effectSize,
    effectSizeName: 'centroid distance / RMS distance to the pooled centroid',
    minDetectableEffect: needed === null || !(spread > 0) ? null : needed / spread,
    method: `${permutations} ${design?.clusters ? 'permutations of whole groups' : 'permutations'}, (1+b)/(1+P)${subsampled ? `, on ${opts.maxPerSide} rows per side at most` : ''}`,
    details: {
      euclideanDistance,
      cosineDistance,
      pooledRmsSpread: spread,
      permutations,
      ...(permutations < opts.permutations ? { permutationsRequested: opts.permutations } : {}),
      ...(subsampled ? { subsampledPerSide: opts.maxPerSide, permutationStatistic: observed } : {}),
    },
  };
}

/** sqrt(mean over all rows of ‖x − pooled centroid‖²). */
function rmsSpread(a: Matrix, b: Matrix, meanA: Float64Array, meanB: Float64Array): number {
  const d = a.cols;
  const n = a.rows + b.rows;
  const pooled = new Float64Array(d);
  for (let j = 0; j < d; j++) pooled[j] = (meanA[j] * a.rows + meanB[j] * b.rows) / n;
  let ss = 0;
  for (const m of [a, b]) {
    for (let i = 0; i < m.rows; i++) {
      const off = i * d;
      for (let j = 0; j < d; j++) ss += (m.data[off + j] - pooled[j]) ** 2;
    }
  }
  return Math.sqrt(ss / n);
}

/**
 * Permutation p-value of the centroid distance between the rows of a and b; with a design, over its labellings
 * (whose reference sizes may vary). Returns every labelling's distance, observed first. Each permutation's side sum
 * comes from one float64 Gemm per block of permutations (kernels/permutedMeans.ts): the same sums as a row loop, to
 * rounding.
 */
async function permutationPValue(
  a: Matrix,
  b: Matrix,
  permutations: number,
  rng: Rng,
  design: PermutationDesign | undefined,
  onStep: () => void,
): Promise<{ pValue: number; observed: number; statistics: Float64Array }> {
  const d = a.cols;
  const n1 = a.rows;
  const n = a.rows + b.rows;
  // Pooled rows centred on the pooled mean (float64) so partial sums lose nothing to cancellation.
  const z = new Float64Array(n * d);
  const total = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const src = i < n1 ? a.data.subarray(i * d, (i + 1) * d) : b.data.subarray((i - n1) * d, (i - n1 + 1) * d);
    z.set(src, i * d);
    for (let j = 0; j < d; j++) total[j] += src[j];
  }
  for (let j = 0; j < d; j++) total[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] -= total[j];
  // With centred rows, sum_B = −sum_A, so the distance is ‖sum_A‖ · (1/n_A + 1/n_B) for the smaller side A.
  const small = Math.min(n1, n - n1);
  const scale = 1 / small + 1 / (n - small);
  const sumSmall = new Float64Array(d);
  const distanceOf = (rows: ArrayLike<number>): number => {
    sumSmall.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const off = rows[r] * d;
      for (let j = 0; j < d; j++) sumSmall[j] += z[off + j];
    }
    let ss = 0;
    for (let j = 0; j < d; j++) ss += sumSmall[j] * sumSmall[j];
    return Math.sqrt(ss) * scale;
  };
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const observedRows = n1 <= n - n1 ? order.subarray(0, n1) : order.subarray(n1);
  const observed = distanceOf(observedRows);
  const threshold = observed * (1 - 1e-9) - 1e-15;
  const statistics = new Float64Array(permutations + 1);
  statistics[0] = observed;
  let atLeast = 0;
  // Rows in side X of each permutation: `small` for shuffles; a design's labellings may vary in size.
  const sizes = new Int32Array(permutations);
  const fill = design
    ? (p: number, w: Float64Array) => {
        const member = membershipOf(design, p + 1);
        let m = 0;
        for (let i = 0; i < n; i++) {
          if (member[i] === 1) {
            w[i] = 1;
            m++;
          }
        }
        sizes[p] = m;
      }
    : (p: number, w: Float64Array) => {
        // Only the first `small` positions are needed: a partial Fisher–Yates shuffle draws them uniformly.
        for (let i = 0; i < small; i++) {
          const j = i + rng.int(n - i);
          const t = order[i];
          order[i] = order[j];
          order[j] = t;
          w[order[i]] = 1;
        }
        sizes[p] = small;
      };
  await weightedColumnSums(z, n, d, permutations, fill, (p, sums) => {
    let ss = 0;
    for (let j = 0; j < d; j++) ss += sums[j] * sums[j];
    // sum_X over centred rows; the distance is ‖sum_X‖ · (1/n_X + 1/n_Y) for any split sizes.
    const value = design ? Math.sqrt(ss) * (1 / sizes[p] + 1 / (n - sizes[p])) : Math.sqrt(ss) * scale;
    statistics[p + 1] = value;
    if (value >= threshold) atLeast++;
    onStep();
  });
  return { pValue: (1 + atLeast) / (1 + permutations), observed, statistics };
}
