/**
 * The C2ST's permutation p-value under the null (moved from test/probe/c2st.test.ts, which keeps the exactness
 * checks: 60 refits × 20 permutations took ~3 s of `npm test`).
 */
import { describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { gaussian } from '../helpers/gaussian.js';
import { runC2st } from '../../src/twosample/c2st.js';

describe('C2ST permutation p-values', () => {
  it('hold their level on Gaussian nulls: 60 repetitions at n = 25 per side, 19 permutations', async () => {
    const rng = createRng(13);
    // The stream test/probe/c2st.test.ts used: its shifted case drew first.
    gaussian(30, 5, rng);
    gaussian(30, 5, rng, 1.5);
    let rejections = 0;
    for (let r = 0; r < 60; r++) {
      const { result } = await runC2st(
        {
          reference: gaussian(25, 4, rng),
          target: gaussian(25, 4, rng),
          rng: rng.fork(`p-${r}`),
          progress: silentProgress,
        },
        { pValueMethod: 'permutation', permutations: 19 },
      );
      const p = result.pValue as number;
      expect(Math.round(p * 20)).toBeCloseTo(p * 20, 9); // a multiple of 1/20
      if (p <= 0.05) rejections++;
    }
    // Exact level 0.05 → expect 3 of 60; more than 9 would be a 3-sigma excess.
    expect(rejections).toBeLessThanOrEqual(9);
  });
});
