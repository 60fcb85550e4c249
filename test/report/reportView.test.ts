import { describe, expect, it } from 'vitest';
import { createMatrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { buildReportView, type ReportViewInput } from '../../src/report/reportView.js';
import { resampleCurves } from '../../src/report/view/densityResample.js';
import { clipTextsToBudget } from '../../src/report/view/hoverTexts.js';
import { histogramUnit } from '../../src/report/view/scoreHistogram.js';
import { datasetRows } from '../../src/report/charts/chartData.js';
import { clipText } from '../../src/report/format.js';
import { jsonStringBytes } from '../../src/report/html/jsonScript.js';
import { buildFixture } from './fixtures.js';

function tinyInput(nRef: number, nTgt: number, seed = 1): ReportViewInput {
  const rng = createRng(99);
  const projection = (n: number, offset: number) => {
    const m = createMatrix(n, 2);
    for (let i = 0; i < n; i++) {
      m.data[i * 2] = offset + i; // row i has x = offset + i: lets the test map points back to rows
      m.data[i * 2 + 1] = rng.normal();
    }
    return m;
  };
  return {
    reference: {
      projection: projection(nRef, 0),
      texts: Array.from({ length: nRef }, (_, i) => `ref ${i}`),
      classifierProbability: null,
    },
    target: {
      projection: projection(nTgt, 100000),
      texts: Array.from({ length: nTgt }, (_, i) => `tgt ${i}`),
      classifierProbability: null,
    },
    components: [],
    rng: createRng(seed),
    limits: { scatterPointsPerSide: 300 },
  };
}

describe('buildReportView', () => {
  it('subsamples the scatter to the limit, keeps rows aligned with their texts and coordinates, and states it', () => {
    const view = buildReportView(tinyInput(5000, 200));
    const s = view.scatter!;
    expect(s.reference.index).toHaveLength(300);
    expect(s.reference.nTotal).toBe(5000);
    expect(new Set(s.reference.index).size).toBe(300);
    // Ascending, in range, and each plotted point is the row it claims to be.
    for (let k = 0; k < 300; k++) {
      const i = s.reference.index[k];
      if (k > 0) expect(i).toBeGreaterThan(s.reference.index[k - 1]);
      expect(s.reference.x[k]).toBe(i);
      expect(s.reference.text![k]).toBe(`ref ${i}`);
    }
    // The smaller side is shown whole.
    expect(s.target.index).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(view.subsampling.statement).toContain('300 of 5,000');
    expect(view.subsampling.statement).toContain('all 200 target');
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = buildReportView(tinyInput(5000, 10, 3)).scatter!.reference.index;
    const b = buildReportView(tinyInput(5000, 10, 3)).scatter!.reference.index;
    const c = buildReportView(tinyInput(5000, 10, 4)).scatter!.reference.index;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('caps hover texts by characters and by the byte budget', () => {
    const input = tinyInput(1000, 1000);
    input.reference.texts = input.reference.texts!.map((t) => `${t} ${'é'.repeat(500)}`);
    input.limits = { scatterPointsPerSide: 1000, textChars: 200, textBytes: 200_000 };
    const view = buildReportView(input);
    const texts = [...view.scatter!.reference.text!, ...view.scatter!.target.text!];
    const bytes = texts.reduce((sum, t) => sum + jsonStringBytes(t), 0);
    expect(bytes).toBeLessThanOrEqual(200_000);
    expect(view.subsampling.textChars).toBeLessThan(200);
    expect(view.subsampling.textChars).toBeGreaterThanOrEqual(40);
    expect(Math.max(...texts.map((t) => Array.from(t).length))).toBeLessThanOrEqual(view.subsampling.textChars);
    // Short texts are untouched.
    expect(view.scatter!.target.text![5]).toBe('tgt 5');
  });

  it('resamples densities to at most 256 points and bins every classifier score', () => {
    const f = buildFixture({ nReference: 3000, nTarget: 2000, components: 3 });
    expect(f.view.densities).toHaveLength(3);
    for (const d of f.view.densities) {
      expect(d.grid.length).toBeLessThanOrEqual(256);
      expect(d.reference).toHaveLength(d.grid.length);
      // Still a density: integrates to ~1 on the coarser grid.
      const step = d.grid[1] - d.grid[0];
      const mass = d.reference.reduce((a, b) => a + b, 0) * step;
      expect(mass).toBeGreaterThan(0.97);
      expect(mass).toBeLessThan(1.03);
    }
    const h = f.view.classifierHistogram!;
    expect(h.reference!.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(h.target!.reduce((a, b) => a + b, 0)).toBe(2000);
    // The fixture's target leans towards P(target) = 1: more target mass in the top half than reference mass.
    const topHalf = (c: number[]) => c.slice(c.length / 2 + 0.5).reduce((a, b) => a + b, 0);
    expect(topHalf(h.target!) / 2000).toBeGreaterThan(topHalf(h.reference!) / 3000 + 0.2);
  });

  it('marks the most shifted target samples at their exact coordinates', () => {
    const f = buildFixture({ nReference: 500, nTarget: 500 });
    const first = f.view.scatter!.highlighted[0];
    expect(first.rank).toBe(1);
    expect(first.index).toBe(f.result.samples.top[0].index);
    const row = f.input.target.projection.data.subarray(first.index * 5, first.index * 5 + 2);
    expect(first.x).toBeCloseTo(row[0], 3);
    expect(first.y).toBeCloseTo(row[1], 3);
    expect(f.view.scatter!.highlighted).toHaveLength(20);
  });

  it('gives no scatter for one component and rejects misaligned inputs', () => {
    const f = buildFixture({ nReference: 200, nTarget: 200, components: 1 });
    expect(f.view.scatter).toBeNull();
    expect(f.view.densities).toHaveLength(1);
    const bad = tinyInput(10, 10);
    bad.reference.texts = ['only one'];
    expect(() => buildReportView(bad)).toThrow(/1 texts for 10 projected samples/);
    const out = tinyInput(10, 10);
    out.highlightTargetIndices = [10];
    expect(() => buildReportView(out)).toThrow(/outside 0\.\.9/);
  });
});

describe('view helpers', () => {
  it('resampleCurves interpolates linearly and keeps short grids as they are', () => {
    const grid = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const r = resampleCurves(
      grid,
      grid.map((g) => 2 * g),
      grid.map((g) => 1 - g),
      11,
    );
    expect(r.grid).toHaveLength(11);
    expect(r.grid[10]).toBe(1);
    r.grid.forEach((g, i) => {
      expect(r.reference[i]).toBeCloseTo(2 * g, 12);
      expect(r.target[i]).toBeCloseTo(1 - g, 12);
    });
    expect(resampleCurves([0, 1], [1, 2], [3, 4], 256).reference).toEqual([1, 2]);
    expect(() => resampleCurves([0, 0], [1, 1], [1, 1], 10)).toThrow(/increase strictly/);
  });

  it('histogramUnit puts 1.0 in the last bin and counts every value', () => {
    expect(histogramUnit([0, 0.05, 0.1, 0.99, 1], 10)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(() => histogramUnit([Number.NaN], 10)).toThrow(/not finite/);
  });

  it('clipText cuts by code point with an ellipsis and flattens whitespace', () => {
    expect(clipText('a  b\n\nc', 10)).toBe('a b c');
    expect(clipText('abcdefghij', 5)).toBe('abcd…');
    expect(Array.from(clipText('😀'.repeat(10), 4))).toHaveLength(4);
    expect(clipText('😀'.repeat(10), 4)).toBe('😀😀😀…');
  });

  it('clipTextsToBudget lowers the limit evenly until the texts fit', () => {
    const groups = [Array.from({ length: 100 }, () => 'x'.repeat(300)), null];
    const r = clipTextsToBudget(groups, 200, 10_000);
    expect(r.bytes).toBeLessThanOrEqual(10_000);
    expect(r.maxChars).toBeLessThan(100);
    expect(r.texts[1]).toBeNull();
  });

  it('datasetRows interleaves two sides evenly and applies constants', () => {
    const rows = datasetRows({
      blocks: [
        { columns: { v: [1, 2, 3, 4] }, constants: { side: 'a' } },
        { columns: { v: [10, 20] }, constants: { side: 'b' } },
      ],
      interleave: true,
    });
    expect(rows.map((r) => r.v)).toEqual([1, 10, 2, 3, 20, 4]);
    expect(rows[1].side).toBe('b');
    expect(() => datasetRows({ blocks: [{ columns: { a: [1], b: [1, 2] } }] })).toThrow(/lengths 1, 2/);
  });
});
