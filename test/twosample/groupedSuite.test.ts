/**
 * Fast check of the group-aware suite (the full calibration is test/stats/groupedCalibration.test.ts): SOTU
 * 1946–1989 passages split by whole address (6 addresses per side, ≤ 5 passages each). With the address as group
 * the permutation tests move whole addresses; their rejections over 12 splits stay at chance (≤ 3 of 12:
 * P ≈ 0.002 under α = 0.05), and the suite reports the groups.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { runTestSuite } from '../../src/pipeline/testSuite.js';
import { addressSplit, loadSotuAddresses } from '../stats/groupedHelpers.js';

describe('group-aware suite on address-level splits of SOTU', () => {
  it('stays at chance with whole-address permutations and says how many groups it moved', async () => {
    const corpus = await loadSotuAddresses('1946-1989');
    const rng = createRng('grouped-fast');
    let rejections = 0;
    for (let s = 0; s < 12; s++) {
      const split = addressSplit(corpus, 6, 5, rng.fork(`split-${s}`));
      const suite = await runTestSuite(
        split.reference,
        split.target,
        {
          tests: ['mmd', 'centroid', 'c2st'],
          permutations: 99,
          alpha: 0.05,
          correction: 'holm',
          minEffect: null,
          groups: split.groups,
        },
        rng.fork(`suite-${s}`),
        silentProgress,
      );
      expect(suite.decision.groups).toEqual({ reference: 6, target: 6 });
      expect(suite.tests.find((t) => t.name === 'mmd')?.method).toMatch(/whole groups/);
      if (suite.decision.shiftDetected) rejections++;
    }
    expect(rejections).toBeLessThanOrEqual(3);
  });
});
