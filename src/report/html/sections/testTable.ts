/** The two-sample test table: statistic, p-value, family-wise adjusted p, effect size, decision. */
import { describeMinEffect } from '../../../twosample/suite.js';
import type { ShiftlensResult, TwoSampleTestResult } from '../../../result/resultTypes.js';
import { formatNumber, formatPValue } from '../../format.js';
import { html, type SafeHtml } from '../safeHtml.js';
import { effectLabel, effectPhrase } from '../../../verdict/evidence.js';

function decision(t: TwoSampleTestResult): SafeHtml {
  if (t.pValue === null) return html`<span class="badge effect">effect size only</span>`;
  return t.shift ? html`<span class="badge shift">shift</span>` : html`<span class="badge noshift">no shift</span>`;
}

function effect(t: TwoSampleTestResult): SafeHtml {
  const interval =
    t.interval && t.interval.of === 'effectSize'
      ? html`<span class="sub">${Math.round(t.interval.level * 100)}% interval [${formatNumber(t.interval.lower)}, ${formatNumber(t.interval.upper)}]</span>`
      : null;
  const word = effectLabel(t.name, t.effectSize);
  const detectable =
    typeof t.minDetectableEffect === 'number'
      ? html`<span class="sub">detectable from ${formatNumber(t.minDetectableEffect)}${effectPhrase(t.name, t.minDetectableEffect)} (power 0.8)</span>`
      : null;
  return html`${formatNumber(t.effectSize)}${word ? html` <strong>${word}</strong>` : null}<span class="sub">${t.effectSizeName}</span>${interval}${detectable}`;
}

export function testTable(result: ShiftlensResult): SafeHtml {
  const s = result.suite;
  const minEffect =
    s.minEffect === null
      ? 'no minimum effect size'
      : `minimum effect size ${describeMinEffect(s.minEffect, formatNumber)}`;
  return html`<section class="card" id="tests">
  <h2>Two-sample tests</h2>
  <p class="lead">Each test asks whether both sets could come from one distribution of embeddings. A test flags a shift when its
  ${s.correction === 'holm' ? 'Holm' : 'Bonferroni'}-adjusted p-value is at most α = ${s.alpha} and its effect size reaches the
  threshold (${minEffect}).</p>
  <table class="tests">
    <colgroup><col class="c-test"><col class="c-stat"><col class="c-p"><col class="c-p"><col class="c-effect"><col class="c-decision"></colgroup>
    <thead><tr><th>Test</th><th class="num">Statistic</th><th class="num" title="p-value">p</th><th class="num" title="family-wise adjusted p-value">Adj. p</th><th class="num">Effect size</th><th>Decision</th></tr></thead>
    <tbody>${result.tests.map(
      (t) => html`<tr class="${t.shift ? 'shift' : ''}" data-test="${t.name}">
      <td>${t.label}<span class="sub">${t.method}</span></td>
      <td class="num">${formatNumber(t.statistic, 4)}${t.interval && t.interval.of === 'statistic' ? html`<span class="sub">[${formatNumber(t.interval.lower)}, ${formatNumber(t.interval.upper)}]</span>` : null}</td>
      <td class="num">${formatPValue(t.pValue)}</td>
      <td class="num">${formatPValue(t.pValueAdjusted)}</td>
      <td class="num">${effect(t)}</td>
      <td>${decision(t)}</td>
    </tr>`,
    )}</tbody>
  </table>
  <p class="table-note">Family-wise decision: ${s.shiftDetected ? 'shift detected' : 'no shift detected'}
  (statistically significant: ${s.statisticallySignificant ? 'yes' : 'no'}; practically significant: ${s.practicallySignificant ? 'yes' : 'no'}).</p>
</section>`;
}
