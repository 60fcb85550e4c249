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
  /** The fit-row cap this probe ran with (ProbeOptions.maxFitRows; null: no cap); absent in older results. */
  maxFitRows?: number | null;
  reference: {
    n: number;
    folds: number;
    /** The most training rows one k-fold fit used (below the maxFitRows cap: all of a fold's training rows). */
    fitRows?: number;
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
    /** Share of the reference's most frequent class (the accuracy of always predicting it). */
    majorityBaseline?: number;
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
    /** The most training rows one k-fold fit used (below the maxFitRows cap: all of a fold's training rows). */
    fitRows?: number;
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
    /**
     * Accuracy the reference's separability predicts at the target's class balance − target-only accuracy
     * (src/probe/separability.ts): ≤ 0 means the target's labels are at least as separable as the reference's.
     */
    separabilityGap?: Interval;
  } | null;
  /** Rows whose label was empty (''), excluded from every probe metric and counted here. */
  excludedEmptyLabels?: { reference: number; target: number };
  /** Plain-language notes on degenerate cases (a single class, too few target labels, all classes unseen). */
  notes?: string[];
}

/** ProbeOptions.maxFitRows's default (here, not in runProbe.ts, so the CLI's flags need not load the probe). */
export const DEFAULT_MAX_FIT_ROWS = 5000;

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
   * Most labelled rows per side that the k-fold probes use (each scored out of fold; the fits train on at most
   * maxFitRows of them); above it a seeded random subsample of this size is used (the transfer evaluation still
   * scores every labelled target row). Keeps 1.6M-row inputs to seconds: accuracy intervals at 20,000 rows are
   * already ±0.3 points.
   */
  maxTrainingRows: number;
  /**
   * Most rows one probe fit trains on (each k-fold fold, and the reference probe scored on the target); above it
   * a seeded random sample of this size. Every row is still scored out of fold. Not active at or below this many
   * labelled rows per side, so small inputs are unaffected. Number.POSITIVE_INFINITY: no cap.
   */
  maxFitRows: number;
}

export type VerdictKind =
  | 'sameDistribution'
  | 'inconclusive'
  | 'shiftProbeSuffices'
  | 'shiftRevisitData'
  | 'shiftNoLabels';

/** Every verdict kind, in the order the docs list them. */
export const VERDICT_KINDS: readonly VerdictKind[] = [
  'sameDistribution',
  'inconclusive',
  'shiftProbeSuffices',
  'shiftRevisitData',
  'shiftNoLabels',
];

export type EffectWord = 'negligible' | 'small' | 'medium' | 'large';

/** An interval-based judgement of a gap against its tolerance (src/verdict/intervalDecision.ts). */
export interface GapDecision {
  status: 'within' | 'beyond' | 'undetermined';
  tolerance: number;
  /** For `undetermined`: labelled target rows in all that would settle it, if the estimate stays put. */
  targetRowsToSettle: number | null;
  needsMoreReferenceRows: boolean;
}

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
  /** Whether the labels show a shift of their own: unseen target classes, or different proportions. */
  labelShiftDetected?: boolean;
  /** How large the detected shift is, in words, per test with documented bands (src/verdict/effectWords.ts). */
  effects?: { name: string; effectSize: number; word: EffectWord }[];
  /** The smallest shift the tests could detect (power 0.8 at α): "no shift of at least this size". */
  sensitivity?: {
    alpha: number;
    power: number;
    word: EffectWord | null;
    basis: string | null;
    perTest: { name: string; minDetectableEffect: number; word: EffectWord | null }[];
    rankBound: {
      minDetectableAucMinusHalf: number;
      word: EffectWord;
      nReference: number;
      nTarget: number;
      unit: 'samples' | 'groups';
    } | null;
  };
  /** The transfer gap against maxTransferGap, on its interval. */
  transferDecision?: GapDecision | null;
  /** The separability gap against maxSeparabilityGap, on its interval, and whether the target probe beats its baseline. */
  separabilityDecision?: (GapDecision & { beatsBaseline: 'yes' | 'no' | 'unclear' }) | null;
}
