import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { mmdDetector } from '../../src/twosample/mmd.js';
import { createPermutationDesign } from '../../src/twosample/permutationDesign.js';
import {
  aucMinDetectableEffect,
  binomialCoefficient,
  normalQuantile,
  permutationCanReject,
  statisticForPower,
  Z_POWER,
} from '../../src/twosample/minDetectableEffect.js';
import { mmdFourierDetector } from '../../src/twosample/mmdFourier.js';
import { mmdLinearDetector } from '../../src/twosample/mmdLinear.js';
import { gaussianSample } from '../kernel/fixtures.js';

describe('minimum detectable effect', () => {
  it('normal quantiles match scipy.stats.norm.ppf', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.8)).toBeCloseTo(Z_POWER, 8);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 8);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 6);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('from a permutation null: the rejection threshold plus z₀.₈ null standard deviations', () => {
    // 99 permuted values 1…99: p ≤ 0.05 needs at most 4 permuted values ≥ the observed → threshold 95 (5th largest).
    const permuted = Float64Array.from({ length: 99 }, (_, i) => i + 1);
    const sd = Math.sqrt((99 * 100) / 12); // sample sd of 1…99
    expect(statisticForPower(permuted, 0.05)).toBeCloseTo(95 + Z_POWER * sd, 10);
    expect(statisticForPower(permuted, 0.05, 2)).toBeCloseTo(95 + 2 * Z_POWER * sd, 10);
    // 9 permutations cannot give p ≤ 0.05.
    expect(statisticForPower(permuted.subarray(0, 9), 0.05)).toBeNull();
  });

  it('for the AUC: (z₁₋α + z₀.₈) · √((n₁+n₂+1)/(12 n₁n₂)) — 0.144 at 50 vs 50', () => {
    expect(aucMinDetectableEffect(50, 50, 0.05)).toBeCloseTo(0.14427, 4);
    expect(aucMinDetectableEffect(12, 12, 0.05)).toBeCloseTo(0.2989, 3);
    expect(aucMinDetectableEffect(2, 2, 0.01)).toBe(0.5);
  });

  it('is null when no split of the rows (or groups) can give p ≤ α', async () => {
    expect(binomialCoefficient(10, 5)).toBe(252);
    expect(permutationCanReject(0.05, 2, 2)).toBe(false); // 6 splits, 3 distinct
    expect(permutationCanReject(0.05, 3, 5)).toBe(true); // 56
    const grouped = createPermutationDesign(6, 6, 50, createRng(1), {
      reference: [0, 0, 1, 1, 2, 2],
      target: [0, 0, 0, 1, 1, 1],
    });
    expect(permutationCanReject(0.05, 6, 6, grouped)).toBe(false); // C(5, 3) = 10 group splits
    const tiny = await mmdDetector.run(
      {
        reference: gaussianSample(2, 3, 1),
        target: gaussianSample(2, 3, 2),
        rng: createRng(2),
        progress: silentProgress,
      },
      { permutations: 99 },
    );
    expect(tiny.minDetectableEffect).toBeNull();
  });

  it('the linear-time MMD tests report one that shrinks with n', async () => {
    const mdes: number[][] = [];
    for (const n of [500, 2000]) {
      const run = async (detector: typeof mmdFourierDetector | typeof mmdLinearDetector) =>
        (
          await detector.run({
            reference: gaussianSample(n, 5, 1),
            target: gaussianSample(n, 5, 2),
            rng: createRng(3),
            progress: silentProgress,
          })
        ).minDetectableEffect as number;
      mdes.push([await run(mmdFourierDetector), await run(mmdLinearDetector)]);
    }
    for (const [rff, linear] of mdes) {
      expect(rff).toBeGreaterThan(0);
      expect(linear).toBeGreaterThan(rff); // the block test uses far less of the data
    }
    expect(mdes[1][0]).toBeLessThan(mdes[0][0]);
    expect(mdes[1][1]).toBeLessThan(mdes[0][1]);
  });
});
