/**
 * The one interface every two-sample test implements (MMD, linear-time MMD, energy, KS on PCs, C2ST, Fréchet,
 * centroid). A detector receives both samples as embeddings and returns its statistic, a calibrated p-value
 * (null only for pure effect-size measures) and an effect size, always together.
 */
import type { Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { PermutationDesign } from './permutationDesign.js';
import type { TwoSampleTestResult } from './resultSchema.js';

export interface TwoSampleInput {
  reference: Matrix;
  target: Matrix;
  /** Stream dedicated to this detector (already forked by name from the run's seed). */
  rng: Rng;
  progress: Progress;
  /**
   * Shared relabellings of the pooled rows (reference first) and the row clusters, given by the suite: a
   * permutation test then draws its null from these labellings (whole clusters when grouped) and records its
   * statistics in design.ledger; classifier folds and bootstraps keep clusters whole. Absent: row-level, own draws.
   */
  design?: PermutationDesign;
  /** Level at which minDetectableEffect is worked out (the suite's α; default 0.05). */
  alpha?: number;
}

/** The result of one test: the type of the one schema in resultSchema.ts (also result.json's `tests` entries). */
export type { TwoSampleTestResult } from './resultSchema.js';
export interface TwoSampleDetector<Options = Record<string, unknown>> {
  readonly name: string;
  run(input: TwoSampleInput, options?: Partial<Options>): Promise<TwoSampleTestResult>;
}

/** Per-target-sample scores that say which samples drove the shift (all arrays have length target.rows). */
export interface SampleShiftScores {
  /** Out-of-fold domain-classifier probability of "target". */
  classifierProbability?: Float64Array;
  /** Distance to the k-th nearest reference neighbour. */
  knnDistance?: Float64Array;
  /** Conformal p-value of knnDistance against the reference's own leave-one-out neighbour distances. */
  knnPValue?: Float64Array;
  /** MMD witness function value (positive: more target-like than reference-like). */
  mmdWitness?: Float64Array;
}
