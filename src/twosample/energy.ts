/**
 * Energy distance test (Székely & Rizzo 2004): E = 2·E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖, estimated with U-statistics
 * (means over distinct pairs), and a permutation p-value (1 + #{perm ≥ observed}) / (1 + P), default P = 1000.
 * The pooled Euclidean distances are computed once, in row blocks, each block multiplied at once by every
 * labelling's indicators (the streamed engine of the exact MMD, kernels/streamedPermutationEngine.ts): no N×N
 * matrix, memory O(b·N + N·P), cost N²·(d + P + 1) multiply-adds.
 *
 * Effect size: max(E, 0) / (2·E‖X − Y‖), in [0, 1]: 0 for equal distributions, → 1 when the two samples are far
 * apart relative to their own spread (it is 1 − (E‖X−X'‖ + E‖Y−Y'‖) / (2E‖X−Y‖)).
 */
import { z } from 'zod';
import { centredPooled } from './kernels/pooledSample.js';
import { energyWeights } from './kernels/permutationEngine.js';
import { streamedQuadraticTest } from './kernels/streamedPermutationEngine.js';
import { nullSummary } from './kernels/nullSummary.js';
import { recordNull, withObserved } from './permutationDesign.js';
import { DEFAULT_MDE_ALPHA, pooledOffDiagonalMean, uStatisticShiftForPower } from './minDetectableEffect.js';
import { defineDetector, type DetectorOutcome, type TestContext, type TwoSamples } from './registry/detectorSpec.js';
import { integerOption } from './registry/options.js';
import { asTwoSampleDetector } from './registry/runDetector.js';
import type { EmptyState } from './registry/storable.js';

export const energyOptionsSchema = z.strictObject({ permutations: integerOption(1000) });

export type EnergyOptions = z.infer<typeof energyOptionsSchema>;

export const DEFAULT_ENERGY_OPTIONS: EnergyOptions = energyOptionsSchema.parse({});

/** Above this many samples per side the suite runs energy distance (O(N²)) on a seeded subsample of this size. */
export const ENERGY_SUITE_MAX_PER_SIDE = 2500;

/** Nothing is fitted on the reference alone: the distances are of the pooled sample (an exact permutation test). */
export const energySpec = defineDetector({
  name: 'energy',
  label: 'Energy distance (permutation)',
  summary: 'energy distance (U-statistics), permutation p-value; the suite subsamples it above 2500 rows per side',
  inDefaultSuite: true,
  optionsSchema: energyOptionsSchema,
  suite: {
    options: ({ permutations }) => ({ permutations }),
    maxPerSide: ENERGY_SUITE_MAX_PER_SIDE,
    subsampleWarning: `Energy distance ran on a seeded subsample of at most ${ENERGY_SUITE_MAX_PER_SIDE} samples per side (it is quadratic in N).`,
  },
  fit: async (): Promise<EmptyState> => ({}),
  test: testEnergy,
});

export const energyDetector = asTwoSampleDetector(energySpec);

async function testEnergy(
  _state: EmptyState,
  { reference, target }: TwoSamples,
  opts: EnergyOptions,
  { rng, progress, design, alpha: alphaGiven }: TestContext,
): Promise<DetectorOutcome> {
  const n1 = reference.rows;
  const n2 = target.rows;
  const pooled = centredPooled(reference, target);
  const permutations = design ? design.permutations : opts.permutations;
  // One pass over the distance matrix's row blocks serves every permutation (progress in rows).
  const task = progress.start('energy distances × permutations', pooled.rows);
  let done = 0;
  const outcome = await streamedQuadraticTest(pooled, n1, { kind: 'distance' }, energyWeights(n1, n2), {
    permutations,
    rng: rng.fork('permutations'),
    design,
    weightsFor: energyWeights,
    onProgress: (fraction) => {
      const rows = Math.round(fraction * pooled.rows);
      task.increment(rows - done);
      done = rows;
    },
  });
  task.done();

  const energy = outcome.observed;
  const across = outcome.observedMeans.across;
  if (design) recordNull(design, 'energy', withObserved(energy, outcome.permuted), outcome.tieTolerance);
  const alpha = alphaGiven ?? DEFAULT_MDE_ALPHA;
  // The energy distance a shift needs for power 0.8, its spread growing with it (minDetectableEffect.ts); tr C of
  // the distance kernel ‖x‖ + ‖y‖ − ‖x − y‖: the mean pooled distance.
  const trace = pooledOffDiagonalMean(outcome.observedMeans, n1, n2);
  const needed = uStatisticShiftForPower(outcome.permuted, alpha, { n1, n2 }, trace, design);
  return {
    statistic: energy,
    pValue: outcome.pValue,
    effectSize: across > 0 ? Math.min(1, Math.max(energy, 0) / (2 * across)) : 0,
    effectSizeName: 'energy distance / (2 · mean cross distance), 0…1',
    minDetectableEffect: needed === null || !(across > 0) ? null : Math.min(1, Math.max(needed, 0) / (2 * across)),
    method: `${permutations} ${design?.clusters ? 'permutations of whole groups' : 'permutations of the pooled labels'}, p = (1+b)/(1+P); energy distance with U-statistic means`,
    details: {
      statisticName: 'energy distance (U-statistic)',
      permutations,
      permutationsAtLeastObserved: outcome.atLeast,
      ...nullSummary(outcome.permuted),
      meanDistanceWithinReference: outcome.observedMeans.withinX,
      meanDistanceWithinTarget: outcome.observedMeans.withinY,
      meanDistanceAcross: across,
      nReference: n1,
      nTarget: n2,
      permutationBatch: outcome.batchSize,
      kernelBlockRows: outcome.plan.blockRows,
      kernelPasses: outcome.plan.passes,
    },
  };
}
