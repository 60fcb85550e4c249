/**
 * Group-aware tests on grouped nulls: State of the Union passages (wordvec:sg100d) of 1946–1989, split by WHOLE
 * ADDRESS (8 random addresses per side, ≤ 6 passages each, so n ≈ 48 per side). The era is the same on both sides;
 * only the addresses differ, so a row-level test over-rejects (passages of one address are alike) while the suite
 * with the address as group (--group-column address: whole-address permutations, folds and bootstraps) must keep
 * its error rate at α. 40 seeded splits, 99 permutations, α = 0.05. Bounds: each grouped test ≤ 0.15 and the
 * combined decision ≤ 0.125 (α + 2.2 SE at 40 splits); the row-level MMD on the same splits rejects far more often
 * (≥ 0.3), which shows the splits are a real test of the grouping.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { DEFAULT_TESTS } from '../../src/pipeline/compareOptions.js';
import { runTestSuite } from '../../src/pipeline/testSuite.js';
import { addressSplit, loadSotuAddresses } from './groupedHelpers.js';

const SPLITS = 40;
const ALPHA = 0.05;

describe('grouped null: SOTU 1946–1989 split by whole address', () => {
  const grouped = new Map<string, number>();
  let groupedSuite = 0;
  let rowLevelMmd = 0;

  beforeAll(async () => {
    const corpus = await loadSotuAddresses('1946-1989');
    const rng = createRng('grouped-calibration');
    for (let s = 0; s < SPLITS; s++) {
      const split = addressSplit(corpus, 8, 6, rng.fork(`split-${s}`));
      const options = {
        tests: DEFAULT_TESTS,
        permutations: 99,
        alpha: ALPHA,
        correction: 'holm' as const,
        minEffect: null,
      };
      const suite = await runTestSuite(
        split.reference,
        split.target,
        { ...options, groups: split.groups },
        rng.fork(`g-${s}`),
        silentProgress,
      );
      for (const t of suite.tests)
        if (t.pValue !== null && t.pValue <= ALPHA) grouped.set(t.name, (grouped.get(t.name) ?? 0) + 1);
      if (suite.decision.shiftDetected) groupedSuite++;
      const rowLevel = await runTestSuite(
        split.reference,
        split.target,
        { ...options, tests: ['mmd'], checkClustering: false },
        rng.fork(`r-${s}`),
        silentProgress,
      );
      if ((rowLevel.tests[0].pValue as number) <= ALPHA) rowLevelMmd++;
    }
    console.log(
      `grouped null (SOTU 1946–1989 by address, ${SPLITS} splits): ${DEFAULT_TESTS.map((t) => `${t} ${((grouped.get(t) ?? 0) / SPLITS).toFixed(3)}`).join(', ')}; combined ${(groupedSuite / SPLITS).toFixed(3)}; row-level mmd ${(rowLevelMmd / SPLITS).toFixed(3)}`,
    );
  }, 900_000);

  it('row-level MMD over-rejects on these splits (they cluster by address)', () => {
    expect(rowLevelMmd / SPLITS).toBeGreaterThanOrEqual(0.3);
  });

  it.each(DEFAULT_TESTS)('%s with whole-address permutations stays calibrated', (name) => {
    expect((grouped.get(name) ?? 0) / SPLITS).toBeLessThanOrEqual(0.15);
  });

  it('the combined decision keeps the family-wise error near α', () => {
    expect(groupedSuite / SPLITS).toBeLessThanOrEqual(0.125);
  });
});
