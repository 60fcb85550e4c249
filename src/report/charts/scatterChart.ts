/**
 * PCA scatter (PC1 × PC2) of both sides, coloured by side; hover shows the text, label and id; the most shifted
 * target samples outlined. Where outliers would squash the cloud, an axis ends near the 0.5th or 99.5th percentile
 * of the plotted points and the points beyond are drawn clamped onto its edge (counted in the subtitle).
 */
import type { ScatterView } from '../reportView.js';
import { formatCount, formatPercent } from '../format.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { type ChartKind, prepareChartKind, shapesOf } from './chartTemplates.js';
import { INK, SIDE_COLORS, sideColorEncoding } from './theme.js';

export const SCATTER_WIDTH = 560;
export const SCATTER_HEIGHT = 400;

export function axisTitle(explainedVarianceRatio: number[], c: number): string {
  return explainedVarianceRatio[c] !== undefined
    ? `PC${c + 1} (${formatPercent(explainedVarianceRatio[c])} of variance)`
    : `PC${c + 1}`;
}

/** The axes' titles and robust ranges: holes of the scatter kinds. */
export type ScatterAxisHoles = {
  xTitle: string;
  yTitle: string;
  xLo: number;
  xHi: number;
  yLo: number;
  yHi: number;
};

export const SCATTER_AXIS_HOLES = {
  xTitle: 'text',
  yTitle: 'text',
  xLo: 'number',
  xHi: 'number',
  yLo: 'number',
  yHi: 'number',
} as const;

export function scatterAxisHoles(scatter: ScatterView, explainedVarianceRatio: number[]): ScatterAxisHoles {
  return {
    xTitle: axisTitle(explainedVarianceRatio, scatter.xComponent),
    yTitle: axisTitle(explainedVarianceRatio, scatter.yComponent),
    xLo: scatter.xRange.lo,
    xHi: scatter.xRange.hi,
    yLo: scatter.yRange.lo,
    yHi: scatter.yRange.hi,
  };
}

/**
 * Position channels on the view's robust ranges: the coordinates clamped into the range (fields cx, cy, made by
 * `clampTransform`), and the scale padded by a few pixels so points on the edge are drawn whole.
 */
export function scatterAxes(h: ScatterAxisHoles, tickCount = 8) {
  const channel = (field: 'cx' | 'cy', title: string, lo: number, hi: number) => ({
    field,
    type: 'quantitative' as const,
    title,
    scale: { domain: [lo, hi], nice: false, zero: false, padding: 6 },
    axis: { tickCount },
  });
  return {
    x: channel('cx', h.xTitle, h.xLo, h.xHi),
    y: channel('cy', h.yTitle, h.yLo, h.yHi),
  };
}

export function clampTransform(h: ScatterAxisHoles) {
  return [
    { calculate: `clamp(datum.x, ${h.xLo}, ${h.xHi})`, as: 'cx' },
    { calculate: `clamp(datum.y, ${h.yLo}, ${h.yHi})`, as: 'cy' },
  ];
}

export function outsideNote(scatter: ScatterView): string {
  const n = scatter.xRange.nOutside + scatter.yRange.nOutside;
  return n > 0 ? `${formatCount(n)} outlying coordinates drawn on the edge` : '';
}

type ScatterShape = { hasText: boolean; hasLabel: boolean; hasId: boolean };
type ScatterHoles = ScatterAxisHoles & { title: string; subtitle: string };

