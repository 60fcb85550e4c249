/**
 * The PCA scatter faceted by label: one small panel per label (the most frequent ones), reference and target
 * coloured by side, on the same axes as the main scatter. Shows whether the sides differ within each class, or
 * only in how often each class occurs (label shift). No hover texts or ids here (they are in the main scatter): the
 * page would double in weight.
 */
import type { ScatterView } from '../reportView.js';
import { formatCount } from '../format.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { clampTransform, scatterAxes } from './scatterChart.js';
import { SIDE_DOMAIN, SIDE_RANGE } from './theme.js';

/** Width the panels share (fits a card at an 800 px window). */
const TOTAL_WIDTH = 600;

export function scatterByLabelChart(
  scatter: ScatterView,
  explainedVarianceRatio: number[],
  renderer: 'svg' | 'canvas',
): ChartDefinition | null {
  const panels = scatter.labelPanels;
  if (panels.length < 2 || !(scatter.reference.label || scatter.target.label)) return null;
  const columns = Math.min(3, panels.length);
  const panelWidth = Math.floor((TOTAL_WIDTH - 60) / columns) - 20;
  // One block per side and label, the label a block constant: the panels cost their coordinates only.
  const blocks = (s: ScatterView['reference'], name: string) =>
    panels.map((label) => {
      const rows = s.label ? s.index.map((_, k) => k).filter((k) => (s.label as string[])[k] === label) : [];
      return {
        columns: { x: rows.map((k) => s.x[k]), y: rows.map((k) => s.y[k]) },
        constants: { side: name, label },
      };
    });
  const { x, y } = scatterAxes(scatter, explainedVarianceRatio, 4);
  const more = scatter.nLabels > panels.length ? ` · the ${panels.length} most frequent of ${scatter.nLabels}` : '';
  const counts = (label: string) =>
    (scatter.reference.label?.filter((l) => l === label).length ?? 0) +
    (scatter.target.label?.filter((l) => l === label).length ?? 0);
  const spec = {
    title: {
      text: 'The same scatter, one panel per label',
      subtitle: `plotted points per label: ${panels.map((l) => `${l} ${formatCount(counts(l))}`).join(', ')}${more}`,
    },
    data: { name: 'points' },
    transform: clampTransform(scatter),
    facet: {
      field: 'label',
      type: 'nominal' as const,
      title: null,
      sort: panels,
      header: { labelFontSize: 12, labelFontWeight: 600, labelLimit: panelWidth },
    },
    columns,
    spec: {
      width: panelWidth,
      height: Math.round(panelWidth * 0.75),
      mark: { type: 'circle' as const, size: 12, opacity: 0.5 },
      encoding: {
        x: { ...x, title: `PC${scatter.xComponent + 1}` },
        y: { ...y, title: `PC${scatter.yComponent + 1}` },
        color: {
          field: 'side',
          type: 'nominal' as const,
          scale: { domain: SIDE_DOMAIN, range: SIDE_RANGE },
          legend: { title: null, orient: 'top' as const, direction: 'horizontal' as const, symbolOpacity: 1 },
        },
        tooltip: [
          { field: 'side', type: 'nominal' as const },
          { field: 'label', type: 'nominal' as const },
        ],
      },
    },
    resolve: { scale: { x: 'shared' as const, y: 'shared' as const } },
  };
  return defineChart(
    'pca-scatter-by-label',
    `PCA scatter faceted by label (${panels.join(', ')})`,
    spec as Parameters<typeof defineChart>[2],
    {
      points: {
        blocks: [...blocks(scatter.reference, 'reference'), ...blocks(scatter.target, 'target')],
        interleave: true,
      },
    },
    renderer,
  );
}
