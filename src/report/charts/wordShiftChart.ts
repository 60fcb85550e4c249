/**
 * "What changed, in words": the terms most over- and under-represented in the target, as bars of their z-score
 * (log-odds ratio with an informative Dirichlet prior over its standard error), target colour to the right,
 * reference colour to the left.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { TermShift, WordShiftJson } from '../../result/resultTypes.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { type ChartKind, prepareChartKind } from './chartTemplates.js';
import { SIDE_COLORS } from './theme.js';

/** Terms per direction in the chart (the table lists more). */
export const WORD_CHART_TERMS = 12;
const MORE = 'more frequent in the target';
const LESS = 'less frequent in the target';

const wordShiftKind: ChartKind<Record<string, never>, Record<string, never>> = {
  name: 'word-shift',
  shapes: [{}],
  holes: {},
  spec: () =>
    ({
      width: 300,
      height: { step: 15 },
      title: {
        text: 'Words and bigrams that changed',
        subtitle: 'z of the log-odds ratio (informative Dirichlet prior) · hover for counts',
      },
      data: { name: 'terms' },
      mark: { type: 'bar' as const, height: { band: 0.75 } },
      encoding: {
        y: {
          field: 'term',
          type: 'nominal' as const,
          // The rows' order: most over-represented first, most under-represented last (terms are unique).
          sort: null,
          title: null,
          axis: { labelLimit: 170, labelFontSize: 11, ticks: false, domain: false },
        },
        x: { field: 'z', type: 'quantitative' as const, title: 'z (target vs reference)', axis: { tickCount: 5 } },
        color: {
          field: 'direction',
          type: 'nominal' as const,
          scale: { domain: [MORE, LESS], range: [SIDE_COLORS.target, SIDE_COLORS.reference] },
          legend: { title: null, orient: 'bottom' as const, direction: 'vertical' as const },
        },
        tooltip: [
          { field: 'term', type: 'nominal' as const },
          { field: 'kind', type: 'nominal' as const },
          { field: 'z', type: 'quantitative' as const, format: '.2f' },
          { field: 'logOddsRatio', type: 'quantitative' as const, format: '.2f', title: 'log-odds ratio' },
          { field: 'countReference', type: 'quantitative' as const, title: 'count (reference)' },
          { field: 'countTarget', type: 'quantitative' as const, title: 'count (target)' },
          { field: 'ratePer10kReference', type: 'quantitative' as const, format: '.1f', title: 'per 10k (reference)' },
          { field: 'ratePer10kTarget', type: 'quantitative' as const, format: '.1f', title: 'per 10k (target)' },
        ],
      },
    }) as TopLevelSpec,
};
await prepareChartKind(wordShiftKind);

export function wordShiftChart(words: WordShiftJson): ChartDefinition | null {
  const over = words.overRepresented.slice(0, WORD_CHART_TERMS);
  const under = words.underRepresented.slice(0, WORD_CHART_TERMS);
  if (over.length + under.length === 0) return null;
  const rows = [...over, ...under.slice().reverse()];
  const column = <K extends keyof TermShift>(k: K) => rows.map((t) => t[k]);
  return defineChart(
    'word-shift',
    'Words and bigrams over- and under-represented in the target, by z-score',
    wordShiftKind,
    {},
    {},
    {
      terms: {
        blocks: [
          {
            columns: {
              term: column('term'),
              kind: column('kind'),
              z: column('z').map((z) => Number(z.toFixed(3))),
              logOddsRatio: column('logOddsRatio').map((v) => Number(v.toFixed(3))),
              countReference: column('countReference'),
              countTarget: column('countTarget'),
              ratePer10kReference: column('ratePer10kReference').map((v) => Number(v.toFixed(2))),
              ratePer10kTarget: column('ratePer10kTarget').map((v) => Number(v.toFixed(2))),
              direction: rows.map((t) => (t.z > 0 ? MORE : LESS)),
            },
          },
        ],
      },
    },
  );
}
