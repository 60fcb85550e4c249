/**
 * Seeded suite trials for the combined decision's stats checks (combinedDecisionCalibration.test.ts: null splits;
 * combinedDecisionPower.test.ts: real shifts): trial t of a cell draws its sides from createRng(`combined-decision:
 * <label>:<t>`).fork('sample') and runs the default suite (199 permutations, α = 0.05) on its fork 'suite'.
 */
import { selectRows, type Matrix } from '../../src/core/matrix.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { runTestSuite, type SuiteOptions } from '../../src/pipeline/testSuite.js';
import { DEFAULT_TESTS } from '../../src/pipeline/compareOptions.js';

export const ALPHA = 0.05;

/** The default suite at 199 permutations, α = 0.05, as every stats check of the combined decision runs it. */
export const SUITE_OPTIONS: SuiteOptions = {
  tests: DEFAULT_TESTS,
  permutations: 199,
  alpha: ALPHA,
  correction: 'holm',
  minEffect: null,
  // Only a warning; its draws are forks of their own, so the p-values are those with the check on.
  checkClustering: false,
};

export interface Outcomes {
  /** 1 where the combined decision rejected. */
  combined: Uint8Array;
  /** 1 where the test's own p-value was ≤ α, by test name. */
  tests: Map<string, Uint8Array>;
}

export async function runTrials(
  label: string,
  trials: number,
  draw: (rng: Rng) => [Matrix, Matrix],
): Promise<Outcomes> {
  const out: Outcomes = { combined: new Uint8Array(trials), tests: new Map() };
  for (let t = 0; t < trials; t++) {
    const rng = createRng(`combined-decision:${label}:${t}`);
    const [reference, target] = draw(rng.fork('sample'));
    const suite = await runTestSuite(reference, target, SUITE_OPTIONS, rng.fork('suite'), silentProgress);
    out.combined[t] = suite.decision.shiftDetected ? 1 : 0;
    for (const test of suite.tests) {
      let flags = out.tests.get(test.name);
      if (!flags) out.tests.set(test.name, (flags = new Uint8Array(trials)));
      flags[t] = test.pValue !== null && test.pValue <= ALPHA ? 1 : 0;
    }
  }
  return out;
}

/** Two disjoint random halves of n rows each: a text-level null split. */
export function nullSplit(vectors: Matrix, n: number, rng: Rng): [Matrix, Matrix] {
  const idx = rng.sample(vectors.rows, 2 * n);
  return [selectRows(vectors, idx.subarray(0, n)), selectRows(vectors, idx.subarray(n))];
}

export const rate = (flags: Uint8Array) => flags.reduce((s, f) => s + f, 0) / flags.length;
