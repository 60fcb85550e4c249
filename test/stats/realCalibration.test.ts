/**
 * Calibration of the linear-time tests on real data, at the larger n they are meant for: random splits of
 * SpamAssassin easy-ham-1 (wordvec:sg100d embeddings) into two disjoint halves of n = 500 come from one
 * distribution, so at α = 0.05 each test should reject about 5% of them. 240 splits: a calibrated test lands in
 * [0.02, 0.08] with probability ≈ 0.97 (sd ≈ 0.014). The exact tests (mmd, energy, …) are calibrated at n = 100
 * in test/stats/suiteCalibration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { selectRows } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import type { TwoSampleDetector } from '../../src/twosample/detector.js';
import { mmdFourierDetector } from '../../src/twosample/mmdFourier.js';
import { mmdLinearDetector } from '../../src/twosample/mmdLinear.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

const SPLITS = 240;
const N = 500;
const ALPHA = 0.05;

describe('false-positive rate on random splits of easy-ham-1 (n = 500 per side)', () => {
  it('stays within [0.02, 0.08] for mmd-linear and mmd-rff', async () => {
    const embeddings = await loadRealEmbeddings('easy-ham-1');
    const detectors: [string, TwoSampleDetector, Record<string, unknown>][] = [
      ['mmd-rff', mmdFourierDetector as TwoSampleDetector, {}],
      ['mmd-linear', mmdLinearDetector as TwoSampleDetector, {}],
    ];
    const rejections = new Map<string, number>(detectors.map(([name]) => [name, 0]));
    const splitRng = createRng(3033);
    for (let s = 0; s < SPLITS; s++) {
      const rows = splitRng.sample(embeddings.rows, 2 * N);
      const reference = selectRows(embeddings, rows.subarray(0, N));
      const target = selectRows(embeddings, rows.subarray(N));
      const testRng = splitRng.fork(`split-${s}`);
      for (const [name, detector, options] of detectors) {
        const r = await detector.run({ reference, target, rng: testRng.fork(name), progress: silentProgress }, options);
        expect(Number.isFinite(r.statistic) && Number.isFinite(r.effectSize)).toBe(true);
        if ((r.pValue as number) <= ALPHA) rejections.set(name, (rejections.get(name) ?? 0) + 1);
      }
    }
    for (const [name, count] of rejections) {
      const rate = count / SPLITS;
      expect(rate, `${name} false-positive rate`).toBeGreaterThanOrEqual(0.02);
      expect(rate, `${name} false-positive rate`).toBeLessThanOrEqual(0.08);
    }
  });
});
