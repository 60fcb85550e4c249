/** "Method": data counts per side, model and pooling, PCA and KDE bandwidths, each test's procedure, seed, subsampling. */
import { describeMinEffect } from '../../../twosample/suite.js';
import type { DatasetSummaryJson, ShiftlensResult } from '../../../result/resultTypes.js';
import { formatCount, formatNumber, formatPercent } from '../../format.js';
import type { ReportView } from '../../reportView.js';
import { html, type HtmlValue, type SafeHtml } from '../safeHtml.js';

const MAX_DETAILS = 10;
const MAX_WARNINGS = 30;

function detailValue(value: unknown): string | null {
  if (typeof value === 'number') return formatNumber(value, 4);
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 79)}…` : value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
    return value.length <= 8 ? value.map((v) => formatNumber(v as number, 3)).join(', ') : `${value.length} values`;
  }
  return null;
}

function details(d: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(d)) {
    const shown = detailValue(value);
    if (shown !== null) parts.push(`${key} = ${shown}`);
    if (parts.length >= MAX_DETAILS) break;
  }
  return parts.join(' · ');
}

function datasetRows(r: DatasetSummaryJson, t: DatasetSummaryJson): [string, HtmlValue, HtmlValue][] {
  const skipped = (d: DatasetSummaryJson) =>
    d.skipped.length ? d.skipped.map((s) => `${formatCount(s.count)} ${s.reason}`).join('; ') : '0';
  const labels = (d: DatasetSummaryJson) =>
    d.labels
      ? Object.entries(d.labels)
          .map(([k, v]) => `${k}: ${formatCount(v)}`)
          .join(', ')
      : '—';
  return [
    ['Source', html`<code>${r.source}</code>`, html`<code>${t.source}</code>`],
    ['Samples analysed', formatCount(r.n), formatCount(t.n)],
    ['Records read', formatCount(r.nRead), formatCount(t.nRead)],
    ['Empty (dropped)', formatCount(r.nEmpty), formatCount(t.nEmpty)],
    ['Exact duplicates (kept)', formatCount(r.nDuplicate), formatCount(t.nDuplicate)],
    ['Left out by sampling', formatCount(r.nSampledOut), formatCount(t.nSampledOut)],
    ['Truncated at the token limit', formatCount(r.nTruncated), formatCount(t.nTruncated)],
    ['Skipped', skipped(r), skipped(t)],
    ['Mean length (words)', formatNumber(r.meanWords), formatNumber(t.meanWords)],
    ['Labels', labels(r), labels(t)],
    ['Out-of-vocabulary tokens', formatPercent(r.oovRate), formatPercent(t.oovRate)],
  ];
}

export function methodSection(result: ShiftlensResult, view: ReportView): SafeHtml {
  const m = result.model;
  const comps = result.pca.components;
  const rules = [...new Set(comps.map((c) => c.bandwidth.rule))];
  const timings = Object.entries(result.timings);
  return html`<section class="card" id="method">
  <h2>Method</h2>
  <h3>Data</h3>
  <table>
    <thead><tr><th></th><th><span class="side-ref">●</span> Reference</th><th><span class="side-tgt">●</span> Target</th></tr></thead>
    <tbody>${datasetRows(result.reference, result.target).map(([k, a, b]) => html`<tr><td>${k}</td><td>${a}</td><td>${b}</td></tr>`)}</tbody>
  </table>
  <h3>Embeddings and projection</h3>
  <dl class="kv">
    <dt>Model</dt><dd><code>${m.id}</code> (${m.backend}, ${m.dim} dimensions)</dd>
    <dt>Description</dt><dd>${m.description}</dd>
    <dt>Pooling</dt><dd>${m.pooling}${m.normalize ? ', L2-normalised' : ', not normalised'}${m.maxTokens !== null ? `, texts cut at ${m.maxTokens} tokens` : ''}</dd>
    <dt>PCA</dt><dd>fitted on both sets pooled; ${result.pca.nComponents} components explaining ${formatPercent(result.pca.explainedVarianceRatio.reduce((a, b) => a + b, 0))} of the variance</dd>
    <dt>KDE bandwidths</dt><dd>${rules.length ? `${rules.join(' / ')} rule, per side and component: ` : '—'}${comps
      .map((c) => `PC${c.index + 1} ${formatNumber(c.bandwidth.reference)} / ${formatNumber(c.bandwidth.target)}`)
      .join('; ')}</dd>
    <dt>Centroids</dt><dd>cosine distance ${formatNumber(result.centroid.cosineDistance, 4)}, Euclidean distance ${formatNumber(result.centroid.euclideanDistance, 4)}</dd>
    <dt>Family-wise decision</dt><dd>α = ${result.suite.alpha}, ${result.suite.correction} correction${result.suite.minEffect !== null ? `, minimum effect ${describeMinEffect(result.suite.minEffect, formatNumber)}` : ''}</dd>
    <dt>Seed</dt><dd><code>${result.seed}</code> (every random choice — sampling, permutations, folds, bootstrap — derives from it)</dd>
    <dt>Report subsampling</dt><dd>${view.subsampling.statement} Density curves are drawn on ${view.subsampling.densityPoints} points or fewer.</dd>
  </dl>
  <h3>Tests</h3>
  <table>
    <thead><tr><th>Test</th><th>How the p-value is computed</th><th>Details</th><th class="num">Time</th></tr></thead>
    <tbody>${result.tests.map((t) => html`<tr><td>${t.label}</td><td>${t.method}</td><td class="sub">${details(t.details)}</td><td class="num">${formatNumber(t.timingMs / 1000, 2)} s</td></tr>`)}</tbody>
  </table>
  ${
    timings.length
      ? html`<h3>Timings</h3><p class="table-note">${timings.map(([k, v]) => `${k.replace(/Ms$/, '')} ${formatNumber(v / 1000, 2)} s`).join(' · ')}</p>`
      : null
  }
  ${
    result.warnings.length
      ? html`<h3>Warnings</h3><ul class="warnings">${result.warnings.slice(0, MAX_WARNINGS).map((w) => html`<li>${w}</li>`)}</ul>${result.warnings.length > MAX_WARNINGS ? html`<p class="table-note">…and ${result.warnings.length - MAX_WARNINGS} more in result.json.</p>` : null}`
      : null
  }
</section>`;
}
