import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { bootstrapInterval, quantileSorted } from '../../src/probe/bootstrap.js';

describe('bootstrap intervals', () => {
  it('contain the estimate and shrink roughly like 1/√n', () => {
    const rng = createRng(1);
    const widths = [100, 1600].map((n) => {
      const values = Float64Array.from({ length: n }, () => (rng.next() < 0.7 ? 1 : 0));
      const mean = (idx: Uint32Array) => idx.reduce((s, i) => s + values[i], 0) / idx.length;
      const interval = bootstrapInterval([n], ([idx]) => mean(idx), rng.fork(`b${n}`));
      expect(interval.lower).toBeLessThanOrEqual(interval.estimate);
      expect(interval.upper).toBeGreaterThanOrEqual(interval.estimate);
      // Normal-theory half-width 1.96·√(p(1−p)/n) as an independent check of the scale.
      const p = interval.estimate;
      const expected = 2 * 1.96 * Math.sqrt((p * (1 - p)) / n);
      expect(interval.upper - interval.lower).toBeGreaterThan(0.8 * expected);
      expect(interval.upper - interval.lower).toBeLessThan(1.2 * expected);
      return interval.upper - interval.lower;
    });
    expect(widths[0] / widths[1]).toBeGreaterThan(3);
    expect(widths[0] / widths[1]).toBeLessThan(5);
  });

  it('is reproducible with the same seed and resamples groups independently', () => {
    const a = Float64Array.from({ length: 50 }, (_, i) => i % 3);
    const b = Float64Array.from({ length: 30 }, (_, i) => i % 2);
    const stat = ([ia, ib]: Uint32Array[]) =>
      ia.reduce((s, i) => s + a[i], 0) / ia.length - ib.reduce((s, i) => s + b[i], 0) / ib.length;
    const one = bootstrapInterval([50, 30], stat, createRng(5), { replicates: 300 });
    const two = bootstrapInterval([50, 30], stat, createRng(5), { replicates: 300 });
    expect(one).toEqual(two);
    expect(one.estimate).toBeCloseTo(49 / 50 - 0.5, 12);
    expect(one.lower).toBeLessThan(one.estimate);
    expect(one.upper).toBeGreaterThan(one.estimate);
  });

  it('type-7 quantiles', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
  });
});
