/**
 * The facts the verdict rests on, each paired with a sentence that quotes its numbers: which tests rejected
 * (p-values, adjusted p-values, effect sizes), which were filtered by the minimum effect, the transfer gap, and
 * target separability against the majority baseline.
 */
import type { ProbeResult } from '../probe/probeTypes.js';
import type { TwoSampleTestResult } from '../twosample/detector.js';
import { describeMinEffect, type MinEffect } from '../twosample/suite.js';
import { formatNumber, formatP, listJoin, percent, percentWithInterval, points, pointsWithInterval } from './format.js';
import type { VerdictThresholds } from './thresholds.js';

export interface SuiteSummary {
  alpha: number;
  shiftDetected: boolean;
  statisticallySignificant: boolean;
  practicallySignificant: boolean;
  minEffect: MinEffect;
}

function describeTest(t: TwoSampleTestResult): string {
  const p = t.pValue === null ? '' : `p = ${formatP(t.pValue)}`;
  const adjusted =
    t.pValueAdjusted !== null && t.pValueAdjusted !== t.pValue ? ` (adjusted ${formatP(t.pValueAdjusted)})` : '';
  // The effect-size definition (t.effectSizeName) is long; the report's test table states it next to the value.
  return `${t.label}: ${p}${adjusted}, effect size ${formatNumber(t.effectSize)}`;
}

function significant(t: TwoSampleTestResult, alpha: number): boolean {
  return t.pValueAdjusted !== null ? t.pValueAdjusted <= alpha : t.pValue !== null && t.pValue <= alpha;
}

export function testSentences(tests: TwoSampleTestResult[], suite: SuiteSummary): string[] {
  const withP = tests.filter((t) => t.pValue !== null);
  const rejected = withP.filter((t) => t.shift);
  const filtered = withP.filter((t) => !t.shift && significant(t, suite.alpha));
  const quiet = withP.filter((t) => !t.shift && !significant(t, suite.alpha));
  const effectOnly = tests.filter((t) => t.pValue === null);
  const sentences: string[] = [];
  if (withP.length === 0) {
    sentences.push('No two-sample test with a p-value was run, so no shift could be detected.');
  } else if (rejected.length > 0) {
    sentences.push(
      `${rejected.length} of ${withP.length} two-sample tests detected a shift at family-wise α = ${suite.alpha}: ` +
        `${listJoin(rejected.map(describeTest))}.`,
    );
  } else {
    sentences.push(`None of the ${withP.length} two-sample tests detected a shift at family-wise α = ${suite.alpha}.`);
  }
  if (filtered.length > 0 && suite.minEffect !== null) {
    sentences.push(
      `Statistically significant but below the minimum effect ${
        typeof suite.minEffect === 'number'
          ? `of ${formatNumber(suite.minEffect)}`
          : `(${describeMinEffect(suite.minEffect, formatNumber)})`
      }: ` +
        `${listJoin(filtered.map(describeTest))}; with this many samples a difference this small is detectable ` +
        `without mattering in practice.`,
    );
  }
  if (quiet.length > 0 && rejected.length + filtered.length > 0) {
    sentences.push(`Not significant: ${listJoin(quiet.map(describeTest))}.`);
  } else if (quiet.length > 0 && withP.length > 1) {
    sentences.push(`Tests run: ${listJoin(quiet.map(describeTest))}.`);
  } else if (quiet.length === 1) {
    sentences.push(`Test run: ${describeTest(quiet[0])}.`);
  }
  if (effectOnly.length > 0) {
    sentences.push(
      `Effect sizes without a test: ${listJoin(effectOnly.map((t) => `${t.label}: ${t.effectSizeName} = ${formatNumber(t.effectSize)}`))}.`,
    );
  }
  return sentences;
}

export interface ProbeFacts {
  /** Labelled target rows available to the probe (seen or unseen classes). */
  nTargetLabels: number;
  enoughLabels: boolean;
  transfer: NonNullable<ProbeResult['transfer']> | null;
  targetOnly: NonNullable<ProbeResult['targetOnly']> | null;
  gapSmall: boolean;
  /** The gap's whole interval lies above the threshold. */
  gapConfidentlyLarge: boolean;
  separable: boolean;
  /** Smallest label budget within tolerance of the best label-efficiency point, if a curve exists. */
  labelBudget: { nLabels: number; accuracy: number } | null;
}

