/**
 * One look for every chart: system fonts only (the page loads nothing from the network), quiet axes, and the
 * two side colours used throughout the report (reference blue, target orange).
 */
import type { Config } from 'vega-lite';

export const SIDE_COLORS = { reference: '#3a6ea5', target: '#e8743b' } as const;
export const SIDE_DOMAIN = ['reference', 'target'];
export const SIDE_RANGE = [SIDE_COLORS.reference, SIDE_COLORS.target];

/** The reference/target colour encoding with its legend across the top; scatter points keep full-opacity symbols. */
export function sideColorEncoding(options: { opaqueSymbols?: boolean } = {}) {
  return {
    field: 'side',
    type: 'nominal' as const,
    scale: { domain: SIDE_DOMAIN, range: SIDE_RANGE },
    legend: {
      title: null,
      orient: 'top' as const,
      direction: 'horizontal' as const,
      ...(options.opaqueSymbols ? { symbolOpacity: 1 } : {}),
    },
  };
}
export const INK = '#1f2933';
export const MUTED = '#6b7785';
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const CHART_CONFIG: Config = {
  // No per-mark ARIA descriptions: 5,000 of them (each repeating a hover text) would double an SVG; every chart's
  // holder carries one role="img" label instead.
  aria: false,
  font: FONT,
  background: '#ffffff',
  padding: 6,
  view: { stroke: null },
  title: {
    fontSize: 13,
    fontWeight: 600,
    color: INK,
    anchor: 'start',
    subtitleColor: MUTED,
    subtitleFontSize: 11,
    offset: 8,
  },
  axis: {
    labelColor: MUTED,
    titleColor: INK,
    titleFontWeight: 500,
    titleFontSize: 11,
    labelFontSize: 10,
    gridColor: '#eceff3',
    domainColor: '#c5cbd3',
    tickColor: '#c5cbd3',
  },
  legend: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 11, symbolStrokeWidth: 0 },
};
