/**
 * A chart ready to draw: a Vega spec compiled from Vega-Lite (at build time, see chartTemplates.ts; so the page
 * needs only the Vega runtime) whose data sources are named and filled at draw time from columnar datasets.
 */
import type { Spec as VegaSpec } from 'vega';
import type { ChartDataset } from './chartData.js';
import { chartSpec, type ChartKind, type HoleValues } from './chartTemplates.js';

export interface ChartDefinition {
  /** Stable id: the element id in the page and the image file name ("pca-scatter"). */
  id: string;
  /** What the chart shows, for alt text and captions. */
  description: string;
  vega: VegaSpec;
  datasets: Record<string, ChartDataset>;
  /** Canvas draws thousands of points faster than SVG; small charts stay SVG (crisp, countable in tests). */
  renderer: 'svg' | 'canvas';
  /** The kind, shape and holes the spec was filled from (for the template tests; not written to the page). */
  source: ChartSource;
}

export interface ChartSource {
  // biome-ignore lint/suspicious/noExplicitAny: any kind
  kind: ChartKind<any, any>;
  shape: Record<string, string | number | boolean>;
  holes: HoleValues;
}

export function defineChart<S extends Record<string, string | number | boolean>, H extends HoleValues>(
  id: string,
  description: string,
  kind: ChartKind<S, H>,
  shape: S,
  holes: H,
  datasets: Record<string, ChartDataset>,
  renderer: 'svg' | 'canvas' = 'svg',
): ChartDefinition {
  return { id, description, vega: chartSpec(kind, shape, holes), datasets, renderer, source: { kind, shape, holes } };
}
