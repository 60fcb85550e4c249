/** The C2ST's p-value under the null (moved from test/probe/c2st.test.ts: 200 refits take ~25 s). */
import { describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { gaussian } from '../helpers/gaussian.js';
import { runC2st } from '../../src/twosample/c2st.js';

describe('C2ST calibration', () => {
  it('p-value is calibrated on Gaussian nulls: 200 repetitions at n = 100 per side, FPR in [0.02, 0.08]', async () => {
    const rng = createRng(2024);
    let rejections = 0;
    let belowFifth = 0;
    for (let r = 0; r < 200; r++) {
      const { result } = await runC2st({
        reference: gaussian(100, 30, rng),
        target: gaussian(100, 30, rng),
        rng: rng.fork(`rep-${r}`),
        progress: silentProgress,
      });
      const p = result.pValue as number;
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
      if (p <= 0.05) rejections++;
      if (p <= 0.2) belowFifth++;
    }
    expect(rejections / 200).toBeGreaterThanOrEqual(0.02);
    expect(rejections / 200).toBeLessThanOrEqual(0.08);
    // Uniform p-values: P(p ≤ 0.2) = 0.2 (± 3 standard errors).
    expect(belowFifth / 200).toBeGreaterThan(0.2 - 3 * Math.sqrt(0.16 / 200));
    expect(belowFifth / 200).toBeLessThan(0.2 + 3 * Math.sqrt(0.16 / 200));
  });
});
