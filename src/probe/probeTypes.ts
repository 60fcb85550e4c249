/** Shapes of the linear-probe results (issue: linear probe, transfer gap, verdict). */

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
  level: number;
}

export interface ProbeResult {
  classes: string[];
  /** Label mapping applied, e.g. {"0":"negative","4":"positive"}. */
  labelMap: Record<string, string> | null;
  reference: {
    n: number;
    folds: number;
    accuracy: Interval;
    macroF1: Interval;
    regularization: number;
    converged: boolean;
    /** λ values tried by cross-validation (chosen: lowest out-of-fold log-loss). */
    regularizationGrid?: number[];
    /** Solver iterations and final gradient max-norm of the probe fitted on all reference rows. */
    iterations?: number;
    gradientNorm?: number;
    gradientTolerance?: number;
    /** Labelled reference rows per class (after the label map). */
    classCounts?: Record<string, number>;
  };
  /** Reference-trained probe evaluated on the target (null if target has no labels). */
  transfer: {
    n: number;
    nExcludedUnseenClass: number;
    unseenClasses: string[];
    accuracy: Interval;
    macroF1: Interval;
    /** reference held-out accuracy − target accuracy, with interval. */
    gap: Interval;
    confusion: { classes: string[]; matrix: number[][] };
  } | null;
  /** Target-only k-fold probe: are the target's own labels linearly separable here? */
  targetOnly: {
    n: number;
    folds: number;
    accuracy: Interval;
    macroF1: Interval;
    majorityBaseline: number;
    labelEfficiency: { nLabels: number; accuracy: number; lower: number; upper: number }[];
    /** λ chosen by cross-validation on the target's own labels (also used for the label-efficiency curve). */
    regularization?: number;
    converged?: boolean;
    /** Target classes the target-only probe distinguishes. */
    classes?: string[];
    classCounts?: Record<string, number>;
    /** Random draws per label-efficiency point; its interval is the 2.5–97.5 percentile over draws. */
    labelEfficiencyDraws?: number;
  } | null;
  /** Rows whose label was empty (''), excluded from every probe metric and counted here. */
  excludedEmptyLabels?: { reference: number; target: number };
  /** Plain-language notes on degenerate cases (a single class, too few target labels, all classes unseen). */
  notes?: string[];
}

/** Knobs of runProbe (src/probe/runProbe.ts); every field has a documented default there. */
export interface ProbeOptions {
  folds: number;
  regularizationGrid: number[];
  bootstrapReplicates: number;
  /** Confidence level of the bootstrap intervals. */
  level: number;
  /** Label-efficiency training-set sizes (those leaving too few held-out target rows are skipped). */
  labelEfficiencySizes: number[];
  labelEfficiencyDraws: number;
  gradientTolerance: number;
  maxIterations: number;
  /**
   * Most labelled rows per side that the k-fold probes train on; above it a seeded random subsample of this
   * size is used (the transfer evaluation still scores every labelled target row). Keeps 1.6M-row inputs to
   * seconds: accuracy intervals at 20,000 rows are already ±0.3 points.
   */
  maxTrainingRows: number;
}

export type VerdictKind = 'sameDistribution' | 'shiftProbeSuffices' | 'shiftRevisitData' | 'shiftNoLabels';

export interface Verdict {
  kind: VerdictKind;
  /** One-line headline. */
  headline: string;
  /** Sentences quoting the numbers they rest on. */
  reasons: string[];
  recommendation: string;
  thresholds: Record<string, number>;
  /** Whether the suite detected a shift (family-wise, with min-effect). */
  shiftDetected: boolean;
}
