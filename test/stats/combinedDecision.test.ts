/**
 * The combined decision (weighted Westfall–Young over the permutation tests on shared labellings, suite.ts) on
 * real data at small n: false-positive rate on text-level random splits of easy-ham-1 (a true null), and power on
 * real shifts next to the best single test measured on the SAME repetitions (easy-ham-1 vs hard-ham-1 and vs
 * easy-ham-2, wordvec:sg100d, n = 20 per side, 99 permutations, α = 0.05). Bounds: FPR ≤ α + 2 SE; power ≥ best
 * single test − 0.05 (the issue's target is 0.03 on the benchmark's larger grid; 30 repetitions here only).
 */
import { describe, expect, it } from 'vitest';
import { selectRows, type Matrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { DEFAULT_TESTS } from '../../src/pipeline/compareOptions.js';
import { runTestSuite } from '../../src/pipeline/testSuite.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

const ALPHA = 0.05;
const N = 20;

async function rejectionRates(
  reference: Matrix,
  target: Matrix | null,
  reps: number,
  seed: string,
): Promise<{ perTest: Map<string, number>; combined: number }> {
  const rng = createRng(seed);
  const perTest = new Map<string, number>();
  let combined = 0;
  for (let r = 0; r < reps; r++) {
    let a: Matrix;
    let b: Matrix;
    if (target === null) {
      const idx = rng.sample(reference.rows, 2 * N);
      a = selectRows(reference, idx.subarray(0, N));
      b = selectRows(reference, idx.subarray(N));
    } else {
      a = selectRows(reference, rng.sample(reference.rows, N));
      b = selectRows(target, rng.sample(target.rows, N));
    }
    const suite = await runTestSuite(
      a,
      b,
      {
        tests: DEFAULT_TESTS,
        permutations: 99,
        alpha: ALPHA,
        correction: 'holm',
        minEffect: null,
        checkClustering: false,
      },
      rng.fork(`rep-${r}`),
      silentProgress,
    );
    for (const t of suite.tests)
      if (t.pValue !== null && t.pValue <= ALPHA) perTest.set(t.name, (perTest.get(t.name) ?? 0) + 1 / reps);
    if (suite.decision.shiftDetected) combined += 1 / reps;
  }
  return { perTest, combined };
}

const show = (r: { perTest: Map<string, number>; combined: number }) =>
  `${DEFAULT_TESTS.map((t) => `${t} ${(r.perTest.get(t) ?? 0).toFixed(2)}`).join(', ')}; combined ${r.combined.toFixed(2)}`;

describe('combined decision on real data (n = 20 per side)', () => {
  it('keeps the family-wise error at α on text-level null splits of easy-ham-1', async () => {
    const reps = 60;
    const r = await rejectionRates(await loadRealEmbeddings('easy-ham-1'), null, reps, 'combined-null');
    console.log(`null easy-ham-1 (${reps} splits): ${show(r)}`);
    expect(r.combined).toBeLessThanOrEqual(ALPHA + 2 * Math.sqrt((ALPHA * (1 - ALPHA)) / reps));
  });

  it.each(['hard-ham-1', 'easy-ham-2'])('detects easy-ham-1 vs %s about as often as its best member', async (other) => {
    const reps = 30;
    const r = await rejectionRates(
      await loadRealEmbeddings('easy-ham-1'),
      await loadRealEmbeddings(other),
      reps,
      `combined-${other}`,
    );
    const best = Math.max(...r.perTest.values());
    console.log(`easy-ham-1 vs ${other} (${reps} reps): ${show(r)}`);
    expect(r.combined).toBeGreaterThanOrEqual(best - 0.05);
  });
});
