import { describe, expect, it } from 'vitest';
import { concatRows, selectRows } from '../../src/core/matrix.js';
import { mmdWitness } from '../../src/twosample/sampleScores/mmdWitness.js';
import { gaussianSample, squaredDistance } from './fixtures.js';

describe('MMD witness', () => {
  it('equals mean k(y, other targets) − mean k(y, reference), computed directly', async () => {
    const ref = gaussianSample(25, 4, 1);
    const tgt = gaussianSample(18, 4, 2, 1);
    const sigma = 1.3;
    const w = await mmdWitness(ref, tgt, sigma);
    const k = (d2: number) => Math.exp(-d2 / (2 * sigma * sigma));
    for (let i = 0; i < tgt.rows; i++) {
      let same = 0;
      for (let j = 0; j < tgt.rows; j++) if (j !== i) same += k(squaredDistance(tgt, i, tgt, j));
      let other = 0;
      for (let j = 0; j < ref.rows; j++) other += k(squaredDistance(tgt, i, ref, j));
      expect(w[i]).toBeCloseTo(same / (tgt.rows - 1) - other / ref.rows, 6);
    }
  });

  it('is positive on the shifted part of the target and near zero or negative on its reference-like part', async () => {
    const ref = gaussianSample(300, 5, 3);
    const target = concatRows(gaussianSample(150, 5, 4), gaussianSample(150, 5, 5, 4));
    const w = await mmdWitness(ref, target, 2);
    const like = Array.from(w.subarray(0, 150)).sort((a, b) => a - b);
    const shifted = Array.from(w.subarray(150)).sort((a, b) => a - b);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(shifted)).toBeGreaterThan(0.05);
    expect(shifted.filter((v) => v > 0).length).toBeGreaterThanOrEqual(140);
    expect(mean(like)).toBeLessThan(0);
    // The typical shifted sample scores above nearly every reference-like one.
    expect(shifted[75]).toBeGreaterThan(like[Math.floor(0.95 * like.length)]);
  });

  it('rejects a non-positive bandwidth and tiny samples', async () => {
    const a = gaussianSample(5, 2, 1);
    await expect(mmdWitness(a, a, 0)).rejects.toThrow(RangeError);
    await expect(mmdWitness(a, selectRows(a, [0]), 1)).rejects.toThrow(/at least 2/);
  });
});
