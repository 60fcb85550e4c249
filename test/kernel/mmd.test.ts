import { describe, expect, it } from 'vitest';
import { concatRows, createMatrix, selectRows } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { InputError } from '../../src/core/errors.js';
import { mmdDetector, type MmdOptions } from '../../src/twosample/mmd.js';
import { medianHeuristic } from '../../src/twosample/kernels/bandwidth.js';
import { centredPooled } from '../../src/twosample/kernels/pooledSample.js';
import { directMmd2, gaussianSample, squaredDistance } from './fixtures.js';

function run(
  reference: ReturnType<typeof gaussianSample>,
  target: ReturnType<typeof gaussianSample>,
  options: Partial<MmdOptions> = {},
  seed = 1,
) {
  return mmdDetector.run({ reference, target, rng: createRng(seed), progress: silentProgress }, options);
}

function allFinite(details: Record<string, unknown>): boolean {
  return Object.values(details).every((v) => typeof v !== 'number' || Number.isFinite(v));
}

describe('exact MMD', () => {
  const x = gaussianSample(40, 5, 11);
  const y = gaussianSample(35, 5, 12, 0.8);

  it('statistic equals the unbiased MMD² computed directly, for an explicit σ', async () => {
    const r = await run(x, y, { bandwidth: 1.7, permutations: 50 });
    expect(r.statistic).toBeCloseTo(directMmd2(x, y, 1.7), 6);
    expect(r.effectSize).toBeCloseTo(Math.sqrt(directMmd2(x, y, 1.7)), 5);
    expect(r.details.bandwidth).toBe(1.7);
    expect(r.details.bandwidthMethod).toBe('explicit');
  });

  it('median heuristic: σ is the median pairwise distance of the pooled sample, times the multiplier', async () => {
    const pooled = concatRows(x, y);
    const distances: number[] = [];
    for (let i = 0; i < pooled.rows; i++)
      for (let j = i + 1; j < pooled.rows; j++) distances.push(Math.sqrt(squaredDistance(pooled, i, pooled, j)));
    distances.sort((a, b) => a - b);
    const median = distances[(distances.length - 1) >> 1];
    const r = await run(x, y, { permutations: 20, bandwidthMultiplier: 2 });
    expect(r.details.bandwidthMedian as number).toBeCloseTo(median, 4);
    expect(r.details.bandwidth as number).toBeCloseTo(2 * median, 4);
    expect(r.statistic).toBeCloseTo(directMmd2(x, y, 2 * median), 6);
  });

  it('median heuristic on a subsample for large N stays close to the full median', async () => {
    const big = gaussianSample(3000, 8, 5);
    const sub = await medianHeuristic(big, createRng(2), 500);
    const full = await medianHeuristic(big, createRng(2), 3000);
    expect(sub.pointsUsed).toBe(500);
    expect(Math.abs(sub.sigma / full.sigma - 1)).toBeLessThan(0.02);
  });

  it('p-value is (1 + b)/(1 + P): the minimum on a clear shift, and large under no shift', async () => {
    const shifted = await run(gaussianSample(60, 5, 1), gaussianSample(60, 5, 2, 1.5), { permutations: 199 });
    expect(shifted.pValue).toBe(1 / 200);
    expect(shifted.details.permutationsAtLeastObserved).toBe(0);
    const same = await run(gaussianSample(60, 5, 3), gaussianSample(60, 5, 4), { permutations: 199 });
    expect(same.pValue as number).toBeGreaterThan(0.05);
    expect(same.pValue).toBe((1 + (same.details.permutationsAtLeastObserved as number)) / 200);
  });

  it('is reproducible for a seed and varies with it', async () => {
    const a = await run(x, y, { permutations: 99 }, 7);
    const b = await run(x, y, { permutations: 99 }, 7);
    expect(b.pValue).toBe(a.pValue);
    expect(b.details.nullMean).toBe(a.details.nullMean);
    const c = await run(x, y, { permutations: 99 }, 8);
    expect(c.details.nullMean).not.toBe(a.details.nullMean);
  });

  it('identical sets: MMD² ≤ 0, effect 0, p-value near 1, all finite', async () => {
    const r = await run(x, x, { permutations: 99 });
    expect(r.statistic).toBeLessThanOrEqual(0);
    expect(r.effectSize).toBe(0);
    expect(r.pValue as number).toBeGreaterThan(0.9);
    expect(allFinite(r.details)).toBe(true);
  });

  it('zero-variance data: σ falls back to 1 and says so; statistic 0 and p = 1', async () => {
    const constant = createMatrix(10, 3);
    constant.data.fill(2);
    const r = await run(constant, selectRows(constant, [0, 1, 2, 3]), { permutations: 50 });
    expect(r.details.bandwidth).toBe(1);
    expect(String(r.details.bandwidthFallback)).toMatch(/identical/);
    expect(r.statistic).toBeCloseTo(0, 12);
    expect(r.pValue).toBe(1);
    expect(r.effectSize).toBe(0);
  });

  it('mostly duplicate rows: σ falls back to the median of the non-zero distances', async () => {
    const m = createMatrix(20, 2);
    for (let i = 0; i < 4; i++) m.data[i * 2] = i + 1; // 16 rows at the origin, 4 spread out
    const choice = await medianHeuristic(centredPooled(m, createMatrix(0, 2)), createRng(1));
    expect(choice.fallback).toMatch(/non-zero/);
    expect(choice.sigma).toBeGreaterThan(0);
  });

  it('bad input is an InputError naming the problem', async () => {
    await expect(run(gaussianSample(1, 3, 1), gaussianSample(5, 3, 2))).rejects.toThrow(InputError);
    await expect(run(gaussianSample(5, 3, 1), gaussianSample(5, 4, 2))).rejects.toThrow(/dimensions/);
    const nan = gaussianSample(5, 3, 1);
    nan.data[7] = Number.NaN;
    await expect(run(gaussianSample(5, 3, 2), nan)).rejects.toThrow(/target embedding row 2/);
    await expect(run(x, y, { bandwidth: -1 })).rejects.toThrow(InputError);
    await expect(run(x, y, { permutations: 0 })).rejects.toThrow(InputError);
  });
});
