/**
 * The charts' Vega specs come from templates compiled once (at build time) with sentinels in the holes, filled
 * per run: each filled template must equal Vega-Lite's own compile of the real spec, for every chart of real
 * report inputs, and the orders the specs now take from their rows must be the orders drawn.
 */
import { describe, expect, it } from 'vitest';
import type { MonitorResult, WindowResult } from '../../src/monitor/monitorSchema.js';
import type { ChartDefinition } from '../../src/report/charts/chartDefinition.js';
import {
  compileVegaLite,
  fillTemplate,
  preparedTemplates,
  shapesOf,
  type ChartKind,
} from '../../src/report/charts/chartTemplates.js';
import { allCharts, buildReportCharts } from '../../src/report/charts/reportCharts.js';
import { chartToSvg } from '../../src/report/charts/renderSvg.js';
import { scatterByLabelChart } from '../../src/report/charts/scatterByLabelChart.js';
import { buildMonitorCharts } from '../../src/report/monitor/monitorCharts.js';
import { buildFixture } from './fixtures.js';

/** Each chart's filled spec against Vega-Lite's compile of the spec with the run's values written in. */
async function expectEqualToDirectCompile(charts: ChartDefinition[]): Promise<void> {
  for (const chart of charts) {
    const { kind, shape, holes } = chart.source;
    const direct = await compileVegaLite(kind.spec(shape, holes));
    expect({ id: chart.id, vega: chart.vega }).toEqual({ id: chart.id, vega: direct });
  }
}

function labelsFacetedThree() {
  const f = buildFixture({ nReference: 400, nTarget: 400 });
  const s = f.view.scatter!;
  const classes = ['gamma', 'alpha', 'beta', 'delta'];
  s.reference.label = s.reference.x.map((_, i) => classes[i % 4]);
  s.target.label = s.target.x.map((_, i) => classes[(i * 7) % 4]);
  s.labelPanels = ['gamma', 'alpha', 'beta'];
  s.nLabels = 4;
  return s;
}

function monitorInput(kind: 'time' | 'rows'): { result: MonitorResult; timeline: WindowResult[] } {
  const windows = [0.4, 0.03, 1e-5, 0.2].map((p, i) => ({
    label: kind === 'time' ? `2024-03-0${i + 1}` : `rows ${i * 50 + 1}–${i * 50 + 50}`,
    start: kind === 'time' ? `2024-03-0${i + 1}T00:00:00.000Z` : null,
    n: 50,
    status: 'tested',
    combinedPValue: p,
    adjustedPValue: Math.min(1, p * 5),
    alarm: p * 5 <= 0.05,
    verdict: p * 5 <= 0.05 ? 'alarm' : p <= 0.05 ? 'watch' : 'no-shift',
    tests: ['mmd', 'centroid'].map((name, k) => ({
      name,
      effectSize: 0.1 * (i + 1) + k,
      effectSizeName: `${name} effect`,
      statistic: 0.01 * (i + 1) + k,
    })),
  }));
  const result = {
    window: { kind, spec: kind === 'time' ? '1d' : '50' },
    alarmRule: { perWindowAlpha: 0.01, alpha: 0.05 },
  } as unknown as MonitorResult;
  return { result, timeline: windows as unknown as WindowResult[] };
}

