/** "Where do they differ?": the PCA scatter with hover texts, and the per-component density overlays. */
import type { ShiftlensResult } from '../../../result/resultTypes.js';
import type { ReportCharts } from '../../charts/reportCharts.js';
import { formatNumber, formatPercent } from '../../format.js';
import type { ReportView } from '../../reportView.js';
import { chartFigure } from '../chartFigure.js';
import { html, type SafeHtml } from '../safeHtml.js';

export function whereSection(result: ShiftlensResult, view: ReportView, charts: ReportCharts): SafeHtml {
  const comps = result.pca.components;
  const shown = result.pca.explainedVarianceRatio.slice(0, 2).reduce((a, b) => a + b, 0);
  const scatter = charts.scatter
    ? html`<div class="scatter-row">
    ${chartFigure(charts.scatter, view.subsampling.statement)}
    <div class="aside">
      <p>Both sets projected on the principal components of the pooled embeddings (${result.pca.nComponents} kept;
      PC1 and PC2 explain ${formatPercent(shown)} of the variance). Hover a point to read its text, label and id.
      Where a far tail would squash the cloud, an axis stops near the 0.5th or 99.5th percentile and the points beyond are drawn on its edge.</p>
      ${
        view.scatter?.highlighted.length
          ? html`<p>Outlined points are the ${view.scatter.highlighted.length} most shifted target samples (listed below).</p>`
          : null
      }
      <p>Separated clouds mean the model sees the two sets differently; overlapping clouds can still differ in
      directions beyond the first two components, which the tests check.</p>
    </div>
  </div>
  ${
    charts.scatterByLabel
      ? chartFigure(
          charts.scatterByLabel,
          'One panel per label, same axes: a shift inside each panel is a change within the classes; panels that only differ in how many points they hold are a change in label proportions.',
        )
      : null
  }`
    : html`<p class="empty">Only one principal component was kept, so there is no scatter; see the density view.</p>`;
  return html`<section class="card" id="where">
  <h2>Where the sets differ</h2>
  <p class="lead">The paper's view: project both sets on the top principal components, then compare the distribution of each
  component with kernel density estimates. Overlap is ∫ min(p, q) (1 = identical); Jensen–Shannon divergence is 0 for identical densities, 1 for disjoint.</p>
  ${scatter}
  <h3>Density of each component</h3>
  <div class="charts two">${charts.densities.map((c) => chartFigure(c))}</div>
  ${
    view.subsampling.densityComponentsTotal > view.subsampling.densityComponentsShown
      ? html`<p class="table-note">Showing ${view.subsampling.densityComponentsShown} of ${view.subsampling.densityComponentsTotal} components; all are listed below.</p>`
      : null
  }
  ${
    comps.length
      ? html`<h3>All components</h3><table>
    <thead><tr><th>Component</th><th class="num">Variance</th><th class="num">Mean (ref.)</th><th class="num">Mean (target)</th><th class="num">Overlap</th><th class="num">JS div.</th><th class="num">Bandwidth (ref. / target)</th></tr></thead>
    <tbody>${comps.map(
      (c) => html`<tr><td>PC${c.index + 1}</td><td class="num">${formatPercent(c.explainedVarianceRatio)}</td>
      <td class="num">${formatNumber(c.meanReference)}</td><td class="num">${formatNumber(c.meanTarget)}</td>
      <td class="num">${formatNumber(c.overlap)}</td><td class="num">${formatNumber(c.jsDivergence, 2)}</td>
      <td class="num">${formatNumber(c.bandwidth.reference)} / ${formatNumber(c.bandwidth.target)} <span class="sub">${c.bandwidth.rule}</span></td></tr>`,
    )}</tbody></table>`
      : null
  }
</section>`;
}
