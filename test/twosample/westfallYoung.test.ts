import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { labellingPValues, westfallYoungAdjust } from '../../src/twosample/pvalues/westfallYoung.js';

/** Westfall–Young step-down min-P straight from the definition (Westfall & Young 1993, algorithm 2.8). */
function reference(stats: number[][]): number[] {
  const m = stats.length;
  const b = stats[0].length;
  const p = stats.map((s) => s.map((v) => s.filter((w) => w >= v).length / b));
  const raw = p.map((row) => row[0]);
  const order = raw.map((_, i) => i).sort((x, y) => raw[x] - raw[y] || x - y);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((t, rank) => {
    const rest = order.slice(rank);
    let count = 0;
    for (let i = 0; i < b; i++) if (Math.min(...rest.map((u) => p[u][i])) <= raw[t]) count++;
    running = Math.max(running, count / b);
    out[t] = running;
  });
  return out;
}

const nullOf = (name: string, values: number[]) => ({ name, statistics: Float64Array.from(values), tolerance: 0 });

describe('Westfall–Young step-down min-P', () => {
  it('per-labelling p-values count ties and the labelling itself', () => {
    expect(Array.from(labellingPValues(Float64Array.from([3, 1, 3, 2]), 0))).toEqual([0.5, 1, 0.5, 0.75]);
    // Within the tolerance counts as a tie.
    expect(labellingPValues(Float64Array.from([1, 1 + 1e-12, 0]), 1e-9)[0]).toBeCloseTo(2 / 3, 12);
  });

  it('a hand-computed toy case: 2 tests on 5 labellings', () => {
    // Test a: observed 5 among [5, 1, 2, 6, 3] → p_a = 2/5; test b: observed 4 among [4, 3, 1, 2, 0] → p_b = 1/5.
    // Step 1 (b, smallest): min over {a, b} per labelling of p: a → [.4, 1, .8, .2, .6], b → [.2, .4, .8, .6, 1];
    // min = [.2, .4, .8, .2, .6]; #{≤ .2} = 2 → 2/5. Step 2 (a alone): #{p_a ≤ .4} = 2 → 2/5.
    const { raw, adjusted } = westfallYoungAdjust([nullOf('a', [5, 1, 2, 6, 3]), nullOf('b', [4, 3, 1, 2, 0])]);
    expect(raw).toEqual([0.4, 0.2]);
    expect(adjusted).toEqual([0.4, 0.4]);
  });

  it('matches the definition on random statistics, is monotone in the raw p-values and never below them', () => {
    const rng = createRng('wy-random');
    for (let trial = 0; trial < 30; trial++) {
      const m = 1 + rng.int(5);
      const b = 5 + rng.int(40);
      const stats = Array.from({ length: m }, () => Array.from({ length: b }, () => rng.int(8)));
      const { raw, adjusted } = westfallYoungAdjust(stats.map((s, i) => nullOf(`t${i}`, s)));
      expect(adjusted).toEqual(reference(stats));
      for (let i = 0; i < m; i++) {
        expect(adjusted[i]).toBeGreaterThanOrEqual(raw[i]);
        for (let j = 0; j < m; j++) if (raw[i] < raw[j]) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j]);
      }
    }
  });

  it('costs nothing for identical tests and between the raw p and Bonferroni for tests with unrelated nulls', () => {
    const values = [9, 1, 4, 2, 7, 3, 5, 0, 6, 8];
    const same = westfallYoungAdjust([nullOf('a', values), nullOf('b', values), nullOf('c', values)]);
    expect(same.adjusted).toEqual(same.raw);
    // Two tests whose extremes fall on different labellings: raw p = 2/10 each; the min-P null has three
    // labellings at ≤ 2/10 (the observed and each test's own extreme), so both adjust to 3/10 (Bonferroni: 4/10).
    const a = nullOf('a', [9, 10, 0, 0, 0, 0, 0, 0, 0, 0]);
    const b = nullOf('b', [9, 0, 10, 0, 0, 0, 0, 0, 0, 0]);
    const split = westfallYoungAdjust([a, b]);
    expect(split.raw).toEqual([0.2, 0.2]);
    expect(split.adjusted).toEqual([0.3, 0.3]);
  });

  it('is exact: over the labellings taken in turn as the observed one, the family rejects at most α of the time', () => {
    const rng = createRng('wy-exact');
    const b = 200;
    const alpha = 0.05;
    // Three correlated statistics per labelling.
    const stats = [new Float64Array(b), new Float64Array(b), new Float64Array(b)];
    for (let i = 0; i < b; i++) {
      const common = rng.normal();
      stats.forEach((s, t) => (s[i] = common + (t + 1) * 0.5 * rng.normal()));
    }
    let rejections = 0;
    for (let observed = 0; observed < b; observed++) {
      const rotated = stats.map((s, t) => {
        const r = Float64Array.from(s);
        [r[0], r[observed]] = [r[observed], r[0]];
        return { name: `t${t}`, statistics: r, tolerance: 0 };
      });
      if (Math.min(...westfallYoungAdjust(rotated).adjusted) <= alpha) rejections++;
    }
    expect(rejections / b).toBeLessThanOrEqual(alpha);
    // … and not far below it: the correlated family loses little against α (Bonferroni would allow 3.3 of 200).
    expect(rejections).toBeGreaterThanOrEqual(6);
  });
});
