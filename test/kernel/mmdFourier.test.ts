/**
 * mmd-rff (Hotelling T² on random Fourier features): the F tail and log-gamma it rests on, its statistic against a
 * direct computation, block-size independence, power and degenerate input. Its null calibration on synthetic
 * Gaussians (300 runs) is in test/stats/mmdFourierNull.test.ts (`npm run test:stats`).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { mmdFourierDetector, type MmdFourierOptions } from '../../src/twosample/mmdFourier.js';
import { fUpperTail } from '../../src/twosample/kernels/fDistribution.js';
import { logGamma } from '../../src/twosample/kernels/incompleteBeta.js';
import { drawFourierFeatures } from '../../src/twosample/kernels/randomFourierFeatures.js';

function gaussian(rng: Rng, n: number, d: number, shift = 0): Matrix {
  const m = createMatrix(n, d);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal() + (i % d === 0 ? shift : 0);
  return m;
}

function run(reference: Matrix, target: Matrix, seed: number, options: Partial<MmdFourierOptions> = {}) {
  return mmdFourierDetector.run({ reference, target, rng: createRng(seed), progress: silentProgress }, options);
}

describe('F distribution upper tail', () => {
  it('matches scipy.stats.f.sf', () => {
    // scipy 1.17: f.sf(x, d1, d2)
    const golden: [number, number, number, number][] = [
      [1.1, 256, 1000, 0.1610219428664913],
      [1.3, 256, 1e5, 0.0008802405118413245],
      [1.05, 256, 2e6, 0.27899552411569956],
      [0.9, 256, 2e6, 0.8732028605652553],
      [2.5, 3, 10, 0.11903956265827809],
      [1.2, 128, 500, 0.08833815912751532],
      [0.5, 5, 7, 0.7685843297279158],
    ];
    for (const [f, d1, d2, expected] of golden) expect(fUpperTail(f, d1, d2)).toBeCloseTo(expected, 8);
    expect(fUpperTail(0, 3, 10)).toBe(1);
    expect(fUpperTail(Infinity, 3, 10)).toBe(0);
  });

  it('log-gamma matches factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });
});

describe('mmd-rff (Hotelling T² on random Fourier features)', () => {
  it('equals a direct computation: explicit cos features, pooled covariance, dense solve', async () => {
    const rng = createRng(11);
    const x = gaussian(rng, 120, 4);
    const y = gaussian(rng, 90, 4, 0.4);
    const sigma = 2.5;
    const D = 8;
    const result = await run(x, y, 5, { features: D, bandwidth: sigma, blockRows: 17 });

    // The detector draws its features from rng.fork('features') of its input stream; forks depend on the seed only.
    const map = drawFourierFeatures(4, D, sigma, createRng(5).fork('features'));
    const feats = (m: Matrix): number[][] =>
      Array.from({ length: m.rows }, (_, i) =>
        Array.from({ length: D }, (_, f) => {
          let z = map.phases[f];
          for (let j = 0; j < 4; j++) z += map.weights.data[f * 4 + j] * m.data[i * 4 + j];
          return Math.sqrt(2 / D) * Math.cos(z);
        }),
      );
    const fx = feats(x);
    const fy = feats(y);
    const mean = (rows: number[][]) =>
      Array.from({ length: D }, (_, f) => rows.reduce((s, r) => s + r[f], 0) / rows.length);
    const mx = mean(fx);
    const my = mean(fy);
    const pooled = Array.from({ length: D }, () => new Array<number>(D).fill(0));
    for (const [rows, mu] of [
      [fx, mx],
      [fy, my],
    ] as const) {
      for (const r of rows)
        for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) pooled[a][b] += (r[a] - mu[a]) * (r[b] - mu[b]);
    }
    const n = x.rows;
    const m = y.rows;
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) pooled[a][b] /= n + m - 2;
    const delta = mx.map((v, f) => v - my[f]);
    const solved = solve(pooled, delta);
    const t2 = ((n * m) / (n + m)) * delta.reduce((s, v, f) => s + v * solved[f], 0);
    expect(t2).toBeGreaterThan(1);
    expect(result.statistic / t2).toBeCloseTo(1, 4);
    const f = ((n + m - 1 - D) / (D * (n + m - 2))) * t2;
    expect(result.pValue).toBeCloseTo(fUpperTail(f, D, n + m - 1 - D), 5);
    expect(result.details).toMatchObject({ df1: D, df2: n + m - 1 - D, bandwidth: sigma, features: D });
    // Unbiased MMD² of the features: ‖δ‖² − tr Σx/n − tr Σy/m.
    const trace = (rows: number[][], mu: number[]) =>
      rows.reduce((s, r) => s + r.reduce((t, v, k) => t + (v - mu[k]) ** 2, 0), 0) / (rows.length - 1);
    const mmd2 = delta.reduce((s, v) => s + v * v, 0) - trace(fx, mx) / n - trace(fy, my) / m;
    expect(result.details.mmd2 as number).toBeCloseTo(mmd2, 6);
    expect(result.effectSize).toBeCloseTo(Math.sqrt(Math.max(mmd2, 0)), 5);
  });

  it('does not depend on the streaming block size', async () => {
    const rng = createRng(3);
    const x = gaussian(rng, 700, 6);
    const y = gaussian(rng, 650, 6, 0.2);
    const small = await run(x, y, 9, { blockRows: 64, features: 32 });
    const large = await run(x, y, 9, { blockRows: 4096, features: 32 });
    expect(small.statistic / large.statistic).toBeCloseTo(1, 4);
    expect(small.pValue! / large.pValue!).toBeCloseTo(1, 3);
  });

  it('detects a mean shift and grows its effect size with the shift', async () => {
    const rng = createRng(7);
    const base = gaussian(rng, 2000, 10);
    const small = await run(base, gaussian(rng, 2000, 10, 0.3), 1);
    const large = await run(base, gaussian(rng, 2000, 10, 1.0), 1);
    expect(small.pValue!).toBeLessThan(0.01);
    expect(large.pValue!).toBeLessThan(1e-10);
    expect(large.effectSize).toBeGreaterThan(small.effectSize);
    expect(small.effectSize).toBeGreaterThan(0);
    expect(large.effectSize).toBeLessThanOrEqual(Math.SQRT2);
  });

  it('gives finite results on degenerate input and rejects too few rows', async () => {
    const constant = (n: number) => createMatrix(n, 3, new Float32Array(n * 3).fill(0.5));
    const identical = await run(constant(50), constant(40), 1);
    expect(identical.pValue).toBe(1);
    expect(identical.effectSize).toBeLessThan(1e-5); // float32 rounding of the feature means
    expect(identical.statistic).toBe(0);
    expect(identical.details.bandwidthFallback).toBeTypeOf('string');
    for (const v of Object.values(identical.details)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);

    // Two distinct points only: a rank-deficient feature covariance.
    const twoPoints = (n: number, rng: Rng) => {
      const m = createMatrix(n, 3);
      for (let i = 0; i < n; i++) m.data[i * 3] = rng.next() < 0.5 ? 0 : 1;
      return m;
    };
    const rng = createRng(1);
    const lowRank = await run(twoPoints(100, rng), twoPoints(100, rng), 2);
    expect(Number.isFinite(lowRank.statistic)).toBe(true);
    expect(lowRank.pValue!).toBeGreaterThan(0);
    expect(lowRank.pValue!).toBeLessThanOrEqual(1);
    expect(lowRank.details.rank as number).toBeLessThan(lowRank.details.features as number);

    await expect(run(gaussian(rng, 1, 3), gaussian(rng, 10, 3), 1)).rejects.toBeInstanceOf(InputError);
  });
});

/** Gaussian elimination with partial pivoting (the reference solve). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}
