import { describe, expect, it } from 'vitest';
import { bandwidthFor, compareDensities } from '../../src/analysis/kde.js';
import { createRng } from '../../src/core/random.js';

const X = [0.3, -1.2, 2.5, 0.8, 0.1, -0.4, 1.9, 3.3, -2.1, 0.0, 0.7, 1.1];
const Y = [5.0, 4.2, 6.1, 5.5, 4.9, 3.8, 5.2];

function normals(n: number, mean: number, sd: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mean + sd * rng.normal());
}

function trapezoid(grid: Float64Array, f: Float64Array): number {
  let s = 0;
  for (let i = 1; i < grid.length; i++) s += 0.5 * (f[i] + f[i - 1]) * (grid[i] - grid[i - 1]);
  return s;
}

function interpolate(grid: Float64Array, f: Float64Array, t: number): number {
  const step = grid[1] - grid[0];
  const pos = (t - grid[0]) / step;
  const j = Math.floor(pos);
  return f[j] * (1 - (pos - j)) + f[j + 1] * (pos - j);
}

describe('compareDensities', () => {
  it('uses the bandwidths of scipy.stats.gaussian_kde (Scott and Silverman)', () => {
    const scott = compareDensities(X, Y, { bandwidth: 'scott' });
    expect(scott.bandwidthA).toBeCloseTo(0.9192812648181549, 12);
    expect(scott.bandwidthB).toBeCloseTo(0.5232062329199559, 12);
    const silverman = compareDensities(X, Y, { bandwidth: 'silverman' });
    expect(silverman.bandwidthA).toBeCloseTo(0.9737246323248964, 12);
    expect(silverman.bandwidthB).toBeCloseTo(0.5541925156941552, 12);
    expect(bandwidthFor('scott', 32, 2)).toBeCloseTo(1, 12); // 32^(-1/5) = 1/2
  });

  it('matches scipy gaussian_kde evaluated at fixed points', () => {
    const r = compareDensities(X, Y, { bandwidth: 'scott', gridSize: 4001 });
    const golden: [number, number][] = [
      [-2.0, 0.07726347466204195],
      [0.0, 0.23211834686060445],
      [0.5, 0.24292379403318579],
      [1.7, 0.16842227133060422],
      [4.0, 0.03968731468905121],
    ];
    for (const [t, density] of golden) expect(interpolate(r.grid, r.densityA, t)).toBeCloseTo(density, 3);
  });

  it('integrates to one on the returned grid', () => {
    const r = compareDensities(normals(5000, 0, 1, 1), normals(300, 3, 0.2, 2), {
      bandwidth: 'silverman',
      gridSize: 2048,
    });
    expect(trapezoid(r.grid, r.densityA)).toBeCloseTo(1, 3);
    expect(trapezoid(r.grid, r.densityB)).toBeCloseTo(1, 3);
  });

  it('recovers the overlap and JS divergence of two normals (closed form / numerical integration)', () => {
    const a = normals(100_000, 0, 1, 3);
    const equal = compareDensities(a, normals(100_000, 1, 1, 4), { bandwidth: 'scott' });
    expect(equal.overlap).toBeCloseTo(0.6170750774519738, 2); // 2Φ(−1/2)
    expect(equal.jsDivergence).toBeCloseTo(0.16074721979641682, 2);
    const unequal = compareDensities(a, normals(100_000, 1, 2, 5), { bandwidth: 'scott' });
    expect(unequal.overlap).toBeCloseTo(0.6099343396841985, 2); // scipy.integrate.quad of min(p, q)
    expect(unequal.jsDivergence).toBeCloseTo(0.1849173979916566, 2);
  });

  it('gives overlap 1 and JS 0 for identical samples, overlap 0 and JS 1 for disjoint ones', () => {
    const a = normals(2000, 0, 1, 6);
    const same = compareDensities(a, a, { bandwidth: 'scott' });
    expect(same.overlap).toBeCloseTo(1, 10);
    expect(same.jsDivergence).toBeCloseTo(0, 10);
    const far = compareDensities(a, normals(2000, 100, 1, 7), { bandwidth: 'scott' });
    expect(far.overlap).toBeLessThan(1e-6);
    expect(far.jsDivergence).toBeGreaterThan(1 - 1e-6);
  });

  it('handles zero-variance samples as point masses', () => {
    const constant = new Float64Array(50).fill(2);
    const bothSame = compareDensities(constant, constant, { bandwidth: 'scott' });
    expect(bothSame.bandwidthA).toBe(0);
    expect(bothSame.overlap).toBeCloseTo(1, 10);
    expect(bothSame.jsDivergence).toBeCloseTo(0, 10);
    expect(bothSame.notes).toHaveLength(2);
    const apart = compareDensities(constant, new Float64Array(50).fill(3), { bandwidth: 'scott' });
    expect(apart.overlap).toBe(0);
    expect(apart.jsDivergence).toBe(1);
    const spikeVsSpread = compareDensities(constant, normals(1000, 2, 1, 8), { bandwidth: 'scott' });
    expect(spikeVsSpread.overlap).toBeLessThan(0.01);
    expect(spikeVsSpread.jsDivergence).toBeGreaterThan(0.9);
    for (const v of [...spikeVsSpread.densityA, ...spikeVsSpread.densityB]) expect(Number.isFinite(v)).toBe(true);
  });

  it('rejects empty or non-finite input', () => {
    expect(() => compareDensities([], [1, 2], { bandwidth: 'scott' })).toThrow(RangeError);
    expect(() => compareDensities([1, Number.NaN], [1, 2], { bandwidth: 'scott' })).toThrow(/not finite/);
  });
});
