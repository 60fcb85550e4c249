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
  /**
   * Separability gap (the accuracy the reference's own separability predicts at the target's class balance −
   * the target-only k-fold accuracy; src/probe/separability.ts) at or below which the target's labels count as
   * as separable as the reference's. Judged on the interval like the transfer gap.
   */
  maxSeparabilityGap: number;
  /**
   * Optional absolute floor: target-only k-fold accuracy the target probe must also reach. 0 (the default) = no
   * floor: separability is judged relative to the reference, never against a fixed accuracy.
   */
  minSeparableAccuracy: number;
  /**
   * Optional floor on the share of the majority-class baseline's errors the target-only probe removes,
   * (accuracy − baseline) / (1 − baseline). 0 (the default) = no floor beyond beating the baseline.
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
  maxSeparabilityGap: 0.05,
  minSeparableAccuracy: 0,
  minErrorReduction: 0,
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
  inUnit('maxSeparabilityGap');
  inUnit('minSeparableAccuracy');
  inUnit('minErrorReduction');
  inUnit('labelEfficiencyTolerance');
  if (!Number.isInteger(t.minTargetLabels) || t.minTargetLabels < 1) {
    throw new RangeError(`verdict threshold minTargetLabels must be a positive integer, got ${t.minTargetLabels}`);
  }
  return t;
}
