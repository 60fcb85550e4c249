/**
 * Exact MMD test: Gaussian kernel k(x, y) = exp(−‖x − y‖² / (2σ²)), σ by the median heuristic on the pooled sample
 * (seeded subsample of ≤ 2000 rows; or a multiple of it, or an explicit σ), the unbiased MMD²_u as statistic
 * (Gretton et al. 2012), and a permutation p-value (1 + #{perm ≥ observed}) / (1 + P).
 *
 * The pooled N×N kernel is never stored: it is computed once, in row blocks, each block multiplied at once by the
 * indicators of every labelling (kernels/streamedPermutationEngine.ts), so P = 1000 permutations cost
 * N²·(d + P + 1) multiply-adds and O(b·N + N·P) memory (1 GiB by default): 25,000 vs 25,000 × 384 runs in bounded
 * memory (docs/BENCHMARKS.md). The suite picks this test or the linear-time one by a time budget
 * (kernels/exactBudget.ts).
 *
 * Effect size: MMD = √max(MMD²_u, 0), the distance between the two kernel mean embeddings: 0 for equal
 * distributions, at most √2 (disjoint supports far apart relative to σ); small shifts of embeddings give 0.05–0.5.
 */
import { z } from 'zod';
import { centredPooled } from './kernels/pooledSample.js';
import { mmdWeights } from './kernels/permutationEngine.js';
import { streamedQuadraticTest } from './kernels/streamedPermutationEngine.js';
import { chooseExact } from './kernels/exactBudget.js';
import { resolveBandwidth } from './kernels/gaussianBandwidth.js';
import { nullSummary } from './kernels/nullSummary.js';
import { recordNull, withObserved } from './permutationDesign.js';
import { DEFAULT_MDE_ALPHA, pooledOffDiagonalMean, uStatisticShiftForPower } from './minDetectableEffect.js';
import { defineDetector, type DetectorOutcome, type TestContext, type TwoSamples } from './registry/detectorSpec.js';
import { bandwidthFields, integerOption } from './registry/options.js';
import { asTwoSampleDetector } from './registry/runDetector.js';
import type { EmptyState } from './registry/storable.js';

export const mmdOptionsSchema = z.strictObject({
  permutations: integerOption(1000),
  ...bandwidthFields,
});

export type MmdOptions = z.infer<typeof mmdOptionsSchema>;

export const DEFAULT_MMD_OPTIONS: MmdOptions = mmdOptionsSchema.parse({});

/**
 * Nothing is fitted on the reference alone: the bandwidth and the kernel are of the pooled sample, which keeps the
 * permutation test exact.
 */
export const mmdSpec = defineDetector({
  name: 'mmd',
  label: 'MMD (Gaussian kernel, permutation)',
  summary:
    'exact MMD, Gaussian kernel (median-heuristic σ), permutation p-value; the suite uses linear-time random features when the exact test would exceed --exact-budget',
  inDefaultSuite: true,
  optionsSchema: mmdOptionsSchema,
  suite: {
    options: ({ permutations }) => ({ permutations }),
    above: {
      // Linear time and memory: Hotelling's T² on random Fourier features of the same Gaussian kernel. Measured
      // against the block MMD (mmdLinear.ts) at 20k per side: equally calibrated, far more power (39/40 vs 5/40).
      use: 'mmd-rff',
      when: ({ pooled, dims, permutations, exactBudgetSeconds }) =>
        chooseExact(pooled, dims, permutations, exactBudgetSeconds).note,
    },
  },
  fit: async (): Promise<EmptyState> => ({}),
  test: testMmd,
});

export const mmdDetector = asTwoSampleDetector(mmdSpec);

async function testMmd(
  _state: EmptyState,
  { reference, target }: TwoSamples,
  opts: MmdOptions,
  { rng, progress, design, alpha: alphaGiven }: TestContext,
): Promise<DetectorOutcome> {
  const n1 = reference.rows;
  const n2 = target.rows;
  const pooled = centredPooled(reference, target);
  const bandwidth = await resolveBandwidth(pooled, opts, rng.fork('bandwidth'), 'mmd');

  const permutations = design ? design.permutations : opts.permutations;
  // One pass over the kernel's row blocks computes the kernel and every permutation's sums (progress in rows).
  const task = progress.start('mmd kernel × permutations', pooled.rows);
  let done = 0;
  const outcome = await streamedQuadraticTest(
    pooled,
    n1,
    { kind: 'gaussian', sigma: bandwidth.sigma },
    mmdWeights(n1, n2),
    {
      permutations,
      rng: rng.fork('permutations'),
      design,
      weightsFor: mmdWeights,
      onProgress: (fraction) => {
        const rows = Math.round(fraction * pooled.rows);
        task.increment(rows - done);
        done = rows;
      },
    },
  );
  task.done();

  const mmd2 = outcome.observed;
  if (design) recordNull(design, 'mmd', withObserved(outcome.observed, outcome.permuted), outcome.tieTolerance);
  const alpha = alphaGiven ?? DEFAULT_MDE_ALPHA;
  // The MMD² a shift needs for power 0.8, its spread growing with it (minDetectableEffect.ts); tr C of the
  // Gaussian kernel: 1 − its mean off-diagonal value.
  const trace = 1 - pooledOffDiagonalMean(outcome.observedMeans, n1, n2);
  const needed = uStatisticShiftForPower(outcome.permuted, alpha, { n1, n2 }, trace, design);
  return {
    statistic: mmd2,
    pValue: outcome.pValue,
    effectSize: Math.sqrt(Math.max(mmd2, 0)),
    effectSizeName: 'MMD = √max(MMD²_u, 0) (kernel mean embedding distance, 0…√2)',
    minDetectableEffect: needed === null ? null : Math.sqrt(Math.max(needed, 0)),
    method: `${permutations} ${design?.clusters ? 'permutations of whole groups' : 'permutations of the pooled labels'}, p = (1+b)/(1+P); unbiased MMD², Gaussian kernel, ${bandwidth.description}`,
    details: {
      statisticName: 'unbiased MMD²',
      ...bandwidth.details,
      permutations,
      permutationsAtLeastObserved: outcome.atLeast,
      ...nullSummary(outcome.permuted),
      meanKernelWithinReference: outcome.observedMeans.withinX,
      meanKernelWithinTarget: outcome.observedMeans.withinY,
      meanKernelAcross: outcome.observedMeans.across,
      nReference: n1,
      nTarget: n2,
      permutationBatch: outcome.batchSize,
      kernelBlockRows: outcome.plan.blockRows,
      kernelPasses: outcome.plan.passes,
    },
  };
}
