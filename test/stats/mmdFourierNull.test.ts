/**
 * mmd-rff (Hotelling T² on random Fourier features) under the null on synthetic Gaussians: 300 pairs of samples
 * of one distribution, the p-values spread as a uniform's at α = 0.05, 0.2 and 0.5. Moved here from
 * test/kernel/mmdFourier.test.ts (it was most of that file's CPU in `npm test`); the detector's exact numbers, its
 * power and its edge cases stay there, and its false-positive rate on real splits is in realCalibration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { mmdFourierDetector } from '../../src/twosample/mmdFourier.js';
import { gaussian } from '../helpers/gaussian.js';

describe('mmd-rff under the null', () => {
  it('is calibrated on synthetic Gaussians', async () => {
    const rng = createRng(2024);
    const pValues: number[] = [];
    for (let r = 0; r < 300; r++) {
      const result = await mmdFourierDetector.run(
        {
          reference: gaussian(250, 5, rng),
          target: gaussian(250, 5, rng),
          rng: createRng(1000 + r),
          progress: silentProgress,
        },
        { features: 32 },
      );
      pValues.push(result.pValue!);
    }
    const rate = (alpha: number) => pValues.filter((p) => p <= alpha).length / pValues.length;
    // Binomial(300, 0.05) sd ≈ 0.0126; (300, 0.2) sd ≈ 0.023; (300, 0.5) sd ≈ 0.029.
    expect(rate(0.05)).toBeGreaterThanOrEqual(0.015);
    expect(rate(0.05)).toBeLessThanOrEqual(0.09);
    expect(rate(0.2)).toBeGreaterThanOrEqual(0.13);
    expect(rate(0.2)).toBeLessThanOrEqual(0.27);
    expect(rate(0.5)).toBeGreaterThanOrEqual(0.41);
    expect(rate(0.5)).toBeLessThanOrEqual(0.59);
  });
});
