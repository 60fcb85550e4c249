/**
 * The one interface every two-sample test implements (MMD, linear-time MMD, energy, KS on PCs, C2ST, Fréchet,
 * centroid). A detector receives both samples as embeddings and returns its statistic, a calibrated p-value
 * (null only for pure effect-size measures) and an effect size, always together.
 */
import type { Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { PermutationDesign } from './permutationDesign.js';

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

export interface TwoSampleTestResult {
  /** Stable id: "mmd", "mmd-linear", "energy", "ks-pca", "c2st", "frechet", "centroid". */
  name: string;
  /** Human label for tables, e.g. "MMD (Gaussian kernel, permutation)". */
  label: string;
  statistic: number;
  /** Calibrated p-value in (0, 1]; null for effect-size-only measures (never NaN). */
  pValue: number | null;
  effectSize: number;
  /** What effectSize measures, e.g. "MMD² / mean within-sample kernel" or "AUC − 0.5". */
  effectSizeName: string;
  /** Filled by the suite: p ≤ adjusted α (family-wise) AND effect ≥ min-effect. */
  shift: boolean;
  /** Filled by the suite: the Holm-adjusted p-value used for the family-wise decision. */
  pValueAdjusted: number | null;
  /** How the p-value was computed, one sentence (e.g. "1000 permutations, (1+b)/(1+P)"). */
  method: string;
  /**
   * Smallest effect (on this test's own effectSize scale) it detects with power 0.8 at the suite's α at these
   * sample sizes; null when it could not be computed, absent when the test does not report one.
   */
  minDetectableEffect?: number | null;
  /** Optional confidence interval of the effect size or statistic. */
  interval?: { lower: number; upper: number; level: number; of: 'statistic' | 'effectSize' };
  /** Test-specific numbers (bandwidth, permutations, k, per-component p-values...). Finite numbers only. */
  details: Record<string, unknown>;
  timingMs: number;
}

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
