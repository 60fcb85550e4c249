import { describe, expect, it } from 'vitest';
import { createMatrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { buildReportView, type ReportViewInput } from '../../src/report/reportView.js';
import { scatterByLabelChart } from '../../src/report/charts/scatterByLabelChart.js';
import { datasetRows } from '../../src/report/charts/chartData.js';

function input(n: number, labelOf: (i: number) => string, idOf: (i: number) => string): ReportViewInput {
  const side = (offset: number) => {
    const m = createMatrix(n, 2);
    for (let i = 0; i < n; i++) {
      m.data[i * 2] = offset + i; // x identifies the row
      m.data[i * 2 + 1] = i % 7;
    }
    return {
      projection: m,
      texts: null,
      classifierProbability: null,
      labels: Array.from({ length: n }, (_, i) => labelOf(i)),
      ids: Array.from({ length: n }, (_, i) => idOf(i)),
    };
  };
  return {
    reference: side(0),
    target: side(10_000),
    components: [],
    highlightTargetIndices: [3],
    rng: createRng(2),
    limits: { scatterPointsPerSide: 500, labelPanels: 3 },
  };
}

describe('labels and ids in the report view', () => {
  it('carries each plotted point’s own label and id (cut from the start), and the highlighted sample’s', () => {
    const view = buildReportView(
      input(
        2000,
        (i) => `class-${i % 5}`,
        (i) => `${'x'.repeat(60)}/row-${i}`,
      ),
    );
    const s = view.scatter!;
    expect(s.reference.index).toHaveLength(500);
    s.reference.index.forEach((row, k) => {
      expect(s.reference.x[k]).toBe(row);
      expect(s.reference.label?.[k]).toBe(`class-${row % 5}`);
      expect(s.reference.id?.[k]).toMatch(new RegExp(`^…x+/row-${row}$`));
      expect(Array.from(s.reference.id?.[k] ?? '')).toHaveLength(48);
    });
    expect(s.highlighted[0]).toMatchObject({ index: 3, label: 'class-3' });
    expect(s.highlighted[0].id).toMatch(/\/row-3$/);
  });

  it('facets by the most frequent labels (ties by name), at most labelPanels, none for a single label', () => {
    // class-0 on 40% of rows, class-1..3 20% each: panels class-0, then class-1, class-2 (class-3 left out).
    const labelOf = (i: number) => (i % 5 < 2 ? 'class-0' : `class-${(i % 5) - 1}`);
    const view = buildReportView(input(1000, labelOf, (i) => `r${i}`));
    expect(view.scatter?.labelPanels).toEqual(['class-0', 'class-1', 'class-2']);
    expect(view.scatter?.nLabels).toBe(4);
    const chart = scatterByLabelChart(view.scatter!, [0.3, 0.2], 'svg')!;
    const rows = datasetRows(chart.datasets.points);
    // Every plotted point of a shown label, in its own panel, and none of the label left out.
    const kept = (labels: string[] | null) => (labels ?? []).filter((l) => l !== 'class-3').length;
    const shown = kept(view.scatter!.reference.label) + kept(view.scatter!.target.label);
    expect(rows).toHaveLength(shown);
    expect(new Set(rows.map((r) => r.label))).toEqual(new Set(['class-0', 'class-1', 'class-2']));
    const single = buildReportView(
      input(
        300,
        () => 'same',
        (i) => `r${i}`,
      ),
    );
    expect(single.scatter?.labelPanels).toEqual([]);
    expect(scatterByLabelChart(single.scatter!, [0.3, 0.2], 'svg')).toBeNull();
  });

  it('rejects labels or ids that do not align with the projected rows', () => {
    const bad = input(
      100,
      () => 'a',
      (i) => `r${i}`,
    );
    bad.target.labels = ['a'];
    expect(() => buildReportView(bad)).toThrow(/1 labels for 100 samples/);
    const badIds = input(
      100,
      () => 'a',
      (i) => `r${i}`,
    );
    badIds.reference.ids = [];
    expect(() => buildReportView(badIds)).toThrow(/0 ids for 100 samples/);
  });
});
