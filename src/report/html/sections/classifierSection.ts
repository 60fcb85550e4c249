/** The domain classifier's view: how well a linear model tells the sides apart, sample by sample. */
import type { ShiftlensResult } from '../../../result/resultTypes.js';
import type { ReportCharts } from '../../charts/reportCharts.js';
import { formatNumber, formatPValue } from '../../format.js';
import { chartFigure } from '../chartFigure.js';
import { html, type SafeHtml } from '../safeHtml.js';

export function classifierSection(result: ShiftlensResult, charts: ReportCharts): SafeHtml | null {
  if (!charts.classifierScores) return null;
  const c2st = result.tests.find((t) => t.name === 'c2st');
  return html`<section class="card" id="classifier">
  <h2>Domain classifier</h2>
  <p class="lead">A classifier trained to tell target from reference, scored out-of-fold on every sample. If the sets were
  alike its scores would pile up in the middle for both; the further the two histograms pull apart, the easier the sets are to tell apart.
  ${c2st ? html`Classifier two-sample test: statistic ${formatNumber(c2st.statistic, 4)}, ${c2st.effectSizeName} ${formatNumber(c2st.effectSize)}, p = ${formatPValue(c2st.pValue)}.` : null}</p>
  ${chartFigure(charts.classifierScores)}
</section>`;
}
