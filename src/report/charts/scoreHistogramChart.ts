/**
 * Domain-classifier scores: the out-of-fold probability that a sample is from the target, per side. Without a
 * shift both sides pile up around the target's share; with one they split towards 0 and 1.
 */
import type { ScoreHistogramView } from '../reportView.js';
import { formatCount } from '../format.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { type ChartKind, prepareChartKind } from './chartTemplates.js';
import type { DataBlock } from './chartData.js';
import { sideColorEncoding } from './theme.js';

type HistogramHoles = { subtitle: string; step: number };

const histogramKind: ChartKind<Record<string, never>, HistogramHoles> = {
  name: 'classifier-scores',
  shapes: [{}],
  holes: { subtitle: 'text', step: 'number' },
  spec: (_, h) => ({
    width: 640,
    height: 200,
    title: { text: 'Domain-classifier score', subtitle: h.subtitle },
    data: { name: 'bins' },
    mark: { type: 'bar' as const, opacity: 0.55, binSpacing: 0 },
    encoding: {
      x: {
        field: 'lo',
        type: 'quantitative' as const,
        bin: { binned: true, step: h.step },
        title: 'P(target) from the domain classifier',
        scale: { domain: [0, 1] },
        axis: { values: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], format: '.1f' },
      },
      x2: { field: 'hi' },
      y: {
        field: 'share',
        type: 'quantitative' as const,
        title: 'share of side',
        stack: null,
        axis: { format: '.0%' },
      },
      color: sideColorEncoding(),
      tooltip: [
        { field: 'side', type: 'nominal' as const },
        { field: 'lo', type: 'quantitative' as const, title: 'from', format: '.2f' },
        { field: 'hi', type: 'quantitative' as const, title: 'to', format: '.2f' },
        { field: 'count', type: 'quantitative' as const, title: 'samples' },
      ],
    },
  }),
};
await prepareChartKind(histogramKind);

export function scoreHistogramChart(h: ScoreHistogramView): ChartDefinition {
  const lower = h.binEdges.slice(0, -1);
  const upper = h.binEdges.slice(1);
  const block = (counts: number[] | null, n: number, side: string): DataBlock[] =>
    counts
      ? [
          {
            columns: { lo: lower, hi: upper, share: counts.map((c) => (n > 0 ? c / n : 0)), count: counts },
            constants: { side },
          },
        ]
      : [];
  return defineChart(
    'classifier-scores',
    'Histogram of domain-classifier probabilities per side',
    histogramKind,
    {},
    {
      subtitle: `out-of-fold P(target) · ${formatCount(h.nReference)} reference, ${formatCount(h.nTarget)} target samples`,
      step: h.binEdges[1] - h.binEdges[0],
    },
    { bins: { blocks: [...block(h.reference, h.nReference, 'reference'), ...block(h.target, h.nTarget, 'target')] } },
  );
}
