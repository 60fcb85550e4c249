import { describe, expect, it } from 'vitest';
import { evenGrid, interpolateAt, quantileSorted, robustDomain } from '../../src/report/view/robustRange.js';
import { createRng } from '../../src/core/random.js';

describe('robust axis ranges', () => {
  it('quantileSorted matches numpy.quantile (linear interpolation)', () => {
    // numpy.quantile([1, 2, 3, 4, 10], [0, 0.25, 0.9, 1]) = [1, 2, 7.6, 10]
    const v = [1, 2, 3, 4, 10];
    expect(quantileSorted(v, 0)).toBe(1);
    expect(quantileSorted(v, 0.25)).toBe(2);
    expect(quantileSorted(v, 0.9)).toBeCloseTo(7.6, 12);
    expect(quantileSorted(v, 1)).toBe(10);
  });

  it('keeps the whole extent of light-tailed (uniform) data, and cuts a Gaussian at its 1st/99th percentile', () => {
    const rng = createRng(5);
    const ua = Array.from({ length: 3000 }, () => rng.next());
    const ub = Array.from({ length: 3000 }, () => rng.next());
    const u = robustDomain(ua, ub);
    expect(u.lo).toBe(Math.min(...ua, ...ub));
    expect(u.hi).toBe(Math.max(...ua, ...ub));
    expect(u.below.reference + u.below.target + u.above.reference + u.above.target).toBe(0);
    const a = Array.from({ length: 3000 }, () => rng.normal());
    const b = Array.from({ length: 3000 }, () => rng.normal());
    const g = robustDomain(a, b);
    const sorted = Float64Array.from([...a, ...b]).sort();
    const q01 = quantileSorted(sorted, 0.01);
    const q99 = quantileSorted(sorted, 0.99);
    expect(g.hi).toBeCloseTo(q99 + 0.05 * (q99 - q01), 12);
    expect(g.lo).toBeCloseTo(q01 - 0.05 * (q99 - q01), 12);
    // Somewhat under 1% of each side lies beyond each end (the padding keeps a little more).
    const beyond = g.below.reference + g.below.target + g.above.reference + g.above.target;
    expect(beyond).toBeGreaterThan(0.005 * 6000);
    expect(beyond).toBeLessThan(0.02 * 6000);
  });

  it('cuts an end that a few outliers stretch, at the 99th percentile plus padding, and counts them per side', () => {
    const rng = createRng(6);
    // The case: the mass in −1…1, a handful of samples at 4–5.
    const a = Array.from({ length: 2000 }, () => Math.max(-1, Math.min(1, 0.4 * rng.normal())));
    const b = Array.from({ length: 2000 }, () => Math.max(-1, Math.min(1, 0.4 * rng.normal())));
    a.push(4.2, 4.8);
    b.push(4.5, 4.9, 5);
    const r = robustDomain(a, b);
    const sorted = Float64Array.from([...a, ...b]).sort();
    const q01 = quantileSorted(sorted, 0.01);
    const q99 = quantileSorted(sorted, 0.99);
    expect(r.hi).toBeCloseTo(q99 + 0.05 * (q99 - q01), 12);
    expect(r.hi).toBeLessThan(1.2);
    expect(r.above).toEqual({ reference: 2, target: 3 });
    // The low end has no long tail: it stays at the data's minimum.
    expect(r.lo).toBe(sorted[0]);
    expect(r.below).toEqual({ reference: 0, target: 0 });
  });

  it('interpolates a curve at new points and builds even grids', () => {
    expect(evenGrid(-1, 1, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(interpolateAt([0, 1, 2], [0, 10, 0], [0, 0.25, 1, 1.5, 2])).toEqual([0, 2.5, 10, 5, 0]);
  });
});
