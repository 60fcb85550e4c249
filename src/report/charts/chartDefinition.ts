/**
 * A chart ready to draw: a Vega spec compiled from Vega-Lite in Node (so the page needs only the Vega runtime)
 * whose data sources are named and filled at draw time from columnar datasets.
 */
import { logger, None, type Spec as VegaSpec, Warn } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartDataset } from './chartData.js';
import { CHART_CONFIG } from './theme.js';

export interface ChartDefinition {
  /** Stable id: the element id in the page and the image file name ("pca-scatter"). */
  id: string;
  /** What the chart shows, for alt text and captions. */
  description: string;
  vega: VegaSpec;
  datasets: Record<string, ChartDataset>;
  /** Canvas draws thousands of points faster than SVG; small charts stay SVG (crisp, countable in tests). */
  renderer: 'svg' | 'canvas';
}

export function defineChart(
  id: string,
  description: string,
  spec: TopLevelSpec,
  datasets: Record<string, ChartDataset>,
  renderer: 'svg' | 'canvas' = 'svg',
): ChartDefinition {
  const withConfig = { ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  // Vega-Lite's own warnings (e.g. a resolved config conflict) would print on the user's stderr beside the CLI's
  // one-line messages: kept for SHIFTLENS_DEBUG.
  const vega = compile(withConfig, { logger: logger(process.env.SHIFTLENS_DEBUG ? Warn : None) }).spec as VegaSpec;
  // vega-lite stamps a $schema URL on the output; the page never fetches it, but drop it so no URL remains.
  delete (vega as { $schema?: string }).$schema;
  return { id, description, vega, datasets, renderer };
}
