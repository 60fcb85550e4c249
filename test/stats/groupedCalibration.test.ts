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
import { DEFAULT_TESTS } from '../../src/pipeline/compareOptions.js';
import { type GroupedNullRun, runGroupedNull, shareAtOrBelow } from './groupedHelpers.js';

const SPLITS = 40;
const ALPHA = 0.05;

describe('grouped null: SOTU 1946–1989 split by whole address', () => {
  let run: GroupedNullRun;
  const rate = (name: string) => shareAtOrBelow(run.pValues.get(name) ?? [], ALPHA);

  beforeAll(async () => {
    run = await runGroupedNull({
      range: '1946-1989',
      perSide: 8,
      passages: 6,
      splits: SPLITS,
      seed: 'grouped-calibration',
      tests: DEFAULT_TESTS,
      permutations: 99,
      alpha: ALPHA,
      rowLevelEvery: 1,
    });
    console.log(
      `grouped null (SOTU 1946–1989 by address, ${SPLITS} splits): ${DEFAULT_TESTS.map((t) => `${t} ${rate(t).toFixed(3)}`).join(', ')}; combined ${(run.combined / SPLITS).toFixed(3)}; row-level mmd ${(run.rowLevel.rejected / run.rowLevel.runs).toFixed(3)}`,
    );
  }, 900_000);

  it('row-level MMD over-rejects on these splits (they cluster by address)', () => {
    expect(run.rowLevel.rejected / run.rowLevel.runs).toBeGreaterThanOrEqual(0.3);
  });

  it.each(DEFAULT_TESTS)('%s with whole-address permutations stays calibrated', (name) => {
    expect(run.pValues.get(name)).toHaveLength(SPLITS);
    expect(rate(name)).toBeLessThanOrEqual(0.15);
  });

  it('the combined decision keeps the family-wise error near α', () => {
    expect(run.combined / SPLITS).toBeLessThanOrEqual(0.125);
  });
});
