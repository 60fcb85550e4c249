/**
 * The facts the verdict rests on, each paired with a sentence that quotes its numbers: which tests rejected
 * (p-values, adjusted p-values, effect sizes in words), which were filtered by the minimum effect, how small a
 * shift the tests could have seen, the label shift, the transfer gap and the target's separability relative to
 * the reference — gaps judged on their intervals (./intervalDecision.ts).
 */
import type { LabelShiftResult } from '../probe/labelShift.js';
import type { EffectWord, GapDecision, Interval, ProbeResult } from '../probe/probeTypes.js';
import type { TwoSampleTestResult } from '../twosample/detector.js';
import { describeMinEffect, type MinEffect, minEffectFor } from '../twosample/suite.js';
import { EFFECT_BANDS, LABEL_SHIFT_BANDS, wordFor, wordRank } from './effectWords.js';
import { formatNumber, formatP, listJoin, percent, percentWithInterval, points, pointsWithInterval } from './format.js';
import { differenceInterval, judgeGap, MAX_ROWS_TO_SETTLE } from './intervalDecision.js';
import type { Sensitivity } from './sensitivity.js';
import type { VerdictThresholds } from './thresholds.js';

export interface SuiteSummary {
  alpha: number;
  shiftDetected: boolean;
  statisticallySignificant: boolean;
  practicallySignificant: boolean;
  minEffect: MinEffect;
}

/** Name under which --min-effect can set a floor for the label-proportion effect (Cohen's w). */
export const LABEL_SHIFT_TEST_NAME = 'label-proportions';

/** "medium" for a dimension-free scale, "small on its 1-D scale" otherwise; null without bands. */
export function effectLabel(testName: string, value: number): string | null {
  const bands = EFFECT_BANDS[testName];
  if (!bands) return null;
  const word = wordFor(value, bands);
  return bands.dimensionFree ? word : `${word} on its 1-D scale`;
}

/** " (medium)", or '' without bands. */
export function effectPhrase(testName: string, value: number): string {
  const label = effectLabel(testName, value);
  return label ? ` (${label})` : '';
}

function describeTest(t: TwoSampleTestResult): string {
  const p = t.pValue === null ? '' : `p = ${formatP(t.pValue)}`;
  const adjusted =
    t.pValueAdjusted !== null && t.pValueAdjusted !== t.pValue ? ` (adjusted ${formatP(t.pValueAdjusted)})` : '';
  // The effect-size definition (t.effectSizeName) is long; the report's test table states it next to the value.
  return `${t.label}: ${p}${adjusted}, effect size ${formatNumber(t.effectSize)}${effectPhrase(t.name, t.effectSize)}`;
}

function significant(t: TwoSampleTestResult, alpha: number): boolean {
  return t.pValueAdjusted !== null ? t.pValueAdjusted <= alpha : t.pValue !== null && t.pValue <= alpha;
}

/**
 * The suite's outcome in a few sentences that lead with the decision and point to the test table for the numbers:
 * the tests are named, and only the strongest one's adjusted p-value and effect size are quoted.
 */
