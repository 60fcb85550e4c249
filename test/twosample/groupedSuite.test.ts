/**
 * Fast check of the group-aware suite (the full calibration is test/stats/groupedCalibration.test.ts): SOTU
 * 1946–1989 passages split by whole address (6 addresses per side, ≤ 5 passages each). With the address as group
 * the permutation tests move whole addresses; their rejections over 12 splits stay at chance (≤ 3 of 12:
 * P ≈ 0.002 under α = 0.05), and the suite reports the groups.
 */
import { describe, expect, it } from 'vitest';
import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { runTestSuite } from '../../src/pipeline/testSuite.js';
import { wholeGroupSubsample } from '../../src/twosample/permutationDesign.js';
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

/** Rows in groups of `size` (group means spread by 1, rows by 0.5 around them): clustered like passages of a document. */
function groupedRows(groupCount: number, size: number, d: number, rng: Rng): { rows: Matrix; ids: number[] } {
  const rows = createMatrix(groupCount * size, d);
  const ids: number[] = [];
  for (let g = 0; g < groupCount; g++) {
    const centre = Array.from({ length: d }, () => rng.normal());
    for (let r = 0; r < size; r++) {
      const i = g * size + r;
      for (let j = 0; j < d; j++) rows.data[i * d + j] = centre[j] + 0.5 * rng.normal();
      ids.push(g);
    }
  }
  return { rows, ids };
}

describe('grouped rows above a test’s row cap', () => {
  it('whole-group subsample: a fixed number of whole groups per side from (N, G) alone', () => {
    // Reference 30 groups of 40 rows, target 10 of 40 + 10 of 2 (N = 1620, G = 50): k = ⌊200·50/1620⌋ = 6.
    const reference = Array.from({ length: 1200 }, (_, i) => Math.floor(i / 40));
    const target = [
      ...Array.from({ length: 400 }, (_, i) => Math.floor(i / 40)),
      ...Array.from({ length: 20 }, (_, i) => 100 + (i >> 1)),
    ];
    const kept = wholeGroupSubsample({ reference, target }, 200, createRng(3));
    if (!kept) throw new Error('expected a subsample');
    for (const [side, ids, rows] of [
      ['reference', reference, kept.reference],
      ['target', target, kept.target],
    ] as const) {
      const groups = new Set(Array.from(rows, (i) => ids[i]));
      expect(groups.size, side).toBe(6);
      // Every kept group is whole.
      for (const g of groups)
        expect(Array.from(rows).filter((i) => ids[i] === g).length).toBe(ids.filter((x) => x === g).length);
      expect(Array.from(rows)).toEqual(Array.from(rows).sort((a, b) => a - b));
    }
    expect(kept.groups.reference).toEqual(Array.from(kept.reference, (i) => reference[i]));
    // The count does not depend on which groups are on which side: swapping sides keeps k = 6 each.
    const swapped = wholeGroupSubsample({ reference: target, target: reference }, 200, createRng(3));
    expect(new Set(Array.from(swapped?.groups.reference ?? [])).size).toBe(6);
    expect(wholeGroupSubsample({ reference, target }, 2000, createRng(3))).toBeNull();
  });

  it('energy, Fréchet and centroid keep the groups whole past their caps (2,500 / 5,000 / 10,000 rows per side)', async () => {
    const rng = createRng('grouped-caps');
    const a = groupedRows(510, 20, 2, rng.fork('reference'));
    const b = groupedRows(30, 20, 2, rng.fork('target'));
    const suite = await runTestSuite(
      a.rows,
      b.rows,
      {
        tests: ['energy', 'frechet', 'centroid'],
        permutations: 19,
        alpha: 0.05,
        correction: 'holm',
        minEffect: null,
        groups: { reference: a.ids, target: b.ids },
      },
      createRng(9),
      silentProgress,
    );
    const kept = { energy: 125, frechet: 250, centroid: 500 } as const;
    for (const t of suite.tests) {
      expect(t.method, t.name).toMatch(/whole groups/);
      expect(t.details.groupsKept, t.name).toEqual({ reference: kept[t.name as keyof typeof kept], target: 30 });
    }
    expect(suite.warnings.filter((w) => /ran on whole groups/.test(w))).toHaveLength(3);
  });

  it('the exact MMD above the exact-test budget runs on whole groups; a budget of 0 still switches (and says the groups are ignored)', async () => {
    const rng = createRng('grouped-budget');
    const a = groupedRows(40, 10, 3, rng.fork('reference'));
    const b = groupedRows(40, 10, 3, rng.fork('target'));
    const options = {
      tests: ['mmd' as const],
      permutations: 49,
      alpha: 0.05,
      correction: 'holm' as const,
      minEffect: null,
      groups: { reference: a.ids, target: b.ids },
    };
    const small = await runTestSuite(
      a.rows,
      b.rows,
      { ...options, exactBudgetSeconds: 1e-3 },
      createRng(2),
      silentProgress,
    );
    expect(small.tests[0].name).toBe('mmd');
    expect(small.tests[0].method).toMatch(/whole groups/);
    expect(small.warnings.join(' ')).toMatch(/exceed the exact-test budget/);
    const zero = await runTestSuite(
      a.rows,
      b.rows,
      { ...options, exactBudgetSeconds: 0 },
      createRng(2),
      silentProgress,
    );
    expect(zero.tests[0].name).toBe('mmd-rff');
    expect(zero.warnings.join(' ')).toMatch(/ignores the groups/);
  });
});
