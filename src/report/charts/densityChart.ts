/**
 * The paper's KDE view: reference and target densities of one principal component, overlaid, with a legend.
 * Where outliers would stretch the x axis, it ends at the 1st/99th percentile of both sides' scores (the view's
 * lo…hi) and the samples beyond are marked by triangles at that edge (hover for how many).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { DensityView } from '../reportView.js';
import { formatCount, formatNumber, formatPercent } from '../format.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { type ChartKind, prepareChartKind, shapesOf } from './chartTemplates.js';
import { SIDE_DOMAIN, SIDE_RANGE } from './theme.js';

export const DENSITY_WIDTH = 250;
export const DENSITY_HEIGHT = 130;

interface EdgeMark {
  x: number;
  side: string;
  count: number;
  shape: string;
  where: string;
  /** Pixels from the top: the two sides' markers one above the other. */
  py: number;
}

function edgeMarks(d: DensityView): EdgeMark[] {
  const marks: EdgeMark[] = [];
  (['reference', 'target'] as const).forEach((side, k) => {
    // Near the baseline, where a density's far tail lies.
    const py = DENSITY_HEIGHT - 8 - 12 * k;
    if (d.below[side] > 0)
      marks.push({
        x: d.lo,
        side,
        count: d.below[side],
        shape: 'triangle-left',
        where: `below ${formatNumber(d.lo)}`,
        py,
      });
    if (d.above[side] > 0)
      marks.push({
        x: d.hi,
        side,
        count: d.above[side],
        shape: 'triangle-right',
        where: `above ${formatNumber(d.hi)}`,
        py,
      });
  });
  return marks;
}

type DensityShape = { edges: boolean };
type DensityHoles = { title: string; subtitle: string[]; xTitle: string; lo: number; hi: number };

const densityKind: ChartKind<DensityShape, DensityHoles> = {
  name: 'density',
  shapes: shapesOf<DensityShape>({ edges: [false, true] }),
  holes: { title: 'text', subtitle: 'json', xTitle: 'text', lo: 'number', hi: 'number' },
  spec: ({ edges }, h) => {
    const x = {
      field: 'x',
      type: 'quantitative' as const,
      title: h.xTitle,
      scale: { domain: [h.lo, h.hi], zero: false, nice: false },
      axis: { labelFlush: true, tickCount: 5 },
    };
    const color = {
      field: 'side',
      type: 'nominal' as const,
      scale: { domain: SIDE_DOMAIN, range: SIDE_RANGE },
      legend: {
        title: null,
        orient: 'top' as const,
        direction: 'horizontal' as const,
        symbolType: 'square',
        labelFontSize: 10,
        symbolSize: 60,
        offset: 4,
      },
    };
    const encoding = {
      x,
      y: { field: 'density', type: 'quantitative' as const, title: 'density', stack: null, axis: { tickCount: 3 } },
      color,
    };
    const layer: object[] = [
      { data: { name: 'curves' }, mark: { type: 'area' as const, opacity: 0.28 }, encoding },
      {
        data: { name: 'curves' },
        mark: { type: 'line' as const, strokeWidth: 1.6 },
        encoding: { ...encoding, color: { ...color, legend: null } },
      },
    ];
    if (edges) {
      layer.push({
        data: { name: 'edges' },
        mark: { type: 'point' as const, filled: true, size: 55, opacity: 0.95 },
        encoding: {
          x: { field: 'x', type: 'quantitative' as const },
          y: { field: 'py', type: 'quantitative' as const, scale: null },
          shape: { field: 'shape', type: 'nominal' as const, scale: null },
          color: { ...color, legend: null },
          tooltip: [
            { field: 'side', type: 'nominal' as const },
            { field: 'count', type: 'quantitative' as const, title: 'samples' },
            { field: 'where', type: 'nominal' as const, title: 'lie' },
          ],
        },
      });
    }
    // Two short subtitle lines rather than one long one: the title must not be wider than the plot.
    return {
      width: DENSITY_WIDTH,
      height: DENSITY_HEIGHT,
      title: { text: h.title, subtitle: h.subtitle },
      layer,
    } as TopLevelSpec;
  },
};
await prepareChartKind(densityKind);

export function densityChart(density: DensityView, explainedVarianceRatio: number | undefined): ChartDefinition {
  const pc = `PC${density.index + 1}`;
  const variance =
    explainedVarianceRatio !== undefined ? ` · ${formatPercent(explainedVarianceRatio)} of variance` : '';
  const marks = edgeMarks(density);
  const beyond = marks.reduce((n, m) => n + m.count, 0);
  return defineChart(
    `density-pc${density.index + 1}`,
    `${pc} density of reference and target (overlap ${formatNumber(density.overlap, 3)})`,
    densityKind,
    { edges: marks.length > 0 },
    {
      title: `${pc}${variance}`,
      subtitle: [
        `overlap ${formatNumber(density.overlap, 3)} · JS divergence ${formatNumber(density.jsDivergence, 2)}`,
        ...(beyond > 0 ? [`◂ ▸ ${formatCount(beyond)} outlying samples beyond the axis`] : []),
      ],
      xTitle: `${pc} score`,
      lo: density.lo,
      hi: density.hi,
    },
    {
      curves: {
        blocks: [
          { columns: { x: density.grid, density: density.reference }, constants: { side: 'reference' } },
          { columns: { x: density.grid, density: density.target }, constants: { side: 'target' } },
        ],
      },
      ...(marks.length ? { edges: { blocks: [{ columns: columnsOf(marks) }] } } : {}),
    },
  );
}

function columnsOf(rows: EdgeMark[]): Record<string, (number | string)[]> {
  const out: Record<string, (number | string)[]> = {};
  for (const row of rows) for (const [k, v] of Object.entries(row)) (out[k] ??= []).push(v as number | string);
  return out;
}
