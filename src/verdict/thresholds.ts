/**
 * The numbers the verdict turns on. Each can be overridden (`decideVerdict({ thresholds })`); the verdict
 * quotes the ones it used, so a reader can see why it came out as it did.
 */
export interface VerdictThresholds {
  /**
   * Transfer gap (reference held-out accuracy − target accuracy of the reference-trained probe) at or below
   * which the reference probe counts as transferring acceptably. 0.05 = five accuracy points: about the
   * half-width of a 95 % interval for accuracy on 300–400 target labels, so smaller gaps are hard to tell from 0.
   */
  maxTransferGap: number;
  /** Target-only k-fold accuracy at or above which the target's labels count as linearly separable. */
  minSeparableAccuracy: number;
  /**
   * …and removing at least this share of the majority-class baseline's errors:
   * (accuracy − baseline) / (1 − baseline). A lopsided label split (90 % one class) cannot pass on the baseline
   * alone, and unlike a fixed margin in points this stays meaningful whatever the class balance
   * (0.5 means 75 % accuracy on a balanced binary task, 95 % when one class is 90 % of the rows).
   */
  minErrorReduction: number;
  /**
   * Labelled target rows needed before the probe may decide between "probe suffices" and "revisit data";
   * below it the verdict is shiftNoLabels (the intervals would be too wide to act on).
   */
  minTargetLabels: number;
  /** Label-efficiency: the smallest label budget whose mean accuracy is within this of the best point. */
  labelEfficiencyTolerance: number;
}

export const DEFAULT_VERDICT_THRESHOLDS: VerdictThresholds = {
  maxTransferGap: 0.05,
  minSeparableAccuracy: 0.8,
  minErrorReduction: 0.5,
  minTargetLabels: 50,
  labelEfficiencyTolerance: 0.02,
};

/** Merge overrides, rejecting values that would make the rules meaningless. */
export function resolveThresholds(overrides: Partial<VerdictThresholds> = {}): VerdictThresholds {
  const t = { ...DEFAULT_VERDICT_THRESHOLDS, ...overrides };
  const inUnit = (name: keyof VerdictThresholds) => {
    if (!(t[name] >= 0 && t[name] <= 1))
      throw new RangeError(`verdict threshold ${name} must be in [0, 1], got ${t[name]}`);
  };
  inUnit('maxTransferGap');
  inUnit('minSeparableAccuracy');
  inUnit('minErrorReduction');
  inUnit('labelEfficiencyTolerance');
  if (!Number.isInteger(t.minTargetLabels) || t.minTargetLabels < 1) {
    throw new RangeError(`verdict threshold minTargetLabels must be a positive integer, got ${t.minTargetLabels}`);
  }
  return t;
}
