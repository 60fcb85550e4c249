/** Linear probe: does a probe trained on the reference still work on the target, and are the target's labels separable? */
import type { ShiftlensResult } from '../../../result/resultTypes.js';
import type { GapDecision, Interval } from '../../../probe/probeTypes.js';
import type { ReportCharts } from '../../charts/reportCharts.js';
import { formatCount, formatInterval, formatNumber, formatPercent, formatPoints, formatPValue } from '../../format.js';
import { LABEL_SHIFT_BANDS, wordFor } from '../../../verdict/effectWords.js';
import { chartFigure } from '../chartFigure.js';
import { html, type SafeHtml } from '../safeHtml.js';

const STATUS_WORDS = {
  within: 'within tolerance',
  beyond: 'beyond tolerance',
  undetermined: 'undetermined',
} as const;

/** ": within tolerance (±5.0 points)" for a figure label, '' without a decision. */
function decisionWords(d: GapDecision | null | undefined): string {
  if (!d) return '';
  const rows =
    d.status === 'undetermined' && d.targetRowsToSettle
      ? `; ≈ ${formatCount(d.targetRowsToSettle)} target labels would settle it`
      : '';
  return ` — ${STATUS_WORDS[d.status]} of ${formatPoints(d.tolerance)}${rows}`;
}

const pct = (i: Interval) => `${formatPercent(i.estimate)} [${formatPercent(i.lower)}, ${formatPercent(i.upper)}]`;

export function probeSection(result: ShiftlensResult, charts: ReportCharts): SafeHtml | null {
  const probe = result.probe;
  if (!probe) return null;
  const level = Math.round(probe.reference.accuracy.level * 100);
  const t = probe.transfer;
  const own = probe.targetOnly;
  const figures: { value: string; label: string }[] = [
    {
      value: pct(probe.reference.accuracy),
      label: `reference held-out accuracy (${probe.reference.folds}-fold, n = ${formatCount(probe.reference.n)})`,
    },
  ];
  const decisions = result.verdict;
  if (t) {
    figures.push({ value: pct(t.accuracy), label: `reference probe on the target (n = ${formatCount(t.n)})` });
    figures.push({
      value: `${formatPoints(t.gap.estimate)} [${(t.gap.lower * 100).toFixed(1)}, ${(t.gap.upper * 100).toFixed(1)}]`,
      label: `transfer gap: reference − target accuracy${decisionWords(decisions.transferDecision)}`,
    });
  }
  if (own) {
    figures.push({
      value: `${formatPercent(own.accuracy.estimate)} vs ${formatPercent(own.majorityBaseline)}`,
      label: `target's own ${own.folds}-fold probe vs its majority baseline`,
    });
    if (own.separabilityGap) {
      const g = own.separabilityGap;
      figures.push({
        value: `${formatPoints(g.estimate)} [${(g.lower * 100).toFixed(1)}, ${(g.upper * 100).toFixed(1)}]`,
        label: `separability gap: accuracy the reference's separability predicts here − target's own${decisionWords(decisions.separabilityDecision)}`,
      });
    }
  }
  const rows: { what: string; acc: Interval; f1: Interval; n: number }[] = [
    {
      what: 'Reference probe, reference held-out',
      acc: probe.reference.accuracy,
      f1: probe.reference.macroF1,
      n: probe.reference.n,
    },
  ];
  if (t) rows.push({ what: 'Reference probe on target', acc: t.accuracy, f1: t.macroF1, n: t.n });
  if (own) rows.push({ what: 'Target probe, target held-out', acc: own.accuracy, f1: own.macroF1, n: own.n });
  return html`<section class="card" id="probe">
  <h2>Linear probe</h2>
  <p class="lead">A logistic-regression probe on the frozen embeddings (regularisation ${formatNumber(probe.reference.regularization)}${probe.reference.converged ? '' : ', did not fully converge'}),
  classes ${probe.classes.join(', ')}${
    probe.labelMap
      ? html` (labels mapped: ${Object.entries(probe.labelMap)
          .map(([k, v]) => `${k} → ${v}`)
          .join(', ')})`
      : ''
  }.
  Intervals are ${level}% bootstrap intervals.</p>
  <div class="figures">${figures.map((f) => html`<div class="figure"><div class="value">${f.value}</div><div class="label">${f.label}</div></div>`)}</div>
  ${
    t && t.nExcludedUnseenClass > 0
      ? html`<p class="table-note">${formatCount(t.nExcludedUnseenClass)} target samples with classes the reference never had (${t.unseenClasses.join(', ')}) were left out of the transfer accuracy.</p>`
      : null
  }
  ${(probe.notes ?? []).map((note) => html`<p class="table-note">${note}</p>`)}
  ${labelTable(result)}
  <h3>Accuracy and macro-F1</h3>
  <table>
    <thead><tr><th>Probe</th><th class="num">n</th><th class="num">Accuracy [${level}% interval]</th><th class="num">Macro-F1 [${level}% interval]</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr><td>${r.what}</td><td class="num">${formatCount(r.n)}</td><td class="num">${formatInterval(r.acc.estimate, r.acc.lower, r.acc.upper)}</td><td class="num">${formatInterval(r.f1.estimate, r.f1.lower, r.f1.upper)}</td></tr>`)}</tbody>
  </table>
  <div class="probe-grid" style="margin-top:16px">
    ${charts.probeAccuracy ? chartFigure(charts.probeAccuracy) : null}
    ${charts.labelEfficiency ? chartFigure(charts.labelEfficiency, 'How many target labels a target-trained probe needs to match or beat the reference probe.') : null}
    ${charts.confusion ? chartFigure(charts.confusion) : null}
  </div>
</section>`;
}

/** Label counts per side, new classes marked, and the proportions test. */
function labelTable(result: ShiftlensResult): SafeHtml | null {
  const l = result.labelShift;
  if (!l) return null;
  const test = l.test
    ? `Label proportions: ${l.test.method === 'chi-square' ? 'χ²' : 'Monte-Carlo X²'} p = ${formatPValue(l.test.pValue)}, Cohen's w = ${formatNumber(l.effectSize)} (${wordFor(l.effectSize, LABEL_SHIFT_BANDS)}), ${formatPercent(l.totalVariation)} of target labels would have to change class.`
    : 'One class in all: no proportions test.';
  return html`<h3>Labels</h3>
  <table>
    <thead><tr><th>Class</th><th class="num">Reference</th><th class="num">Target</th></tr></thead>
    <tbody>${l.classes.map((c) => {
      const ref = l.referenceCounts[c] ?? 0;
      const tgt = l.targetCounts[c] ?? 0;
      return html`<tr><td>${c}${ref === 0 ? ' (new in target)' : ''}</td><td class="num">${formatCount(ref)}</td><td class="num">${formatCount(tgt)} (${formatPercent(tgt / l.nTarget)})</td></tr>`;
    })}</tbody>
  </table>
  <p class="table-note">${test}${l.unseen.nRows > 0 ? ` ${formatPercent(l.unseen.share)} of the labelled target rows belong to classes the reference never has.` : ''}</p>`;
}
