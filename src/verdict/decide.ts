/**
 * The verdict, following Vargas et al. (arXiv 2310.13836), with every probe judgement made on an interval and
 * relative to the reference (rules and numbers: docs/methods.md#verdict):
 * - no shift in the embeddings or the labels:
 *   - a transfer gap whose whole interval exceeds the tolerance → shiftRevisitData (labelled differently);
 *   - nothing significant and only large shifts detectable at this n → inconclusive;
 *   - otherwise sameDistribution, always with "of at least this size" (./sensitivity.ts);
 * - shift (embeddings: the family-wise suite; labels: an unseen target class, or different proportions):
 *   - fewer than minTargetLabels labelled target rows → shiftNoLabels;
 *   - target labels as separable as the reference's (separability gap interval ≤ tolerance, target probe
 *     confidently above its majority baseline) → shiftProbeSuffices;
 *   - the reference probe transfers (gap interval ≤ tolerance), no unseen class, and the target's labels not
 *     confidently less separable → shiftProbeSuffices;
 *   - target labels confidently less separable, or no better than the baseline, or (without a target-only
 *     probe) a gap confidently beyond the tolerance → shiftRevisitData;
 *   - otherwise the labels cannot decide yet → shiftNoLabels, saying about how many labelled target rows would.
 */
import type { FinetuneComparison } from '../finetune/finetuneTypes.js';
import { finetuneAdvice, finetuneSentences } from './finetuneEvidence.js';
import type { LabelShiftResult } from '../probe/labelShift.js';
import type { ProbeResult, Verdict, VerdictKind } from '../probe/probeTypes.js';
import type { TwoSampleTestResult } from '../twosample/detector.js';
import {
  effectWords,
  labelShiftFacts,
  labelShiftSentences,
  type LabelShiftFacts,
  probeFacts,
  probeSentences,
  type ProbeFacts,
  sensitivitySentence,
  shiftSize,
  type SuiteSummary,
  testSentences,
} from './evidence.js';
import { EFFECT_BANDS } from './effectWords.js';
import { percent, points } from './format.js';
import { assessSensitivity, rowsPerSideForAuc, sensitivityBasisText, type Sensitivity } from './sensitivity.js';
import { resolveThresholds, type VerdictThresholds } from './thresholds.js';

export { DEFAULT_VERDICT_THRESHOLDS, type VerdictThresholds } from './thresholds.js';

export interface VerdictInput {
  tests: TwoSampleTestResult[];
  suite: SuiteSummary;
  probe: ProbeResult | null;
  thresholds?: Partial<VerdictThresholds>;
  /** Label proportions and unseen classes (src/probe/labelShift.ts), when both sides have labels. */
  labelShift?: LabelShiftResult | null;
  /** Samples per side the tests ran on (for the sample-size bound on what they could detect). */
  sampleSizes?: { reference: number; target: number; unit?: 'samples' | 'groups' } | null;
  /** The measured fine-tuning versus probe comparison (compare --finetune), when it ran. */
  finetune?: FinetuneComparison | null;
}

/** Kinds that report a shift (embeddings, labels, or labelling): `--fail-on-shift` exits 1 on them. */
export function verdictReportsShift(kind: VerdictKind): boolean {
  return kind === 'shiftProbeSuffices' || kind === 'shiftRevisitData' || kind === 'shiftNoLabels';
}

interface Context {
  suite: SuiteSummary;
  facts: ProbeFacts;
  label: LabelShiftFacts | null;
  sensitivity: Sensitivity;
  tests: TwoSampleTestResult[];
  t: VerdictThresholds;
  probe: ProbeResult | null;
}

