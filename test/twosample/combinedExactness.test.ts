/**
 * The suite's combined decision (decideSuite: weighted Westfall–Young over the joint tests, Holm with the others,
 * each joint test's final p = max(member's Holm-adjusted p, c · its own WY p)) is exact under no shift, not just
 * approximately: under the null the observed labelling is one of the B = P + 1 shared labellings, each equally
 * likely, so taking every labelling in turn as the observed one enumerates the null. The decision may reject for
 * at most ⌊αB⌋ of them, whatever the weights, the ties (discrete statistics such as KS D) and the dependence
 * between the tests. With tests outside the joint family (p-values uniform under the null), the family-wise error
 * over labellings × their p-values is at most α too.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import type { TwoSampleTestResult } from '../../src/twosample/detector.js';
import type { RecordedNull } from '../../src/twosample/permutationDesign.js';
import { permutationPValue } from '../../src/twosample/permutationDesign.js';
import { DEFAULT_JOINT_WEIGHTS, decideSuite } from '../../src/twosample/suite.js';

const B = 200;
const ALPHA = 0.05;
const NAMES = ['mmd', 'energy', 'ks-pca', 'c2st', 'frechet', 'centroid'];

function result(name: string, pValue: number): TwoSampleTestResult {
  return {
    name,
    label: name,
    statistic: 0,
    pValue,
    pValueAdjusted: null,
    effectSize: 0.1,
    effectSizeName: 'effect',
    shift: false,
    method: 'test',
    details: {},
    timingMs: 0,
  };
}

/** Six correlated statistics on B labellings; ks-pca and centroid rounded to a few values (many ties). */
function jointStatistics(seed: string): Float64Array[] {
  const rng = createRng(seed);
  const stats = NAMES.map(() => new Float64Array(B));
  for (let b = 0; b < B; b++) {
    const common = rng.normal();
    NAMES.forEach((name, t) => {
      const v = common + (0.3 + 0.4 * t) * rng.normal();
      stats[t][b] = name === 'ks-pca' ? Math.round(v * 2) : name === 'centroid' ? Math.round(v) : v;
    });
  }
  return stats;
}

/** The decision with labelling `observed` taken as the observed one (swapped into position 0). */
function decideAt(
  stats: Float64Array[],
  observed: number,
  weights: Readonly<Record<string, number>>,
  others: [string, number][] = [],
) {
  const joint = new Map<string, RecordedNull>();
  const tests: TwoSampleTestResult[] = [];
  NAMES.forEach((name, t) => {
    const s = Float64Array.from(stats[t]);
    [s[0], s[observed]] = [s[observed], s[0]];
    joint.set(name, { statistics: s, tolerance: 1e-12 });
    tests.push(result(name, permutationPValue(s, 1e-12)));
  });
  for (const [name, p] of others) tests.push(result(name, p));
  return decideSuite(tests, { alpha: ALPHA, correction: 'holm', minEffect: null, joint, jointWeights: weights });
}

describe('combined decision: exact family-wise error under no shift', () => {
  it.each([
    ['default weights', DEFAULT_JOINT_WEIGHTS],
    ['equal weights', {}],
    ['one test favoured', { c2st: 0.9, mmd: 0.02, 'ks-pca': 0.02, energy: 0.02, frechet: 0.02, centroid: 0.02 }],
  ])('%s: at most ⌊αB⌋ of the B labellings reject, ties included', (_, weights) => {
    for (const seed of ['exact-1', 'exact-2', 'exact-3']) {
      const stats = jointStatistics(seed);
      let rejections = 0;
      for (let observed = 0; observed < B; observed++) {
        const run = decideAt(stats, observed, weights);
        if (run.decision.shiftDetected) rejections++;
        // The combined p-value is the smallest adjusted p and agrees with the decision.
        expect(run.decision.shiftDetected).toBe((run.decision.combinedPValue as number) <= ALPHA);
      }
      expect(rejections).toBeLessThanOrEqual(Math.floor(ALPHA * B));
      // Not conservative either: correlated tests lose little (Bonferroni over six would allow ~1.7 of 200).
      expect(rejections).toBeGreaterThanOrEqual(5);
    }
  });

  it('with a test outside the joint family (Holm between the members), the error stays ≤ α', () => {
    const stats = jointStatistics('exact-mixed');
    // The outside test's p-value runs over a uniform grid, independent of the labelling.
    const grid = Array.from({ length: 20 }, (_, k) => (k + 1) / 20);
    let rejections = 0;
    for (let observed = 0; observed < B; observed++)
      for (const p of grid)
        if (decideAt(stats, observed, DEFAULT_JOINT_WEIGHTS, [['mmd-rff', p]]).decision.shiftDetected) rejections++;
    expect(rejections / (B * grid.length)).toBeLessThanOrEqual(ALPHA);
  });
});
