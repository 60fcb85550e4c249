/**
 * Energy distance test (Székely & Rizzo 2004): E = 2·E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖, estimated with U-statistics
 * (means over distinct pairs), and a permutation p-value (1 + #{perm ≥ observed}) / (1 + P), default P = 1000.
 * The pooled Euclidean distance matrix is computed once, in blocks, and the permutations run through the same
 * batched quadratic-form engine as the exact MMD (kernels/permutationEngine.ts); same memory cap (N×N float32).
 *
 * Effect size: max(E, 0) / (2·E‖X − Y‖), in [0, 1]: 0 for equal distributions, → 1 when the two samples are far
 * apart relative to their own spread (it is 1 − (E‖X−X'‖ + E‖Y−Y'‖) / (2E‖X−Y‖)).
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { centredPooled } from './kernels/pooledSample.js';
import { buildPooledMatrix, POOLED_MATRIX_MAX_ROWS } from './kernels/pooledMatrix.js';
import { energyWeights, quadraticPermutationTest } from './kernels/permutationEngine.js';
import { nullSummary } from './kernels/nullSummary.js';
import { recordNull, withObserved } from './permutationDesign.js';
import { DEFAULT_MDE_ALPHA, permutationCanReject, statisticForPower } from './minDetectableEffect.js';
import { defineDetector, type DetectorOutcome, type TestContext, type TwoSamples } from './registry/detectorSpec.js';
import { integerOption } from './registry/options.js';
import { asTwoSampleDetector } from './registry/runDetector.js';
import type { EmptyState } from './registry/storable.js';

/** κ of the MDE's power margin (minDetectableEffect.ts), measured on real embeddings. */
export const ENERGY_MDE_KAPPA = 1;

export const energyOptionsSchema = z.strictObject({ permutations: integerOption(1000) });

export type EnergyOptions = z.infer<typeof energyOptionsSchema>;

export const DEFAULT_ENERGY_OPTIONS: EnergyOptions = energyOptionsSchema.parse({});

/** Largest pooled sample the exact energy test accepts (its N×N distance matrix); callers subsample above it. */
export const ENERGY_MAX_POOLED = POOLED_MATRIX_MAX_ROWS;

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
  if (n1 + n2 > ENERGY_MAX_POOLED) {
    throw new InputError(
      `energy: ${n1 + n2} pooled samples exceed the limit of ${ENERGY_MAX_POOLED} (N×N distance matrix); subsample first`,
    );
  }
  const pooled = centredPooled(reference, target);
  const distances = await buildPooledMatrix(pooled, { kind: 'distance' });

  const permutations = design ? design.permutations : opts.permutations;
  const task = progress.start('energy permutations', permutations);
  let done = 0;
  const outcome = await quadraticPermutationTest(distances, n1, energyWeights(n1, n2), {
    permutations,
    rng: rng.fork('permutations'),
    design,
    weightsFor: energyWeights,
    onBatch: (p) => {
      task.increment(p - done);
      done = p;
    },
  });
  task.done();

  const energy = outcome.observed;
  const across = outcome.observedMeans.across;
  if (design) recordNull(design, 'energy', withObserved(energy, outcome.permuted), outcome.tieTolerance);
  const alpha = alphaGiven ?? DEFAULT_MDE_ALPHA;
  const needed = permutationCanReject(alpha, n1, n2, design)
    ? statisticForPower(outcome.permuted, alpha, ENERGY_MDE_KAPPA)
    : null;
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
    },
  };
}