export function probeFacts(probe: ProbeResult | null, t: VerdictThresholds): ProbeFacts {
  const transfer = probe?.transfer ?? null;
  const targetOnly = probe?.targetOnly ?? null;
  const nTargetLabels = Math.max(transfer ? transfer.n + transfer.nExcludedUnseenClass : 0, targetOnly?.n ?? 0);
  const separable =
    targetOnly !== null &&
    targetOnly.accuracy.estimate >= t.minSeparableAccuracy &&
    errorReduction(targetOnly.accuracy.estimate, targetOnly.majorityBaseline) >= t.minErrorReduction;
  let labelBudget: ProbeFacts['labelBudget'] = null;
  const curve = targetOnly?.labelEfficiency ?? [];
  if (curve.length > 0) {
    const best = Math.max(...curve.map((p) => p.accuracy), targetOnly!.accuracy.estimate);
    const enough = curve.find((p) => p.accuracy >= best - t.labelEfficiencyTolerance);
    labelBudget = enough ? { nLabels: enough.nLabels, accuracy: enough.accuracy } : null;
  }
  return {
    nTargetLabels,
    enoughLabels: nTargetLabels >= t.minTargetLabels,
    transfer,
    targetOnly,
    gapSmall: transfer !== null && transfer.gap.estimate <= t.maxTransferGap,
    gapConfidentlyLarge: transfer !== null && transfer.gap.lower > t.maxTransferGap,
    separable,
    labelBudget,
  };
}

/** Share of the majority baseline's errors the probe removes (1 when the baseline is already perfect and matched). */
export function errorReduction(accuracy: number, baseline: number): number {
  if (baseline >= 1) return accuracy >= 1 ? 1 : 0;
  return (accuracy - baseline) / (1 - baseline);
}

export function probeSentences(probe: ProbeResult, facts: ProbeFacts, t: VerdictThresholds): string[] {
  const sentences: string[] = [];
  const ref = probe.reference;
  if (facts.transfer) {
    const tr = facts.transfer;
    const verdictOnGap = tr.gap.estimate <= t.maxTransferGap ? 'within' : 'beyond';
    sentences.push(
      `A linear probe trained on the reference reaches ${percentWithInterval(ref.accuracy)} held-out accuracy ` +
        `there (${ref.folds}-fold, n = ${ref.n}) and ${percentWithInterval(tr.accuracy)} on the target (n = ${tr.n}): ` +
        `a transfer gap of ${pointsWithInterval(tr.gap)}, ${verdictOnGap} the acceptable ${points(t.maxTransferGap)}.`,
    );
    if (tr.nExcludedUnseenClass > 0) {
      sentences.push(
        `${tr.nExcludedUnseenClass} labelled target rows of classes the reference never saw ` +
          `(${tr.unseenClasses.map((c) => `"${c}"`).join(', ')}) are excluded from the transfer numbers.`,
      );
    }
  } else {
    sentences.push(
      `A linear probe trained on the reference reaches ${percentWithInterval(ref.accuracy)} held-out accuracy ` +
        `there (${ref.folds}-fold, n = ${ref.n}); the target has no usable labels, so the transfer gap is unknown.`,
    );
  }
  if (facts.targetOnly) {
    const own = facts.targetOnly;
    const reduction = errorReduction(own.accuracy.estimate, own.majorityBaseline);
    const rule = `≥ ${percent(t.minSeparableAccuracy)} accuracy and ≥ ${percent(t.minErrorReduction)} of the baseline's errors removed`;
    const judged = facts.separable
      ? `linearly separable in this representation by the thresholds (${rule})`
      : `not separable enough in this representation by the thresholds (needs ${rule})`;
    sentences.push(
      `Trained on the target's own labels (${own.folds}-fold, n = ${own.n}), the probe reaches ` +
        `${percentWithInterval(own.accuracy)} against a majority-class baseline of ${percent(own.majorityBaseline)}, ` +
        `removing ${percent(Math.max(reduction, 0))} of the baseline's errors: the target's labels are ${judged}.`,
    );
    if (facts.labelBudget) {
      sentences.push(
        `The label-efficiency curve reaches ${percent(facts.labelBudget.accuracy)} with ${facts.labelBudget.nLabels} ` +
          `target labels (within ${points(t.labelEfficiencyTolerance)} of its best).`,
      );
    }
  }
  if (!facts.enoughLabels && facts.nTargetLabels > 0) {
    sentences.push(
      `Only ${facts.nTargetLabels} target rows are labelled, fewer than the ${t.minTargetLabels} the verdict ` +
        `needs before it relies on the probe.`,
    );
  }
  return sentences;
}
