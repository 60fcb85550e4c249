import { describe, expect, it } from 'vitest';
import { createMatrix, fromRows, type Matrix } from '../../src/core/matrix.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { knnConformalScores } from '../../src/twosample/sampleScores/knnConformal.js';
import { ksTwoSample } from '../../src/twosample/pvalues/ks.js';

function gaussian(rng: Rng, n: number, d: number, shift = 0): Matrix {
  const m = createMatrix(n, d);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal() + shift;
  return m;
}

/** Brute force: sorted distances from row q to every row of points (skipping index `skip`). */
function kthBrute(q: Float32Array, points: Matrix, k: number, skip = -1): number {
  const ds: number[] = [];
  for (let i = 0; i < points.rows; i++) {
    if (i === skip) continue;
    let s = 0;
    for (let j = 0; j < points.cols; j++) s += (q[j] - points.data[i * points.cols + j]) ** 2;
    ds.push(Math.sqrt(s));
  }
  ds.sort((a, b) => a - b);
  return ds[k - 1];
}

describe('knnConformalScores', () => {
  it('matches brute-force k-th neighbour distances across block boundaries', async () => {
    const rng = createRng(1);
    const ref = gaussian(rng, 4500, 7); // > one point block of 4096 and one query block of 1024
    const tgt = gaussian(rng, 1100, 7, 0.2);
    const r = await knnConformalScores(ref, tgt, 3);
    expect(r.k).toBe(3);
    for (const i of [0, 1, 1023, 1024, 1099]) {
      expect(r.distance[i]).toBeCloseTo(kthBrute(tgt.data.subarray(i * 7, i * 7 + 7), ref, 3), 4);
    }
    for (const i of [0, 1023, 1024, 4095, 4096, 4499]) {
      expect(r.calibration[i]).toBeCloseTo(kthBrute(ref.data.subarray(i * 7, i * 7 + 7), ref, 3, i), 4);
    }
  });

  it('computes p = (1 + #{calibration ≥ s}) / (1 + n) on a hand-checked line', async () => {
    // Reference on a line at 0, 1, 3, 6: leave-one-out 1-NN distances 1, 1, 2, 3.
    const ref = fromRows([[0], [1], [3], [6]]);
    const tgt = fromRows([[0.5], [4.5], [20]]);
    const r = await knnConformalScores(ref, tgt, 1);
    expect(Array.from(r.calibration)).toEqual([1, 1, 2, 3]);
    expect(Array.from(r.distance)).toEqual([0.5, 1.5, 14]);
    // 0.5 ≤ all four → 5/5; 1.5 ≤ {2, 3} → 3/5; 14 beyond all → 1/5.
    expect(Array.from(r.pValue)).toEqual([1, 0.6, 0.2]);
  });

  it('gives roughly uniform p-values under no shift and small ones to outliers', async () => {
    const rng = createRng(2);
    const ref = gaussian(rng, 1000, 10);
    const tgt = gaussian(rng, 1000, 10);
    const r = await knnConformalScores(ref, tgt);
    // Against the uniform distribution: KS distance small; the 5% tail holds about 5%.
    const uniformGrid = Float64Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    expect(ksTwoSample(r.pValue, uniformGrid).pValue).toBeGreaterThan(0.01);
    const below = r.pValue.filter((p) => p <= 0.05).length / 1000;
    expect(below).toBeGreaterThan(0.02);
    expect(below).toBeLessThan(0.08);
    const outliers = gaussian(rng, 20, 10, 3);
    const o = await knnConformalScores(ref, outliers);
    for (const p of o.pValue) expect(p).toBeLessThan(0.01);
  });

  it('caps k at n_reference − 1', async () => {
    const r = await knnConformalScores(fromRows([[0], [1], [3]]), fromRows([[10], [11]]), 5);
    expect(r.k).toBe(2);
    expect(Array.from(r.distance)).toEqual([9, 10]);
  });
});
