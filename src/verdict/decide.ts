/**
 * The verdict, following Vargas et al. (arXiv 2310.13836):
 * - no (practically significant) shift → the target set measures generalisation for this representation;
 * - shift, and the target's labels are linearly separable in the frozen representation (target-only probe) or
 *   the reference-trained probe transfers with a small gap → a linear probe suffices (fine-tuning risks fitting
 *   the training distribution);
 * - shift, and poor separability or a large transfer gap → revisit data collection and labelling;
 * - shift without (enough) target labels → say which labels would decide it.
 * A confidently large transfer gap without any shift in the embeddings is a labelling (concept) difference:
 * it also gets shiftRevisitData. Reasons quote the numbers; thresholds are in ./thresholds.ts.
 */
import type { ProbeResult, Verdict, VerdictKind } from '../probe/probeTypes.js';
import type { TwoSampleTestResult } from '../twosample/detector.js';
import { probeFacts, probeSentences, testSentences, type ProbeFacts, type SuiteSummary } from './evidence.js';
import { percent, points } from './format.js';
import { resolveThresholds, type VerdictThresholds } from './thresholds.js';

export { DEFAULT_VERDICT_THRESHOLDS, type VerdictThresholds } from './thresholds.js';

export interface VerdictInput {
  tests: TwoSampleTestResult[];
  suite: SuiteSummary;
  probe: ProbeResult | null;
  thresholds?: Partial<VerdictThresholds>;
}

export function decideVerdict(input: VerdictInput): Verdict {
  const t = resolveThresholds(input.thresholds);
  const { suite, probe } = input;
  const facts = probeFacts(probe, t);
  const reasons = [...testSentences(input.tests, suite), ...(probe ? probeSentences(probe, facts, t) : [])];
  // The probe's own notes on degenerate cases (single class, too few labels); unseen classes are already said.
  for (const note of probe?.notes ?? []) if (!note.includes('never saw')) reasons.push(note);
  const kind = chooseKind(suite.shiftDetected, facts);
  const thresholds: Record<string, number> = { alpha: suite.alpha, ...t };
  if (typeof suite.minEffect === 'number') thresholds.minEffect = suite.minEffect;
  else if (suite.minEffect !== null)
    for (const [name, value] of Object.entries(suite.minEffect)) thresholds[`minEffect.${name}`] = value;
  return {
    kind,
    headline: headline(kind, suite, facts),
    reasons,
    recommendation: recommendation(kind, suite, facts, t, probe),
    thresholds,
    shiftDetected: suite.shiftDetected,
  };
}

function chooseKind(shiftDetected: boolean, f: ProbeFacts): VerdictKind {
  if (!shiftDetected) {
    return f.enoughLabels && f.gapConfidentlyLarge ? 'shiftRevisitData' : 'sameDistribution';
  }
  if (!f.enoughLabels || (f.transfer === null && f.targetOnly === null)) return 'shiftNoLabels';
  if (f.separable) return 'shiftProbeSuffices';
  if (f.targetOnly === null && f.gapSmall) return 'shiftProbeSuffices';
  return 'shiftRevisitData';
}

function headline(kind: VerdictKind, suite: SuiteSummary, f: ProbeFacts): string {
  switch (kind) {
    case 'sameDistribution':
      return suite.statisticallySignificant
        ? 'Statistically but not practically significant shift: the target set still measures generalisation.'
        : 'No shift detected: the target set measures generalisation for this representation.';
    case 'shiftProbeSuffices':
      return f.gapSmall
        ? 'Shift detected, but the reference-trained linear probe transfers: a linear probe on the frozen embeddings suffices.'
        : "Shift detected; the target's labels are linearly separable in this representation: a linear probe trained on target-like labels suffices.";
    case 'shiftRevisitData':
      return suite.shiftDetected
        ? 'Shift detected and the probe does not carry over: revisit how the data was collected and labelled.'
        : 'No shift in the embeddings, yet the reference labels transfer poorly: the two sets are labelled differently; revisit the labelling.';
    case 'shiftNoLabels':
      return 'Shift detected; target labels are needed to decide whether a linear probe suffices.';
  }
}

function recommendation(
  kind: VerdictKind,
  suite: SuiteSummary,
  f: ProbeFacts,
  t: VerdictThresholds,
  probe: ProbeResult | null,
): string {
  const labelPlan =
    `label a random sample of at least ${Math.max(t.minTargetLabels, 200)} target texts with the reference's ` +
    `label set and rerun with the target's --label-column: if a probe trained on them reaches ≥ ${percent(t.minSeparableAccuracy)} ` +
    `accuracy and removes ≥ ${percent(t.minErrorReduction)} of the majority-class baseline's errors, or the reference probe loses ≤ ` +
    `${points(t.maxTransferGap)} on them, a linear probe suffices; otherwise revisit data collection and labelling.`;
  switch (kind) {
    case 'sameDistribution': {
      const base = suite.statisticallySignificant
        ? 'The difference is real but below the minimum effect that matters here: accuracy measured on the target is a fair estimate of generalisation; re-run when the data source changes, or lower --min-effect if smaller shifts matter to you.'
        : 'Accuracy measured on the target is a fair estimate of generalisation for data like the reference; keep it as the test set and re-run this check when the data source changes.';
      return f.transfer && !f.gapSmall
        ? `${base} Note the probe's transfer gap of ${points(f.transfer.gap.estimate)}: the tests may lack power at this sample size, so inspect the confusion matrix.`
        : base;
    }
    case 'shiftProbeSuffices':
      if (f.gapSmall) {
        return 'Keep the foundation model frozen and train a linear probe (L2 logistic regression on these embeddings); fine-tuning on the reference is not needed and risks fitting its distribution. Measure accuracy on target-like data, not on a split of the reference.';
      }
      return (
        `Keep the foundation model frozen and train the linear probe on target-like labelled data` +
        (f.labelBudget
          ? ` (about ${f.labelBudget.nLabels} labels reach ${percent(f.labelBudget.accuracy)} on the target)`
          : '') +
        `, alone or added to the reference; do not fine-tune on the reference alone` +
        (f.transfer ? `: its probe loses ${points(f.transfer.gap.estimate)} on the target` : '') +
        '. Check whether the reference lacks kinds of texts the target has (the report lists the most shifted ' +
        'target samples) or labels them differently.'
      );
    case 'shiftRevisitData': {
      const confusion = f.transfer ? worstConfusion(f.transfer.confusion) : null;
      const where = confusion
        ? ` The most frequent transfer error is true "${confusion.truth}" predicted as "${confusion.predicted}" (${confusion.count} rows).`
        : '';
      return (
        'Revisit how the data was collected and labelled before training more: compare the label definitions and ' +
        'annotation process of the two sets, look at the most shifted target samples in the report, and gather ' +
        'reference data that resembles the target. A linear probe on this representation will not close the gap, ' +
        `and fine-tuning on the current reference would fit its distribution.${where}` +
        (probe?.targetOnly && !f.separable
          ? ' If the target labels themselves are noisy, relabel a sample and measure agreement.'
          : '')
      );
    }
    case 'shiftNoLabels':
      return `Do not treat accuracy on one set as an estimate for the other. To decide what to do, ${labelPlan} Meanwhile, the report's most shifted target samples show what changed.`;
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
