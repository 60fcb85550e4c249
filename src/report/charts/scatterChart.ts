/**
 * PCA scatter (PC1 × PC2) of both sides, coloured by side; hover shows the text, label and id; the most shifted
 * target samples outlined. Where outliers would squash the cloud, an axis ends near the 0.5th or 99.5th percentile
 * of the plotted points and the points beyond are drawn clamped onto its edge (counted in the subtitle).
 */
import type { ScatterView } from '../reportView.js';
import { formatCount, formatPercent } from '../format.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { INK, SIDE_COLORS, SIDE_DOMAIN, SIDE_RANGE } from './theme.js';

export const SCATTER_WIDTH = 560;
export const SCATTER_HEIGHT = 400;

export function axisTitle(explainedVarianceRatio: number[], c: number): string {
  return explainedVarianceRatio[c] !== undefined
    ? `PC${c + 1} (${formatPercent(explainedVarianceRatio[c])} of variance)`
    : `PC${c + 1}`;
}

/**
 * Position channels on the view's robust ranges: the coordinates clamped into the range (fields cx, cy, made by
 * `clampTransform`), and the scale padded by a few pixels so points on the edge are drawn whole.
 */
export function scatterAxes(scatter: ScatterView, explainedVarianceRatio: number[], tickCount = 8) {
  const channel = (field: 'cx' | 'cy', c: number, range: ScatterView['xRange']) => ({
    field,
    type: 'quantitative' as const,
    title: axisTitle(explainedVarianceRatio, c),
    scale: { domain: [range.lo, range.hi], nice: false, zero: false, padding: 6 },
    axis: { tickCount },
  });
  return {
    x: channel('cx', scatter.xComponent, scatter.xRange),
    y: channel('cy', scatter.yComponent, scatter.yRange),
  };
}

export function clampTransform(scatter: ScatterView) {
  const { xRange: x, yRange: y } = scatter;
  return [
    { calculate: `clamp(datum.x, ${x.lo}, ${x.hi})`, as: 'cx' },
    { calculate: `clamp(datum.y, ${y.lo}, ${y.hi})`, as: 'cy' },
  ];
}

export function outsideNote(scatter: ScatterView): string {
  const n = scatter.xRange.nOutside + scatter.yRange.nOutside;
  return n > 0 ? `${formatCount(n)} outlying coordinates drawn on the edge` : '';
}

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
  const { x, y } = scatterAxes(scatter, explainedVarianceRatio);
  const who = [
    ...(hasLabel ? [{ field: 'label', type: 'nominal' as const, title: 'label' }] : []),
    ...(hasId ? [{ field: 'id', type: 'nominal' as const, title: 'id' }] : []),
  ];
  const subtitle = [scatter.highlighted.length ? 'outlined: the most shifted target samples' : '', outsideNote(scatter)]
    .filter(Boolean)
    .join(' · ');
  const spec = {
    width: SCATTER_WIDTH,
    height: SCATTER_HEIGHT,
    title: {
      text: `Reference and target on PC${scatter.xComponent + 1} × PC${scatter.yComponent + 1}`,
      subtitle,
    },
    layer: [
      {
        data: { name: 'points' },
        transform: clampTransform(scatter),
        mark: { type: 'circle' as const, size: 16, opacity: 0.5 },
        encoding: {
          x,
          y,
          color: {
            field: 'side',
            type: 'nominal' as const,
            scale: { domain: SIDE_DOMAIN, range: SIDE_RANGE },
            legend: { title: null, orient: 'top' as const, direction: 'horizontal' as const, symbolOpacity: 1 },
          },
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
        transform: clampTransform(scatter),
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
  const h = scatter.highlighted;
  return defineChart(
    'pca-scatter',
    `PCA scatter of PC${scatter.xComponent + 1} × PC${scatter.yComponent + 1}, reference and target`,
    spec,
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
