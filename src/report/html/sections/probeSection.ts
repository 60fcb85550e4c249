/** Linear probe: does a probe trained on the reference still work on the target, and are the target's labels separable? */
import type { ShiftlensResult } from '../../../result/resultTypes.js';
import type { Interval } from '../../../probe/probeTypes.js';
import type { ReportCharts } from '../../charts/reportCharts.js';
import { formatCount, formatInterval, formatNumber, formatPercent, formatPoints } from '../../format.js';
import { chartFigure } from '../chartFigure.js';
import { html, type SafeHtml } from '../safeHtml.js';

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
  if (t) {
    figures.push({ value: pct(t.accuracy), label: `reference probe on the target (n = ${formatCount(t.n)})` });
    figures.push({
      value: `${formatPoints(t.gap.estimate)} [${(t.gap.lower * 100).toFixed(1)}, ${(t.gap.upper * 100).toFixed(1)}]`,
      label: 'transfer gap: reference − target accuracy',
    });
  }
  if (own) {
    figures.push({
      value: `${formatPercent(own.accuracy.estimate)} vs ${formatPercent(own.majorityBaseline)}`,
      label: `target separability: own ${own.folds}-fold probe vs majority baseline`,
    });
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
