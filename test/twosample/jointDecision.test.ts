/** The suite's decision with a joint family: weighted Westfall–Young inside, Holm/Bonferroni with the other tests. */
import { describe, expect, it } from 'vitest';
import type { TwoSampleTestResult } from '../../src/twosample/detector.js';
import type { RecordedNull } from '../../src/twosample/permutationDesign.js';
import { westfallYoungAdjust } from '../../src/twosample/pvalues/westfallYoung.js';
import { decideSuite } from '../../src/twosample/suite.js';

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

// 20 labellings (observed first): mmd's observed is the 2nd largest, c2st's the largest.
const mmd = Float64Array.from([9, 10, ...Array.from({ length: 18 }, (_, i) => i * 0.1)]);
const c2st = Float64Array.from([10, 3, ...Array.from({ length: 18 }, (_, i) => i * 0.2)]);
const joint = new Map<string, RecordedNull>([
  ['mmd', { statistics: mmd, tolerance: 0 }],
  ['c2st', { statistics: c2st, tolerance: 0 }],
]);
const tests = [result('mmd', 0.1), result('c2st', 0.05), result('ks-pca', 0.2)];

describe('decideSuite with a joint family', () => {
  it('adjusts the joint tests by Westfall–Young and combines the family with the rest by Holm', () => {
    const run = decideSuite(tests, { alpha: 0.1, correction: 'holm', minEffect: null, joint, jointWeights: {} });
    expect(run.decision.jointTests).toEqual(['mmd', 'c2st']);
    const wy = westfallYoungAdjust([
      { name: 'mmd', statistics: mmd, tolerance: 0 },
      { name: 'c2st', statistics: c2st, tolerance: 0 },
    ]).adjusted;
    // Members: joint min(wy) and ks-pca 0.2; Holm: the joint member first (×2), ks-pca ×1.
    const familyP = Math.min(...wy);
    const byName = Object.fromEntries(run.tests.map((t) => [t.name, t.pValueAdjusted as number]));
    expect(byName.c2st).toBeCloseTo(Math.max(2 * familyP, 2 * wy[1]), 12);
    expect(byName.mmd).toBeCloseTo(Math.min(1, Math.max(2 * familyP, 2 * wy[0])), 12);
    expect(byName['ks-pca']).toBeCloseTo(Math.max(2 * familyP, 0.2), 12);
    expect(run.decision.combinedPValue).toBeCloseTo(Math.min(...Object.values(byName)), 12);
    expect(run.decision.method).toMatch(/Westfall–Young .* then Holm over that family and ks-pca/);
    for (const t of run.tests) expect(t.pValueAdjusted as number).toBeGreaterThanOrEqual(t.pValue as number);
  });

  it('weights move α towards the favoured test', () => {
    const equal = decideSuite(tests, { alpha: 0.1, correction: 'holm', minEffect: null, joint, jointWeights: {} });
    const favourC2st = decideSuite(tests, {
      alpha: 0.1,
      correction: 'holm',
      minEffect: null,
      joint,
      jointWeights: { c2st: 0.9, mmd: 0.1 },
    });
    const pOf = (run: typeof equal, name: string) => run.tests.find((t) => t.name === name)?.pValueAdjusted as number;
    expect(pOf(favourC2st, 'c2st')).toBeLessThanOrEqual(pOf(equal, 'c2st'));
    expect(pOf(favourC2st, 'mmd')).toBeGreaterThanOrEqual(pOf(equal, 'mmd'));
  });

  it('without a joint family it is plain Holm', () => {
    const run = decideSuite(tests, { alpha: 0.1, correction: 'holm', minEffect: null });
    expect(run.decision.jointTests).toEqual([]);
    // Sorted 0.05 ×3, 0.1 ×2, 0.2 ×1 → c2st 0.15, mmd 0.2, ks-pca 0.2.
    [0.2, 0.15, 0.2].forEach((p, i) => expect(run.tests[i].pValueAdjusted).toBeCloseTo(p, 12));
  });
});
