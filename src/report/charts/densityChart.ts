/** The paper's KDE view: reference and target densities of one principal component, overlaid. */
import type { DensityView } from '../reportView.js';
import { formatNumber, formatPercent } from '../format.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { SIDE_DOMAIN, SIDE_RANGE } from './theme.js';

export function densityChart(density: DensityView, explainedVarianceRatio: number | undefined): ChartDefinition {
  const pc = `PC${density.index + 1}`;
  const variance =
    explainedVarianceRatio !== undefined ? ` · ${formatPercent(explainedVarianceRatio)} of variance` : '';
  const encoding = {
    x: {
      field: 'x',
      type: 'quantitative' as const,
      title: `${pc} score`,
      scale: { zero: false, nice: false },
      axis: { labelFlush: true },
    },
    y: { field: 'density', type: 'quantitative' as const, title: 'density', stack: null, axis: { tickCount: 3 } },
    color: { field: 'side', type: 'nominal' as const, scale: { domain: SIDE_DOMAIN, range: SIDE_RANGE }, legend: null },
  };
  const spec = {
    width: 280,
    height: 130,
    title: {
      text: `${pc}${variance}`,
      subtitle: `overlap ${formatNumber(density.overlap, 3)} · JS divergence ${formatNumber(density.jsDivergence, 2)}`,
    },
    data: { name: 'curves' },
    layer: [
      { mark: { type: 'area' as const, opacity: 0.28 }, encoding },
      { mark: { type: 'line' as const, strokeWidth: 1.6 }, encoding },
    ],
  };
  return defineChart(
    `density-pc${density.index + 1}`,
    `${pc} density of reference and target (overlap ${formatNumber(density.overlap, 3)})`,
    spec,
    {
      curves: {
        blocks: [
          { columns: { x: density.grid, density: density.reference }, constants: { side: 'reference' } },
          { columns: { x: density.grid, density: density.target }, constants: { side: 'target' } },
        ],
      },
    },
  );
}
