/**
 * The suite's false-positive rate on real data: random splits of individual SpamAssassin easy-ham-1 texts
 * (a no-shift control: texts drawn at random from one source are exchangeable), 200 splits at n = 100 per side, α = 0.05.
 * Each test must reject in [2%, 8%] of splits; the Holm-combined suite at most α + one standard error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows, type Matrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { runTestSuite } from '../../src/pipeline/testSuite.js';
import { DEFAULT_TESTS } from '../../src/pipeline/compareOptions.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

const SPLITS = 200;
const N = 100;
const ALPHA = 0.05;

describe('suite calibration on random splits of easy-ham-1', () => {
  let easyHam: Matrix;
  const rejections = new Map<string, number>();
  let suiteRejections = 0;

  beforeAll(async () => {
    easyHam = await loadRealEmbeddings('easy-ham-1');
    const rng = createRng('suite-calibration');
    for (let s = 0; s < SPLITS; s++) {
      const idx = rng.sample(easyHam.rows, 2 * N);
      const suite = await runTestSuite(
        selectRows(easyHam, idx.subarray(0, N)),
        selectRows(easyHam, idx.subarray(N)),
        { tests: DEFAULT_TESTS, permutations: 199, alpha: ALPHA, correction: 'holm', minEffect: null },
        rng.fork(`split-${s}`),
        silentProgress,
      );
      for (const t of suite.tests) {
        if (t.pValue === null) continue;
        rejections.set(t.name, (rejections.get(t.name) ?? 0) + (t.pValue <= ALPHA ? 1 : 0));
      }
      if (suite.decision.shiftDetected) suiteRejections++;
    }
  });

  it('runs every default test that has a p-value', () => {
    expect([...rejections.keys()].sort()).toEqual([...DEFAULT_TESTS].sort());
  });

  it.each(DEFAULT_TESTS)('%s rejects in 2%–8% of null splits', (name) => {
    const rate = (rejections.get(name) ?? -1) / SPLITS;
    expect(rate, `${name} false-positive rate`).toBeGreaterThanOrEqual(0.02);
    expect(rate, `${name} false-positive rate`).toBeLessThanOrEqual(0.08);
  });

  it('the combined verdict keeps the family-wise error at α', () => {
    const rate = suiteRejections / SPLITS;
    console.log(
      `suite calibration: ${[...rejections].map(([n, c]) => `${n} ${c / SPLITS}`).join(', ')}; suite ${rate}`,
    );
    const standardError = Math.sqrt((ALPHA * (1 - ALPHA)) / SPLITS);
    expect(rate).toBeLessThanOrEqual(ALPHA + standardError);
  });
});