export function testSentences(tests: TwoSampleTestResult[], suite: SuiteSummary): string[] {
  const withP = tests.filter((t) => t.pValue !== null);
  const rejected = withP.filter((t) => t.shift);
  const filtered = withP.filter((t) => !t.shift && significant(t, suite.alpha));
  const quiet = withP.filter((t) => !t.shift && !significant(t, suite.alpha));
  const effectOnly = tests.filter((t) => t.pValue === null);
  const names = (list: TwoSampleTestResult[]) => list.map((t) => t.label).join(', ');
  const sentences: string[] = [];
  if (withP.length === 0) {
    sentences.push('No two-sample test with a p-value was run, so no shift could be detected.');
  } else if (rejected.length > 0) {
    sentences.push(
      `${rejected.length} of ${withP.length} two-sample tests detected a shift at family-wise α = ${suite.alpha} ` +
        `(${names(rejected)}); the strongest is ${describeTest(strongest(rejected))}. Every test's p-value and ` +
        'effect size is in the test table.',
    );
  } else {
    sentences.push(
      `None of the ${withP.length} two-sample tests detected a shift at family-wise α = ${suite.alpha}; the closest is ` +
        `${describeTest(strongest(withP))}. Every test's p-value and effect size is in the test table.`,
    );
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
  if (quiet.length > 0 && rejected.length + filtered.length > 0) sentences.push(`Not significant: ${names(quiet)}.`);
  if (effectOnly.length > 0) {
    sentences.push(
      `Effect sizes without a test: ${listJoin(effectOnly.map((t) => `${t.label}: ${t.effectSizeName} = ${formatNumber(t.effectSize)}${effectPhrase(t.name, t.effectSize)}`))}.`,
    );
  }
  return sentences;
}

/** The test with the smallest adjusted (else raw) p-value. */
function strongest(tests: TwoSampleTestResult[]): TwoSampleTestResult {
  const p = (t: TwoSampleTestResult) => t.pValueAdjusted ?? t.pValue ?? 1;
  return tests.reduce((best, t) => (p(t) < p(best) ? t : best));
}

/** Per test with documented bands, the word for its effect size. */
export function effectWords(tests: TwoSampleTestResult[]): { name: string; effectSize: number; word: EffectWord }[] {
  return tests.flatMap((t) => {
    const bands = EFFECT_BANDS[t.name];
    return bands ? [{ name: t.name, effectSize: t.effectSize, word: wordFor(t.effectSize, bands) }] : [];
  });
}

/**
 * The size of a detected shift in one phrase: the largest word among the rejecting tests on a dimension-free
 * scale (else among all rejecting tests with bands, marked as a 1-D-scale word), e.g. "large by C2ST".
 */
export function shiftSize(tests: TwoSampleTestResult[]): { word: EffectWord; phrase: string } | null {
  const rejected = tests.filter((t) => t.shift && EFFECT_BANDS[t.name]);
  const pick = (pool: TwoSampleTestResult[]) =>
    pool.reduce<TwoSampleTestResult | null>(
      (best, t) =>
        !best ||
        wordRank(wordFor(t.effectSize, EFFECT_BANDS[t.name])) >
          wordRank(wordFor(best.effectSize, EFFECT_BANDS[best.name]))
          ? t
          : best,
      null,
    );
  const free = pick(rejected.filter((t) => EFFECT_BANDS[t.name].dimensionFree));
  const chosen = free ?? pick(rejected);
  if (!chosen) return null;
  const word = wordFor(chosen.effectSize, EFFECT_BANDS[chosen.name]);
  return {
    word,
    phrase: `${word}${free ? '' : ' on its 1-D scale'} by ${chosen.label} (${chosen.effectSizeName} = ${formatNumber(chosen.effectSize)})`,
  };
}

/** "No shift of at least this size": what the tests could have detected, one sentence. */
export function sensitivitySentence(s: Sensitivity): string {
  const parts = s.perTest.map(
    (d) =>
      `${d.label} ${formatNumber(d.minDetectableEffect)}` +
      (d.word === null ? '' : d.dimensionFree ? ` (${d.word})` : ` (${d.word} on its 1-D scale)`),
  );
  const bound = s.rankBound
    ? `with ${s.rankBound.nReference} vs ${s.rankBound.nTarget} ${s.rankBound.unit} no test can detect a shift whose AUC − 0.5 ` +
      `is below ${formatNumber(s.rankBound.minDetectableAucMinusHalf)} (${s.rankBound.word}; the rank-test bound)`
    : '';
  const lead = `With power ${s.power} at α = ${s.alpha}`;
  if (parts.length === 0 && !bound) return `${lead}, the smallest detectable shift is unknown (no test reported one).`;
  const tests = parts.length
    ? `the tests detect shifts of at least (each on its effect-size scale): ${listJoin(parts)}`
    : '';
  return `${lead}, ${[tests, bound].filter(Boolean).join('; and ')}.`;
}

export interface LabelShiftFacts {
  result: LabelShiftResult;
  detected: boolean;
  unseen: boolean;
  proportionsDiffer: boolean;
  word: EffectWord;
}

export function labelShiftFacts(
  result: LabelShiftResult | null,
  alpha: number,
  minEffect: MinEffect,
): LabelShiftFacts | null {
  if (!result) return null;
  const floor = minEffectFor(minEffect, LABEL_SHIFT_TEST_NAME);
  const proportionsDiffer =
    result.test !== null && result.test.pValue <= alpha && (floor === null || result.effectSize >= floor);
  const unseen = result.unseen.nRows > 0;
  return {
    result,
    unseen,
    proportionsDiffer,
    detected: unseen || proportionsDiffer,
    word: wordFor(result.effectSize, LABEL_SHIFT_BANDS),
  };
}

export function labelShiftSentences(f: LabelShiftFacts, alpha: number): string[] {
  const r = f.result;
  const sentences: string[] = [];
  if (f.unseen) {
    sentences.push(
      `${percent(r.unseen.share)} of the labelled target rows (${r.unseen.nRows} of ${r.nTarget}) carry classes the ` +
        `reference never has (${r.unseen.classes.map((c) => `"${c.label}": ${c.count}`).join(', ')}): a model ` +
        `trained on the reference can never predict them, so this is a shift however much the embeddings overlap.`,
    );
  }
  if (r.test) {
    const how =
      r.test.method === 'chi-square'
        ? `χ² = ${formatNumber(r.test.statistic)}, df = ${r.test.df}, p = ${formatP(r.test.pValue)}`
        : `X² = ${formatNumber(r.test.statistic)}, Monte-Carlo p = ${formatP(r.test.pValue)} over ${r.test.replicates} tables (an expected count is ${formatNumber(r.test.minExpected)} < 5)`;
    const size =
      `Cohen's w = ${formatNumber(r.effectSize)} (${f.word}); ${percent(r.totalVariation)} of the target's labels ` +
      `would have to change class to match the reference's proportions`;
    sentences.push(
      f.proportionsDiffer
        ? `The label proportions differ between the sets (${how}; ${size}).`
        : `The label proportions are consistent with the reference's at α = ${alpha} (${how}; ${size}).`,
    );
  }
  if (r.missingInTarget.length > 0) {
    sentences.push(
      `Reference classes absent from the target's labels: ${r.missingInTarget.map((c) => `"${c}"`).join(', ')}.`,
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
  transferDecision: GapDecision | null;
  /** The separability gap (from the probe, or approximated from the two accuracy intervals). */
  separabilityGap: Interval | null;
  separabilityDecision: (GapDecision & { beatsBaseline: 'yes' | 'no' | 'unclear' }) | null;
  /** The absolute floors the user set (if any) are met by the target-only probe's point estimate. */
  floorsMet: boolean;
  floorsSet: boolean;
  /** Target labels as separable as the reference's, beating the baseline, floors met. */
  separable: boolean;
  /** Target labels confidently less separable than the reference's, no better than the baseline, or below a floor. */
  notSeparable: boolean;
  /** Smallest label budget within tolerance of the best label-efficiency point, if a curve exists. */
  labelBudget: { nLabels: number; accuracy: number } | null;
}

export function probeFacts(probe: ProbeResult | null, t: VerdictThresholds): ProbeFacts {
  const transfer = probe?.transfer ?? null;
  const targetOnly = probe?.targetOnly ?? null;
  const nTargetLabels = Math.max(transfer ? transfer.n + transfer.nExcludedUnseenClass : 0, targetOnly?.n ?? 0);
  const referenceAccuracy = probe?.reference.accuracy ?? null;
  const transferDecision = transfer ? judgeGap(transfer.gap, t.maxTransferGap, transfer.n, referenceAccuracy) : null;

  let separabilityGap: Interval | null = null;
  let separabilityDecision: ProbeFacts['separabilityDecision'] = null;
  let floorsMet = true;
  const floorsSet = t.minSeparableAccuracy > 0 || t.minErrorReduction > 0;
  if (probe && targetOnly) {
    separabilityGap = targetOnly.separabilityGap ?? approximateSeparabilityGap(probe, targetOnly);
    const own = targetOnly.accuracy;
    const beatsBaseline =
      own.lower > targetOnly.majorityBaseline ? 'yes' : own.upper <= targetOnly.majorityBaseline ? 'no' : 'unclear';
    separabilityDecision = {
      ...judgeGap(separabilityGap, t.maxSeparabilityGap, targetOnly.n, probe.reference.accuracy),
      beatsBaseline,
    };
    floorsMet =
      own.estimate >= t.minSeparableAccuracy &&
      errorReduction(own.estimate, targetOnly.majorityBaseline) >= t.minErrorReduction;
  }
  const separable =
    separabilityDecision !== null &&
    separabilityDecision.status === 'within' &&
    separabilityDecision.beatsBaseline === 'yes' &&
    floorsMet;
  const notSeparable =
    separabilityDecision !== null &&
    (separabilityDecision.status === 'beyond' || separabilityDecision.beatsBaseline === 'no' || !floorsMet);

  let labelBudget: ProbeFacts['labelBudget'] = null;
  const curve = targetOnly?.labelEfficiency ?? [];
  if (targetOnly && curve.length > 0) {
    const best = Math.max(...curve.map((p) => p.accuracy), targetOnly.accuracy.estimate);
    const enough = curve.find((p) => p.accuracy >= best - t.labelEfficiencyTolerance);
    labelBudget = enough ? { nLabels: enough.nLabels, accuracy: enough.accuracy } : null;
  }
  return {
    nTargetLabels,
    enoughLabels: nTargetLabels >= t.minTargetLabels,
    transfer,
    targetOnly,
    transferDecision,
    separabilityGap,
    separabilityDecision,
    floorsMet,
    floorsSet,
    separable,
    notSeparable,
    labelBudget,
  };
}

/** The reference's error reduction carried to the target's class balance (./../probe/separability.ts). */
export function predictedTargetAccuracy(probe: ProbeResult, targetBaseline: number): number {
  const ref = probe.reference;
  // Without the reference's class balance (older results), assume the target's: the plain accuracy difference.
  const base = ref.majorityBaseline ?? majorityFromCounts(ref.classCounts) ?? targetBaseline;
  const er = base >= 1 ? 0 : Math.min(1, Math.max(0, (ref.accuracy.estimate - base) / (1 - base)));
  return targetBaseline + er * (1 - targetBaseline);
}

function approximateSeparabilityGap(probe: ProbeResult, own: NonNullable<ProbeResult['targetOnly']>): Interval {
  const predicted = predictedTargetAccuracy(probe, own.majorityBaseline);
  return differenceInterval(probe.reference.accuracy, own.accuracy, predicted - own.accuracy.estimate);
}

function majorityFromCounts(counts: Record<string, number> | undefined): number | null {
  if (!counts) return null;
  const values = Object.values(counts);
  const total = values.reduce((s, v) => s + v, 0);
  return total > 0 ? Math.max(...values) / total : null;
}

/** Share of the majority baseline's errors the probe removes (1 when the baseline is already perfect and matched). */
export function errorReduction(accuracy: number, baseline: number): number {
  if (baseline >= 1) return accuracy >= 1 ? 1 : 0;
  return (accuracy - baseline) / (1 - baseline);
}

/** ", undetermined …: about N labelled target rows in all would settle it" */
export function settleClause(d: GapDecision, nNow: number): string {
  if (d.targetRowsToSettle !== null) {
    const capped = d.targetRowsToSettle >= MAX_ROWS_TO_SETTLE;
    return (
      `about ${capped ? 'more than ' : ''}${d.targetRowsToSettle.toLocaleString('en-US')} labelled target rows in all ` +
      `(${nNow.toLocaleString('en-US')} now) would settle it if the estimate holds`
    );
  }
  if (d.needsMoreReferenceRows) {
    return "the reference's own accuracy interval is already wider than the distance to the tolerance, so more labelled reference rows are needed as well as target rows";
  }
  return 'its estimate sits on the tolerance, so no number of rows settles it: decide with a tolerance that matters to you';
}

function judged(d: GapDecision, nNow: number, what: string): string {
  switch (d.status) {
    case 'within':
      return `its whole interval is within the acceptable ${points(d.tolerance)}`;
    case 'beyond':
      return `its whole interval is beyond the acceptable ${points(d.tolerance)}`;
    case 'undetermined':
      return `its interval straddles the acceptable ${points(d.tolerance)}, so ${what} is undetermined: ${settleClause(d, nNow)}`;
  }
}

export function probeSentences(probe: ProbeResult, facts: ProbeFacts, t: VerdictThresholds): string[] {
  const sentences: string[] = [];
  const ref = probe.reference;
  if (facts.transfer && facts.transferDecision) {
    const tr = facts.transfer;
    sentences.push(
      `A linear probe trained on the reference reaches ${percentWithInterval(ref.accuracy)} held-out accuracy ` +
        `there (${ref.folds}-fold, n = ${ref.n}) and ${percentWithInterval(tr.accuracy)} on the target (n = ${tr.n}): ` +
        `a transfer gap of ${pointsWithInterval(tr.gap)}; ${judged(facts.transferDecision, tr.n, 'whether the reference probe transfers')}.`,
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
  if (facts.targetOnly && facts.separabilityGap && facts.separabilityDecision) {
    const own = facts.targetOnly;
    const d = facts.separabilityDecision;
    const predicted = predictedTargetAccuracy(probe, own.majorityBaseline);
    const baselineNote =
      d.beatsBaseline === 'yes'
        ? ''
        : d.beatsBaseline === 'no'
          ? ' It is no better than always predicting the majority class.'
          : ' It is not clearly better than always predicting the majority class (the interval includes the baseline).';
    const verdictOnGap =
      d.status === 'within'
        ? `the target's labels are ${facts.separabilityGap.upper <= 0 ? 'at least' : 'about'} as linearly separable in this representation as the reference's`
        : d.status === 'beyond'
          ? `the target's labels are less separable in this representation than the reference's`
          : `whether the target's labels are as separable as the reference's is undetermined: ${settleClause(d, own.n)}`;
    sentences.push(
      `Trained on the target's own labels (${own.folds}-fold, n = ${own.n}), the probe reaches ` +
        `${percentWithInterval(own.accuracy)} against a majority-class baseline of ${percent(own.majorityBaseline)}; ` +
        `the reference probe's separability predicts ${percent(predicted)} at the target's class balance, a ` +
        `separability gap of ${pointsWithInterval(facts.separabilityGap)}: ${verdictOnGap}` +
        (d.status === 'undetermined'
          ? ''
          : ` (whole interval ${d.status === 'within' ? '≤' : '>'} ${points(d.tolerance)})`) +
        `.${baselineNote}`,
    );
    if (facts.floorsSet) {
      const floors = [
        t.minSeparableAccuracy > 0 ? `≥ ${percent(t.minSeparableAccuracy)} accuracy` : '',
        t.minErrorReduction > 0 ? `≥ ${percent(t.minErrorReduction)} of the baseline's errors removed` : '',
      ]
        .filter(Boolean)
        .join(' and ');
      sentences.push(
        `The absolute floor set for separability (${floors}) is ${facts.floorsMet ? 'met' : 'not met'}: ` +
          `${percent(own.accuracy.estimate)} accuracy, ${percent(Math.max(errorReduction(own.accuracy.estimate, own.majorityBaseline), 0))} of the baseline's errors removed.`,
      );
    }
    if (own.n < ref.n / 2 && d.status !== 'within') {
      sentences.push(
        `The target probe trained on fewer rows (${own.n}) than the reference probe (${ref.n}), so its accuracy ` +
          `understates what more target labels would reach.`,
      );
    }
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