const scatterKind: ChartKind<ScatterShape, ScatterHoles> = {
  name: 'pca-scatter',
  shapes: shapesOf<ScatterShape>({ hasText: [false, true], hasLabel: [false, true], hasId: [false, true] }),
  holes: { ...SCATTER_AXIS_HOLES, title: 'text', subtitle: 'text' },
  spec: ({ hasText, hasLabel, hasId }, h) => {
    const { x, y } = scatterAxes(h);
    const who = [
      ...(hasLabel ? [{ field: 'label', type: 'nominal' as const, title: 'label' }] : []),
      ...(hasId ? [{ field: 'id', type: 'nominal' as const, title: 'id' }] : []),
    ];
    return {
      width: SCATTER_WIDTH,
      height: SCATTER_HEIGHT,
      title: { text: h.title, subtitle: h.subtitle },
      layer: [
        {
          data: { name: 'points' },
          transform: clampTransform(h),
          mark: { type: 'circle' as const, size: 16, opacity: 0.5 },
          encoding: {
            x,
            y,
            color: sideColorEncoding({ opaqueSymbols: true }),
            tooltip: [
              ...(hasText ? [{ field: 'text', type: 'nominal' as const, title: 'text' }] : []),
              { field: 'side', type: 'nominal' as const, title: 'side' },
              ...who,
              ...(hasId ? [] : [{ field: 'sample', type: 'quantitative' as const, title: 'sample #' }]),
            ],
          },
        },
        {
          data: { name: 'highlighted' },
          transform: clampTransform(h),
          // Filled in the target colour: an outlined sample may not be among the subsampled points drawn beneath.
          mark: {
            type: 'point' as const,
            shape: 'circle',
            size: 70,
            filled: true,
            fill: SIDE_COLORS.target,
            stroke: INK,
            strokeWidth: 1.5,
            opacity: 1,
          },
          encoding: {
            x,
            y,
            tooltip: [
              { field: 'rank', type: 'quantitative' as const, title: 'shift rank' },
              ...(hasText ? [{ field: 'text', type: 'nominal' as const, title: 'text' }] : []),
              ...who,
              ...(hasId ? [] : [{ field: 'sample', type: 'quantitative' as const, title: 'target sample #' }]),
            ],
          },
        },
      ],
    };
  },
};
await prepareChartKind(scatterKind);

export function scatterChart(
  scatter: ScatterView,
  explainedVarianceRatio: number[],
  renderer: 'svg' | 'canvas',
): ChartDefinition {
  const side = (s: ScatterView['reference'], name: string) => ({
    columns: {
      x: s.x,
      y: s.y,
      sample: s.index,
      ...(s.text ? { text: s.text } : {}),
      ...(s.label ? { label: s.label } : {}),
      ...(s.id ? { id: s.id } : {}),
    },
    constants: { side: name },
  });
  const hasText = Boolean(scatter.reference.text || scatter.target.text);
  const hasLabel = Boolean(scatter.reference.label || scatter.target.label);
  const hasId = Boolean(scatter.reference.id || scatter.target.id);
  const subtitle = [scatter.highlighted.length ? 'outlined: the most shifted target samples' : '', outsideNote(scatter)]
    .filter(Boolean)
    .join(' · ');
  const h = scatter.highlighted;
  return defineChart(
    'pca-scatter',
    `PCA scatter of PC${scatter.xComponent + 1} × PC${scatter.yComponent + 1}, reference and target`,
    scatterKind,
    { hasText, hasLabel, hasId },
    {
      ...scatterAxisHoles(scatter, explainedVarianceRatio),
      title: `Reference and target on PC${scatter.xComponent + 1} × PC${scatter.yComponent + 1}`,
      subtitle,
    },
    {
      points: { blocks: [side(scatter.reference, 'reference'), side(scatter.target, 'target')], interleave: true },
      highlighted: {
        blocks: [
          {
            columns: {
              x: h.map((p) => p.x),
              y: h.map((p) => p.y),
              rank: h.map((p) => p.rank),
              sample: h.map((p) => p.index),
              ...(hasText ? { text: h.map((p) => p.text) } : {}),
              ...(hasLabel ? { label: h.map((p) => p.label) } : {}),
              ...(hasId ? { id: h.map((p) => p.id) } : {}),
            },
          },
        ],
      },
    },
    renderer,
  );
}
