import { describe, expect, it } from 'vitest';
import { createMatrix, fromRows, type Matrix } from '../../src/core/matrix.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { kthByScan, kthNeighbourDistances, knnConformalScores } from '../../src/twosample/sampleScores/knnConformal.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';
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

describe('kthNeighbourDistances: the TopK graph against the JavaScript scan on real embeddings', () => {
  /** easy-ham-1 with 300 of its rows appended again: exact duplicates tie with each row's own distance. */
  async function realSides(): Promise<{ reference: Matrix; target: Matrix }> {
    const ham = await loadRealEmbeddings('easy-ham-1');
    const spam = await loadRealEmbeddings('spam-2');
    const d = ham.cols;
    const reference = createMatrix(ham.rows + 300, d);
    reference.data.set(ham.data);
    reference.data.set(ham.data.subarray(0, 300 * d), ham.rows * d);
    return { reference, target: spam };
  }

  it('gives bit-identical k-th distances (leave-one-out with duplicates, and target rows), whatever the blocks', async () => {
    const { reference, target } = await realSides();
    for (const k of [1, 5]) {
      const scanCalibration = await kthByScan(reference, reference, k, true);
      const scanTarget = await kthByScan(target, reference, k, false);
      for (const plan of [
        { blockEntries: 8 * 1024 * 1024, pointBlock: 32768 }, // the default: one reference block
        { blockEntries: 100_000, pointBlock: 700 }, // reference split in 4 parts, many query blocks: merges
      ]) {
        expect(Array.from(await kthNeighbourDistances(reference, reference, k, true, plan))).toEqual(
          Array.from(scanCalibration),
        );
        expect(Array.from(await kthNeighbourDistances(target, reference, k, false, plan))).toEqual(
          Array.from(scanTarget),
        );
      }
    }
    // The duplicated rows really tie: their leave-one-out 1-NN distance is their copy's (≈ 0, float32 rounding).
    const nn = await kthNeighbourDistances(reference, reference, 1, true);
    expect(Math.max(...Array.from(nn.subarray(0, 300)))).toBeLessThan(1e-2);
  });

  it('handles a reference block smaller than k + 1 rows (TopK asked for all its rows)', async () => {
    const { reference, target } = await realSides();
    const ref = createMatrix(13, reference.cols, reference.data.slice(0, 13 * reference.cols));
    const plan = { blockEntries: 1000, pointBlock: 5 }; // parts of 5, 4, 4 rows for k = 5 leave-one-out
    expect(Array.from(await kthNeighbourDistances(ref, ref, 5, true, plan))).toEqual(
      Array.from(await kthByScan(ref, ref, 5, true)),
    );
    const tgt = createMatrix(40, target.cols, target.data.slice(0, 40 * target.cols));
    expect(Array.from(await kthNeighbourDistances(tgt, ref, 5, false, plan))).toEqual(
      Array.from(await kthByScan(tgt, ref, 5, false)),
    );
  });
});