describe('chart templates', () => {
  it('fill to what Vega-Lite compiles from the real specs: every chart of the report fixtures', async () => {
    const inputs = [
      buildFixture({ nReference: 300, nTarget: 300, hostile: true, lengthShift: true }),
      buildFixture({ nReference: 200, nTarget: 200, shift: 0, withProbe: false, withTexts: false }),
      buildFixture({ nReference: 3000, nTarget: 2000 }),
    ];
    const charts = inputs.flatMap((f) => allCharts(buildReportCharts(f.result, f.view)));
    // Every compare kind appears: scatter (with and without texts), facets, densities, classifier, probe, words.
    expect(new Set(charts.map((c) => c.source.kind.name))).toEqual(
      new Set([
        'pca-scatter',
        'pca-scatter-by-label',
        'density',
        'classifier-scores',
        'probe-accuracy',
        'label-efficiency',
        'confusion',
        'word-shift',
      ]),
    );
    expect(new Set(charts.filter((c) => c.id === 'pca-scatter').map((c) => JSON.stringify(c.source.shape))).size).toBe(
      2,
    );
    await expectEqualToDirectCompile(charts);
    await expectEqualToDirectCompile([scatterByLabelChart(labelsFacetedThree(), [0.4, 0.2], 'svg')!]);
  });

  it('fill to what Vega-Lite compiles for the monitor charts, on a time axis and on a row axis', async () => {
    for (const kind of ['time', 'rows'] as const) {
      const { result, timeline } = monitorInput(kind);
      const charts = buildMonitorCharts(result, timeline);
      expect(charts.map((c) => c.id)).toEqual(['monitor-pvalues', 'monitor-effects', 'monitor-statistics']);
      await expectEqualToDirectCompile(charts);
    }
  });

  it('escape text holes inside Vega expressions and refuse a hole Vega-Lite moved out of reach', async () => {
    type Shape = { tipped: boolean };
    const kind: ChartKind<Shape, { tip: string; lo: number; list: string[] }> = {
      name: 'test-kind',
      shapes: shapesOf<Shape>({ tipped: [true] }),
      holes: { tip: 'text', lo: 'number', list: 'json' },
      spec: (_, h) => ({
        data: { name: 'd' },
        mark: 'point',
        transform: [{ calculate: `max(datum.v, ${h.lo})`, as: 'w' }],
        encoding: {
          x: { field: 'w', type: 'quantitative', title: h.tip },
          tooltip: [{ field: 'v', type: 'quantitative', title: h.tip }],
        },
      }),
    };
    const holes = { tip: 'a "quoted" tip', lo: -0.125, list: ['x'] };
    const sentinel = (name: string) => `__slhole_${name}__`;
    const template = await compileVegaLite(
      kind.spec({ tipped: true }, { tip: sentinel('tip'), lo: 964506.1728515625, list: [] }),
    );
    const filled = fillTemplate(template, kind, holes);
    expect(filled).toEqual(await compileVegaLite(kind.spec({ tipped: true }, holes)));
    expect(JSON.stringify(filled)).toContain('max(datum.v, -0.125)');
    // A json hole inside a string cannot be filled.
    const moved = JSON.parse(JSON.stringify(template).replace('max(datum.v', `${sentinel('list')}(datum.v`));
    expect(() => fillTemplate(moved, kind, holes)).toThrow(/moved a hole/);
  });

  it('draw the rows in their order where the specs sort by them: terms, confusion classes, facet panels', async () => {
    const f = buildFixture({ nReference: 300, nTarget: 300 });
    const charts = buildReportCharts(f.result, f.view, { scatterRenderer: 'svg' });
    const words = charts.wordShift!;
    const terms = words.datasets.terms.blocks[0].columns.term as string[];
    const axisLabels = (svg: string) =>
      [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    const wordLabels = axisLabels(await chartToSvg(words)).filter((t) => terms.includes(t));
    expect(wordLabels).toEqual(terms);

    const confusion = charts.confusion!;
    const classes = f.result.probe!.transfer!.confusion!.classes;
    const cmLabels = axisLabels(await chartToSvg(confusion)).filter((t) => classes.includes(t));
    // Predicted along x, then true along y, both in the matrix's class order.
    expect(cmLabels).toEqual([...classes, ...classes]);

    const faceted = scatterByLabelChart(labelsFacetedThree(), [0.4, 0.2], 'svg')!;
    const headers = axisLabels(await chartToSvg(faceted)).filter((t) => ['alpha', 'beta', 'gamma'].includes(t));
    expect(headers).toEqual(['gamma', 'alpha', 'beta']);
  });

  it('key every shape of every kind the report modules prepare', () => {
    const { templates, vegaLiteVersion } = preparedTemplates();
    expect(vegaLiteVersion).toMatch(/^\d+\.\d+\.\d+/);
    // 8 scatter, 2 facet, 2 density, 1 classifier, 6 probe accuracy, 2 label efficiency, 1 confusion, 1 words,
    // 2 × 3 monitor.
    expect(Object.keys(templates).length).toBeGreaterThanOrEqual(29);
  });
});
