/** A chart's place in the page: an empty holder the client script draws into, and a caption. */
import type { ChartDefinition } from '../charts/chartDefinition.js';
import { html, type HtmlValue, type SafeHtml } from './safeHtml.js';

export function chartFigure(chart: ChartDefinition, caption?: HtmlValue): SafeHtml {
  return html`<figure class="chart" data-chart="${chart.id}">
  <div class="chart-holder" id="chart-${chart.id}" role="img" aria-label="${chart.description}"></div>
  ${caption ? html`<figcaption>${caption}</figcaption>` : null}
</figure>`;
}
