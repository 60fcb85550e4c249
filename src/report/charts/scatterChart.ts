/** PCA scatter (PC1 × PC2) of both sides, coloured by side; hover shows the text; the most shifted target samples outlined. */
import type { ScatterView } from '../reportView.js';
import { formatPercent } from '../format.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { INK, SIDE_COLORS, SIDE_DOMAIN, SIDE_RANGE } from './theme.js';

export function scatterChart(
  scatter: ScatterView,
  explainedVarianceRatio: number[],
  renderer: 'svg' | 'canvas',
): ChartDefinition {
  const axisTitle = (c: number) =>
    explainedVarianceRatio[c] !== undefined
      ? `PC${c + 1} (${formatPercent(explainedVarianceRatio[c])} of variance)`
      : `PC${c + 1}`;
  const side = (s: ScatterView['reference'], name: string) => ({
    columns: { x: s.x, y: s.y, sample: s.index, ...(s.text ? { text: s.text } : {}) },
    constants: { side: name },
  });
  const hasText = Boolean(scatter.reference.text || scatter.target.text);
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: axisTitle(scatter.xComponent),
    scale: { zero: false, nice: false },
    axis: { tickCount: 8 },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: axisTitle(scatter.yComponent),
    scale: { zero: false, nice: false },
    axis: { tickCount: 8 },
  };
  const spec = {
    width: 640,
    height: 420,
    title: {
      text: `Reference and target on PC${scatter.xComponent + 1} × PC${scatter.yComponent + 1}`,
      subtitle: scatter.highlighted.length ? 'outlined: the most shifted target samples' : '',
    },
    layer: [
      {
        data: { name: 'points' },
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
            { field: 'sample', type: 'quantitative' as const, title: 'sample #' },
          ],
        },
      },
      {
        data: { name: 'highlighted' },
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
            { field: 'sample', type: 'quantitative' as const, title: 'target sample #' },
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
            },
          },
        ],
      },
    },
    renderer,
  );
}