export function decideVerdict(input: VerdictInput): Verdict {
  const t = resolveThresholds(input.thresholds);
  const { suite, probe } = input;
  const facts = probeFacts(probe, t);
  const label = labelShiftFacts(input.labelShift ?? null, suite.alpha, suite.minEffect);
  const sensitivity = assessSensitivity(input.tests, suite.alpha, input.sampleSizes ?? null);
  const context: Context = { suite, facts, label, sensitivity, tests: input.tests, t, probe };
  const kind = chooseKind(context);

  const reasons = [...testSentences(input.tests, suite)];
  const size = shiftSize(input.tests);
  if (size) reasons.push(`Size of the shift in the embeddings: ${size.phrase}.`);
  if (!suite.shiftDetected) {
    const s = sensitivitySentence(sensitivity);
    if (!sensitivity.word) reasons.push(s);
    else if (testsReportedSensitivity(sensitivity) || kind === 'inconclusive')
      reasons.push(
        `${s} So: no shift of at least ${sensitivity.word} size (${sensitivityBasisText(sensitivity.basis)}) was found${kind === 'inconclusive' ? ' — and smaller ones could not have been' : ''}.`,
      );
    else
      reasons.push(
        `${s} The tests did not report their own detectable effects, so this bound is optimistic: the real tests need larger shifts than it.`,
      );
  }
  if (label) reasons.push(...labelShiftSentences(label, suite.alpha));
  if (probe) reasons.push(...probeSentences(probe, facts, t));
  // The probe's own notes on degenerate cases (single class, too few labels); unseen classes are already said.
  for (const note of probe?.notes ?? []) if (!note.includes('never saw')) reasons.push(note);
  if (input.finetune) reasons.push(...finetuneSentences(input.finetune));

  const thresholds: Record<string, number> = { alpha: suite.alpha, ...t };
  if (typeof suite.minEffect === 'number') thresholds.minEffect = suite.minEffect;
  else if (suite.minEffect !== null)
    for (const [name, value] of Object.entries(suite.minEffect)) thresholds[`minEffect.${name}`] = value;
  return {
    kind,
    headline: headline(kind, context),
    reasons,
    recommendation: recommendation(kind, context) + finetuneAdvice(input.finetune),
    thresholds,
    shiftDetected: suite.shiftDetected,
    labelShiftDetected: label?.detected ?? false,
    effects: effectWords(input.tests),
    sensitivity: {
      alpha: sensitivity.alpha,
      power: sensitivity.power,
      word: sensitivity.word,
      basis: sensitivity.basis,
      perTest: sensitivity.perTest.map((d) => ({
        name: d.name,
        minDetectableEffect: d.minDetectableEffect,
        word: d.word,
      })),
      rankBound: sensitivity.rankBound,
    },
    transferDecision: facts.transferDecision,
    separabilityDecision: facts.separabilityDecision,
  };
}

function hasUnseenClasses(c: Context): boolean {
  return (c.label?.unseen ?? false) || (c.facts.transfer?.nExcludedUnseenClass ?? 0) > 0;
}

function chooseKind(c: Context): VerdictKind {
  const { facts: f, suite } = c;
  const shift = suite.shiftDetected || (c.label?.detected ?? false);
  if (!shift) {
    if (f.enoughLabels && f.transferDecision?.status === 'beyond') return 'shiftRevisitData';
    if (!suite.statisticallySignificant && c.sensitivity.word === 'large') return 'inconclusive';
    return 'sameDistribution';
  }
  if (!f.enoughLabels || (f.transfer === null && f.targetOnly === null)) return 'shiftNoLabels';
  if (f.separable) return 'shiftProbeSuffices';
  if (f.transferDecision?.status === 'within' && !hasUnseenClasses(c) && !f.notSeparable) return 'shiftProbeSuffices';
  if (f.notSeparable) return 'shiftRevisitData';
  if (f.targetOnly === null && f.transferDecision?.status === 'beyond') return 'shiftRevisitData';
  return 'shiftNoLabels';
}

/** Whether a test on a dimension-free scale reported its minimum detectable effect (else only the bound is known). */
function testsReportedSensitivity(s: Sensitivity): boolean {
  return s.perTest.some((d) => d.dimensionFree && d.word !== null);
}

