import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// Statistical calibration and power on real data (`npm run test:stats`): hundreds of seeded splits per test, so
// minutes rather than seconds. Kept out of `npm test`; CI (.ci/run) runs both. No time limit on tests or hooks
// (0 = none; a file sets none of its own): on a loaded machine these runs take many times their idle time (a 30-
// minute limit was hit at load 25 on 2 cores), and a timeout is not a statistical failure. CI's job limit stops a hang.

/**
 * The files by time, most first (docs/BENCHMARKS.md, "Statistical suite"): the two workers take them in this
 * order, each the next one when it is free (longest processing time first), so neither is left with a long file at
 * the end. Vitest's own order on a fresh clone is by file size, which is not cost. A file not listed runs first.
 */
const LONGEST_FIRST = [
  'minDetectableEffect',
  'groupedLargeN',
  'combinedDecisionLargeN',
  'suiteCalibration',
  'combinedDecisionCalibration',
  'exactPastCap',
  'combinedDecisionPower',
  'realCalibration',
  'groupedCalibration',
  'monitorCalibration',
  'c2stPermutationCalibration',
  'c2stCalibration',
  'mmdFourierNull',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(`/${name}.test.ts`));
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/stats/**/*.test.ts'],
    testTimeout: 0,
    hookTimeout: 0,
    pool: 'forks',
    maxWorkers: 2,
    // One onnxruntime thread per worker (and per CLI the tests spawn): two workers with two each oversubscribe two
    // cores (docs/BENCHMARKS.md, "Statistical suite": 69.7 vs 47.7 s CPU for one file).
    env: { SHIFTLENS_ORT_THREADS: '1' },
    sequence: { sequencer: LongestFirst },
  },
});
