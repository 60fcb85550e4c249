/**
 * The PCA scatter faceted by label: one small panel per label (the most frequent ones), reference and target
 * coloured by side, on the same axes as the main scatter. Shows whether the sides differ within each class, or
 * only in how often each class occurs (label shift). No hover texts or ids here (they are in the main scatter): the
 * page would double in weight.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ScatterView } from '../reportView.js';
import { formatCount } from '../format.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { type ChartKind, prepareChartKind, shapesOf } from './chartTemplates.js';
import {
  clampTransform,
  SCATTER_AXIS_HOLES,
  type ScatterAxisHoles,
  scatterAxes,
  scatterAxisHoles,
} from './scatterChart.js';
import { sideColorEncoding } from './theme.js';

/** Width the panels share (fits a card at an 800 px window). */
const TOTAL_WIDTH = 600;

type ByLabelShape = { columns: number };
type ByLabelHoles = ScatterAxisHoles & { subtitle: string };

const byLabelKind: ChartKind<ByLabelShape, ByLabelHoles> = {
  name: 'pca-scatter-by-label',
  // Two panels or more (a single label draws no facet), at most three to a row.
  shapes: shapesOf<ByLabelShape>({ columns: [2, 3] }),
  holes: { ...SCATTER_AXIS_HOLES, subtitle: 'text' },
  spec: ({ columns }, h) => {
    const panelWidth = Math.floor((TOTAL_WIDTH - 60) / columns) - 20;
    const { x, y } = scatterAxes(h, 4);
    return {
      title: { text: 'The same scatter, one panel per label', subtitle: h.subtitle },
      data: { name: 'points' },
      transform: clampTransform(h),
      facet: {
        field: 'label',
        type: 'nominal' as const,
        title: null,
        // Panels in the view's order (most frequent label first): each row carries its panel's position.
        sort: { field: 'panel', op: 'min' as const },
        header: { labelFontSize: 12, labelFontWeight: 600, labelLimit: panelWidth },
      },
      columns,
      spec: {
        width: panelWidth,
        height: Math.round(panelWidth * 0.75),
        mark: { type: 'circle' as const, size: 12, opacity: 0.5 },
        encoding: {
          x,
          y,
          color: sideColorEncoding({ opaqueSymbols: true }),
          tooltip: [
            { field: 'side', type: 'nominal' as const },
            { field: 'label', type: 'nominal' as const },
          ],
        },
      },
      resolve: { scale: { x: 'shared' as const, y: 'shared' as const } },
    } as TopLevelSpec;
  },
};
await prepareChartKind(byLabelKind);

export function scatterByLabelChart(
  scatter: ScatterView,
  explainedVarianceRatio: number[],
  renderer: 'svg' | 'canvas',
): ChartDefinition | null {
  const panels = scatter.labelPanels;
  if (panels.length < 2 || !(scatter.reference.label || scatter.target.label)) return null;
  // One block per side and label, the label and its panel position block constants: the panels cost their
  // coordinates only.
  const blocks = (s: ScatterView['reference'], name: string) =>
    panels.map((label, panel) => {
      const rows = s.label ? s.index.map((_, k) => k).filter((k) => (s.label as string[])[k] === label) : [];
      return {
        columns: { x: rows.map((k) => s.x[k]), y: rows.map((k) => s.y[k]) },
        constants: { side: name, label, panel },
      };
    });
  const more = scatter.nLabels > panels.length ? ` · the ${panels.length} most frequent of ${scatter.nLabels}` : '';
  const counts = (label: string) =>
    (scatter.reference.label?.filter((l) => l === label).length ?? 0) +
    (scatter.target.label?.filter((l) => l === label).length ?? 0);
  return defineChart(
    'pca-scatter-by-label',
    `PCA scatter faceted by label (${panels.join(', ')})`,
    byLabelKind,
    { columns: Math.min(3, panels.length) },
    {
      ...scatterAxisHoles(scatter, explainedVarianceRatio),
      xTitle: `PC${scatter.xComponent + 1}`,
      yTitle: `PC${scatter.yComponent + 1}`,
      subtitle: `plotted points per label: ${panels.map((l) => `${l} ${formatCount(counts(l))}`).join(', ')}${more}`,
    },
    {
      points: {
        blocks: [...blocks(scatter.reference, 'reference'), ...blocks(scatter.target, 'target')],
        interleave: true,
      },
    },
    renderer,
  );
}