function shiftPhrase(c: Context): string {
  const size = shiftSize(c.tests);
  const embeddings = c.suite.shiftDetected;
  const labels = c.label?.detected ?? false;
  const labelWhat = c.label?.unseen ? 'new target classes' : 'different label proportions';
  if (embeddings && labels)
    return `Shift detected in the embeddings${size ? ` (${size.word})` : ''} and the labels (${labelWhat})`;
  if (labels) return `Label shift detected (${labelWhat})`;
  return `Shift detected${size ? ` (${size.word})` : ''}`;
}

/** The smallest rows-to-settle count among the undetermined probe judgements. */
function rowsToDecide(f: ProbeFacts): number | null {
  const counts = [f.transferDecision, f.separabilityDecision]
    .filter((d) => d && d.status === 'undetermined' && d.targetRowsToSettle !== null)
    .map((d) => d?.targetRowsToSettle as number);
  return counts.length ? Math.min(...counts) : null;
}

function headline(kind: VerdictKind, c: Context): string {
  const { suite, facts: f, sensitivity: s } = c;
  switch (kind) {
    case 'sameDistribution':
      if (suite.statisticallySignificant)
        return 'Statistically but not practically significant shift: the target set still measures generalisation.';
      if (s.word && testsReportedSensitivity(s))
        return `No shift of at least ${s.word} size detected: the target set measures generalisation for this representation.`;
      return s.word
        ? `No shift detected (no test could see one below ${s.word} size at this n; the tests did not report their own sensitivity): the target set measures generalisation for this representation.`
        : 'No shift detected (how small a shift the tests could see is unknown): the target set measures generalisation for this representation.';
    case 'inconclusive': {
      const n = s.rankBound ? ` at ${s.rankBound.nReference} vs ${s.rankBound.nTarget} ${s.rankBound.unit}` : '';
      return `Inconclusive: no test detected a shift, but${n} only large shifts could have been detected.`;
    }
    case 'shiftProbeSuffices':
      return f.separable
        ? `${shiftPhrase(c)}; the target's labels are as linearly separable in this representation as the reference's: a linear probe trained on target-like labels suffices.`
        : `${shiftPhrase(c)}, but the reference-trained linear probe transfers: a linear probe on the frozen embeddings suffices.`;
    case 'shiftRevisitData':
      return suite.shiftDetected || c.label?.detected
        ? `${shiftPhrase(c)} and the target's labels are not as separable here as the reference's: revisit how the data was collected and labelled.`
        : 'No shift in the embeddings, yet the reference labels transfer poorly: the two sets are labelled differently; revisit the labelling.';
    case 'shiftNoLabels': {
      if (!f.enoughLabels || (f.transfer === null && f.targetOnly === null))
        return `${shiftPhrase(c)}; target labels are needed to decide whether a linear probe suffices.`;
      const rows = rowsToDecide(f);
      return `${shiftPhrase(c)}; the labelled target rows cannot yet tell whether a linear probe suffices${rows ? ` (about ${rows.toLocaleString('en-US')} would)` : ''}.`;
    }
  }
}

