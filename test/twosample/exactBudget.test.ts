import { describe, expect, it } from 'vitest';
import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { runTestSuite, type SuiteOptions } from '../../src/pipeline/testSuite.js';
import {
  chooseExact,
  D_NS,
  DEFAULT_EXACT_BUDGET_SECONDS,
  ENTRY_NS,
  estimateExactSeconds,
  LABELLING_NS,
} from '../../src/twosample/kernels/exactBudget.js';
import { mmdSpec } from '../../src/twosample/mmd.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';
import { addressSplit, loadSotuAddresses } from '../stats/groupedHelpers.js';

describe('exact-test time estimate and budget choice', () => {
  it('estimate: N²·(entry + d + P + 2 columns) at the fitted per-entry costs', () => {
    expect(estimateExactSeconds(1000, 100, 98)).toBeCloseTo(
      1e6 * (ENTRY_NS + 100 * D_NS + 100 * LABELLING_NS) * 1e-9,
      12,
    );
    // Quadratic in N, linear in d and P.
    expect(estimateExactSeconds(2000, 384, 1000) / estimateExactSeconds(1000, 384, 1000)).toBeCloseTo(4, 10);
    expect(estimateExactSeconds(1000, 768, 1000)).toBeGreaterThan(estimateExactSeconds(1000, 384, 1000));
    expect(estimateExactSeconds(1000, 384, 2000)).toBeGreaterThan(estimateExactSeconds(1000, 384, 1000));
    // 200k rows with 10,000 permutations: the indicators take 15 passes of the 1 GiB plan (670 labellings each).
    const n = 200_000;
    expect(estimateExactSeconds(n, 384, 10_000)).toBeCloseTo(
      n * n * (15 * (ENTRY_NS + 384 * D_NS) + (10_001 + 15) * LABELLING_NS) * 1e-9,
      6,
    );
  });

  it('the default budget runs the exact MMD on 25k-pooled × 384 but not on 100k vs 100k', () => {
    expect(chooseExact(25_000, 384, 1000, DEFAULT_EXACT_BUDGET_SECONDS).exact).toBe(true);
    const big = chooseExact(200_000, 384, 1000, DEFAULT_EXACT_BUDGET_SECONDS);
    expect(big.exact).toBe(false);
    expect(big.note).toMatch(/^200000 samples in all: MMD uses the linear-time random-feature test/);
    expect(big.note).toMatch(/--exact-budget/);
    expect(big.note).toMatch(/about \d+ (min|h)/);
  });

  it('exact exactly when the estimate is within the budget; 0 never; negative refused', () => {
    const t = estimateExactSeconds(40_000, 384, 1000);
    expect(chooseExact(40_000, 384, 1000, t)).toMatchObject({ exact: true, note: null, estimatedSeconds: t });
    expect(chooseExact(40_000, 384, 1000, t * 0.999).exact).toBe(false);
    expect(chooseExact(10, 2, 19, 0).exact).toBe(false);
    expect(() => chooseExact(10, 2, 19, -1)).toThrow(RangeError);
    expect(() => chooseExact(10, 2, 19, Number.NaN)).toThrow(RangeError);
  });

  it("the mmd spec's suite hint uses the same choice", () => {
    const when = mmdSpec.suite?.above?.when;
    expect(when?.({ pooled: 200_000, dims: 384, permutations: 1000, exactBudgetSeconds: 60 })).toBe(
      chooseExact(200_000, 384, 1000, 60).note,
    );
    expect(when?.({ pooled: 2000, dims: 384, permutations: 1000, exactBudgetSeconds: 60 })).toBeNull();
  });
});

describe('the suite picks exact or linear-time MMD by the budget', () => {
  const take = (m: Matrix, rows: number, from: number): Matrix =>
    createMatrix(rows, m.cols, m.data.slice(from * m.cols, (from + rows) * m.cols));
  const base: SuiteOptions = {
    tests: ['mmd', 'centroid'],
    permutations: 99,
    alpha: 0.05,
    correction: 'holm',
    minEffect: null,
    checkClustering: false,
  };

  it('real embeddings (easy-ham-1 vs spam-2): exact within the budget, random features and a warning at budget 0', async () => {
    const reference = take(await loadRealEmbeddings('easy-ham-1'), 150, 0);
    const target = take(await loadRealEmbeddings('spam-2'), 150, 0);
    const exact = await runTestSuite(reference, target, base, createRng(3), silentProgress);
    const mmd = exact.tests.find((t) => t.name === 'mmd');
    expect(mmd?.details.exactBudgetSeconds).toBe(DEFAULT_EXACT_BUDGET_SECONDS);
    expect(mmd?.details.exactEstimatedSeconds).toBeCloseTo(estimateExactSeconds(300, reference.cols, 99), 12);
    expect(exact.warnings.join(' ')).not.toMatch(/linear-time/);
    // The permutation tests shared labellings: both recorded their nulls on them.
    expect([...exact.jointNulls.keys()].sort()).toEqual(['centroid', 'mmd']);
    // Ham vs spam is a clear shift.
    expect(mmd?.pValue).toBe(0.01);

    const linear = await runTestSuite(
      reference,
      target,
      { ...base, exactBudgetSeconds: 0 },
      createRng(3),
      silentProgress,
    );
    expect(linear.tests.map((t) => t.name)).toContain('mmd-rff');
    expect(linear.tests.map((t) => t.name)).not.toContain('mmd');
    expect(linear.warnings.find((w) => /linear-time random-feature/.test(w))).toMatch(/exact-test budget of 0/);
    expect(linear.jointNulls.size).toBe(0);
    expect(linear.tests.find((t) => t.name === 'mmd-rff')?.details.exactBudgetSeconds).toBe(0);
  });

  it('grouped rows (SOTU addresses): past the budget the exact MMD runs on whole groups; only a budget of 0 takes the linear-time one, which says it ignores the groups', async () => {
    const corpus = await loadSotuAddresses('1946-1989');
    const split = addressSplit(corpus, 6, 5, createRng('budget-split'));
    const grouped = { ...base, groups: split.groups };
    const exact = await runTestSuite(split.reference, split.target, grouped, createRng(1), silentProgress);
    expect(exact.decision.groups).toEqual({ reference: 6, target: 6 });
    expect(exact.tests.find((t) => t.name === 'mmd')?.method).toMatch(/whole groups/);
    const linear = await runTestSuite(
      split.reference,
      split.target,
      { ...grouped, exactBudgetSeconds: 0 },
      createRng(1),
      silentProgress,
    );
    // The other tests still move whole groups; the linear-time MMD says its p-value ignores them.
    expect(linear.decision.groups).toEqual({ reference: 6, target: 6 });
    expect(linear.tests.map((t) => t.name)).toEqual(['mmd-rff', 'centroid']);
    expect(linear.tests[1].method).toMatch(/whole groups/);
    expect(linear.warnings.join(' ')).toMatch(/mmd-rff treats rows as independent, so its p-value ignores the groups/);
    const small = await runTestSuite(
      split.reference,
      split.target,
      { ...grouped, exactBudgetSeconds: 1e-6 },
      createRng(1),
      silentProgress,
    );
    expect(small.tests[0].name).toBe('mmd');
    expect(small.tests[0].method).toMatch(/whole groups/);
    expect(small.tests[0].details.groupsKept).toEqual({ reference: 2, target: 2 });
  });
});
