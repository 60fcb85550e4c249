import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { InputError } from '../../src/core/errors.js';
import { hallCorrectedT, mmdLinearDetector, type MmdLinearOptions } from '../../src/twosample/mmdLinear.js';
import { studentTUpperTail } from '../../src/twosample/kernels/studentT.js';
import { directMmd2, gaussianSample, pooledRows } from './fixtures.js';

type Sample = ReturnType<typeof gaussianSample>;

function run(reference: Sample, target: Sample, options: Partial<MmdLinearOptions> = {}, seed = 1) {
  return mmdLinearDetector.run({ reference, target, rng: createRng(seed), progress: silentProgress }, options);
}

describe('Student t upper tail', () => {
  it('Hall correction: identity without skew, monotone, and larger for right skew at positive t', () => {
    expect(hallCorrectedT(1.7, 0, 30)).toBe(1.7);
    expect(hallCorrectedT(1.7, 1.5, 30)).toBeGreaterThan(1.7);
    let previous = -Infinity;
    for (let t = -20; t <= 20; t += 0.25) {
      const v = hallCorrectedT(t, 3, 5);
      expect(v).toBeGreaterThanOrEqual(previous);
      previous = v;
    }
  });

  it('matches tabulated values', () => {
    expect(studentTUpperTail(2, 10)).toBeCloseTo(0.036694017, 8);
    expect(studentTUpperTail(1.812461, 10)).toBeCloseTo(0.05, 6);
    expect(studentTUpperTail(12.706205, 1)).toBeCloseTo(0.025, 7);
    expect(studentTUpperTail(-1, 3)).toBeCloseTo(0.80449889, 7);
    expect(studentTUpperTail(1.644854, 1e7)).toBeCloseTo(0.05, 6);
    expect(studentTUpperTail(0, 4)).toBe(0.5);
  });
});

describe('linear-time (block) MMD', () => {
  it('statistic is the mean of the block MMD²_u, blocks cut from the seeded shuffles; p from t(blocks − 1)', async () => {
    const x = gaussianSample(40, 3, 1);
    const y = gaussianSample(61, 3, 2, 0.5);
    const sigma = 1.5;
    const r = await run(x, y, { bandwidth: sigma, blockSize: 8 }, 42);
    const blocks = 5;
    expect(r.details.blocks).toBe(blocks);
    const rng = createRng(42);
    const ox = rng.fork('shuffle-reference').permutation(x.rows);
    const oy = rng.fork('shuffle-target').permutation(y.rows);
    const h: number[] = [];
    for (let b = 0; b < blocks; b++) {
      const xs = Array.from(ox.subarray(Math.floor((b * 40) / blocks), Math.floor(((b + 1) * 40) / blocks)));
      const ys = Array.from(
        oy.subarray(Math.floor((b * 61) / blocks), Math.floor(((b + 1) * 61) / blocks)),
        (i) => i + x.rows,
      );
      h.push(directMmd2(pooledRows(x, y, xs), pooledRows(x, y, ys), sigma));
    }
    const mean = h.reduce((s, v) => s + v, 0) / blocks;
    const sd = Math.sqrt(h.reduce((s, v) => s + (v - mean) ** 2, 0) / (blocks - 1));
    const m2 = h.reduce((s, v) => s + (v - mean) ** 2, 0) / blocks;
    const skew = h.reduce((s, v) => s + (v - mean) ** 3, 0) / blocks / m2 ** 1.5;
    const t = mean / (sd / Math.sqrt(blocks));
    expect(r.statistic).toBeCloseTo(mean, 6);
    expect(r.details.tStatistic as number).toBeCloseTo(t, 4);
    expect(r.details.blockSkewness as number).toBeCloseTo(skew, 4);
    expect(r.pValue as number).toBeCloseTo(studentTUpperTail(hallCorrectedT(t, skew, blocks), blocks - 1), 6);
  });

  it('null calibrated on synthetic Gaussians: false-positive rate in [0.02, 0.08], statistic centred on 0', async () => {
    // 500 runs of 300 vs 300 (17 blocks): a calibrated test lands in [0.02, 0.08] with probability > 0.99.
    const runs = 500;
    let rejections = 0;
    const stats: number[] = [];
    for (let s = 0; s < runs; s++) {
      const r = await run(
        gaussianSample(300, 4, 2 * s + 1000),
        gaussianSample(300, 4, 2 * s + 1001),
        { bandwidth: 2 },
        s,
      );
      if ((r.pValue as number) <= 0.05) rejections++;
      stats.push(r.statistic);
    }
    expect(rejections / runs).toBeGreaterThanOrEqual(0.02);
    expect(rejections / runs).toBeLessThanOrEqual(0.08);
    const mean = stats.reduce((a, b) => a + b, 0) / runs;
    const sd = Math.sqrt(stats.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1));
    expect(Math.abs(mean)).toBeLessThan((3 * sd) / Math.sqrt(runs));
  });

  it('under a shift, its mean estimates the same MMD² as the exact statistic, and it detects the shift', async () => {
    const sigma = 2;
    const runs = 40;
    let sum = 0;
    for (let s = 0; s < runs; s++)
      sum += (await run(gaussianSample(400, 3, 3 * s), gaussianSample(400, 3, 3 * s + 1, 0.7), { bandwidth: sigma }, s))
        .statistic;
    const exact = directMmd2(gaussianSample(600, 3, 7), gaussianSample(600, 3, 8, 0.7), sigma);
    expect(Math.abs(sum / runs - exact)).toBeLessThan(0.15 * exact);
    const strong = await run(gaussianSample(2000, 3, 1), gaussianSample(2000, 3, 2, 0.5));
    expect(strong.pValue as number).toBeLessThan(1e-4);
    expect(strong.effectSize).toBeGreaterThan(0.05);
    expect(strong.details.bandwidthMethod).toBe('median heuristic');
  });

  it('uses every row when the sides differ in size, and needs two blocks of ≥ 2', async () => {
    const r = await run(gaussianSample(100, 2, 1), gaussianSample(333, 2, 2));
    expect(r.details.blockSize).toBe(10);
    expect(r.details.blocks).toBe(10);
    await expect(run(gaussianSample(3, 2, 1), gaussianSample(50, 2, 2))).rejects.toThrow(InputError);
    await expect(run(gaussianSample(1, 2, 1), gaussianSample(50, 2, 2))).rejects.toThrow(/at least 2 samples/);
  });

  it('identical and constant samples give finite null answers', async () => {
    const x = gaussianSample(64, 3, 9);
    const same = await run(x, x);
    expect(Number.isFinite(same.statistic)).toBe(true);
    expect(same.pValue as number).toBeGreaterThan(0.5);
    const c = gaussianSample(16, 2, 1);
    c.data.fill(3);
    const constant = await run(c, c);
    expect(constant.statistic).toBe(0);
    expect(constant.pValue).toBe(1);
    expect(constant.effectSize).toBe(0);
  });
});