function recommendation(kind: VerdictKind, c: Context): string {
  const { suite, facts: f, t, probe, sensitivity: s } = c;
  const labelPlan =
    `label a random sample of at least ${Math.max(t.minTargetLabels, 200)} target texts with the reference's ` +
    `label set${hasUnseenClasses(c) ? ' (plus the new classes)' : ''} and rerun with the target's --label-column: if a probe trained on them is about as accurate as the ` +
    `reference's own (separability gap ≤ ${points(t.maxSeparabilityGap)} on its interval), or the reference probe loses ≤ ` +
    `${points(t.maxTransferGap)} on them, a linear probe suffices; otherwise revisit data collection and labelling.`;
  const newClasses = hasUnseenClasses(c)
    ? ' The reference probe cannot predict the target classes the reference lacks: add labelled examples of them to the training data.'
    : '';
  switch (kind) {
    case 'sameDistribution': {
      const base = suite.statisticallySignificant
        ? 'The difference is real but below the minimum effect that matters here: accuracy measured on the target is a fair estimate of generalisation; re-run when the data source changes, or lower --min-effect if smaller shifts matter to you.'
        : `Accuracy measured on the target is a fair estimate of generalisation for data like the reference${
            s.word && s.word !== 'negligible' && testsReportedSensitivity(s)
              ? ` (a shift below ${s.word} size could have gone unnoticed${s.word === 'medium' ? '; more samples would rule out smaller ones' : ''})`
              : ''
          }; keep it as the test set and re-run this check when the data source changes.`;
      return f.transferDecision && f.transferDecision.status !== 'within' && f.transfer
        ? `${base} Note the probe's transfer gap of ${points(f.transfer.gap.estimate)} (interval up to ${points(f.transfer.gap.upper)}): inspect the confusion matrix.`
        : base;
    }
    case 'inconclusive': {
      const perSide = rowsPerSideForAuc(EFFECT_BANDS.c2st.medium, s.alpha, s.power);
      return (
        'Do not read this as "no shift": with so few samples even a shift a model would notice can go undetected. ' +
        `Collect more samples before using the target as a test of generalisation: at least about ${perSide} per side ` +
        'before a medium shift becomes detectable with power 0.8 (the rank-test bound; real tests need somewhat more).'
      );
    }
    case 'shiftProbeSuffices':
      if (!f.separable) {
        return 'Keep the foundation model frozen and train a linear probe (L2 logistic regression on these embeddings); fine-tuning on the reference is not needed and risks fitting its distribution. Measure accuracy on target-like data, not on a split of the reference.';
      }
      return (
        `Keep the foundation model frozen and train the linear probe on target-like labelled data` +
        (f.labelBudget
          ? ` (about ${f.labelBudget.nLabels} labels reach ${percent(f.labelBudget.accuracy)} on the target)`
          : '') +
        `, alone or added to the reference; do not fine-tune on the reference alone` +
        (f.transfer && f.transferDecision?.status !== 'within'
          ? `: its probe loses ${points(f.transfer.gap.estimate)} on the target`
          : '') +
        '. Check whether the reference lacks kinds of texts the target has (the report lists the most shifted ' +
        `target samples) or labels them differently.${newClasses}`
      );
    case 'shiftRevisitData': {
      const confusion = f.transfer ? worstConfusion(f.transfer.confusion) : null;
      const where = confusion
        ? ` The most frequent transfer error is true "${confusion.truth}" predicted as "${confusion.predicted}" (${confusion.count} rows).`
        : '';
      return (
        'Revisit how the data was collected and labelled before training more: compare the label definitions and ' +
        'annotation process of the two sets, look at the most shifted target samples in the report, and gather ' +
        "reference data that resembles the target. The target's labels are less separable in this representation " +
        `than the reference's, so a linear probe will not close the gap, and fine-tuning on the current reference would fit its distribution.${where}${newClasses}` +
        (probe?.targetOnly && f.notSeparable
          ? ' If the target labels themselves are noisy, relabel a sample and measure agreement.'
          : '')
      );
    }
    case 'shiftNoLabels': {
      if (!f.enoughLabels || (f.transfer === null && f.targetOnly === null))
        return `Do not treat accuracy on one set as an estimate for the other. To decide what to do, ${labelPlan} Meanwhile, the report's most shifted target samples show what changed.${newClasses}`;
      const rows = rowsToDecide(f);
      return (
        'Do not treat accuracy on one set as an estimate for the other yet. ' +
        (rows
          ? `Label more target rows (about ${rows.toLocaleString('en-US')} in all, if the estimates hold) and rerun: the intervals are too wide to tell whether a linear probe suffices.`
          : `The intervals are too wide to tell whether a linear probe suffices: ${labelPlan}`) +
        newClasses
      );
    }
  }
}

function worstConfusion(confusion: {
  classes: string[];
  matrix: number[][];
}): { truth: string; predicted: string; count: number } | null {
  let best: { truth: string; predicted: string; count: number } | null = null;
  confusion.matrix.forEach((row, i) =>
    row.forEach((count, j) => {
      if (i !== j && count > 0 && (!best || count > best.count)) {
        best = { truth: confusion.classes[i], predicted: confusion.classes[j], count };
      }
    }),
  );
  return best;
}
