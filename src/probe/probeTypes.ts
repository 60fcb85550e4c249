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
  } | null;
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
