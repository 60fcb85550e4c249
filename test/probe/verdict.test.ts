import { describe, expect, it } from 'vitest';
import type { Interval, ProbeResult } from '../../src/probe/probeTypes.js';
import type { TwoSampleTestResult } from '../../src/twosample/detector.js';
import { DEFAULT_VERDICT_THRESHOLDS, decideVerdict } from '../../src/verdict/decide.js';

function test(name: string, p: number | null, effect: number, shift: boolean, adjusted = p): TwoSampleTestResult {
  return {
    name,
    label: name.toUpperCase(),
    statistic: effect,
    pValue: p,
    effectSize: effect,
    effectSizeName: 'effect',
    shift,
    pValueAdjusted: adjusted,
    method: 'test fixture',
    details: {},
    timingMs: 0,
  };
}

const interval = (estimate: number, half = 0.03): Interval => ({
  estimate,
  lower: estimate - half,
  upper: estimate + half,
  level: 0.95,
});

function probe(options: {
  ref?: number;
  target?: number | null;
  gapHalf?: number;
  own?: number | null;
  baseline?: number;
  n?: number;
}): ProbeResult {
  const ref = options.ref ?? 0.92;
  const n = options.n ?? 400;
  const target = options.target === undefined ? 0.9 : options.target;
  return {
    classes: ['ham', 'spam'],
    labelMap: null,
    reference: {
      n: 1000,
      folds: 5,
      accuracy: interval(ref, 0.02),
      macroF1: interval(ref - 0.01),
      regularization: 0.01,
      converged: true,
    },
    transfer:
      target === null
        ? null
        : {
            n,
            nExcludedUnseenClass: 0,
            unseenClasses: [],
            accuracy: interval(target),
            macroF1: interval(target - 0.01),
            gap: interval(ref - target, options.gapHalf ?? 0.035),
            confusion: {
              classes: ['ham', 'spam'],
              matrix: [
                [150, 50],
                [10, 190],
              ],
            },
          },
    targetOnly:
      options.own === null
        ? null
        : {
            n,
            folds: 5,
            accuracy: interval(options.own ?? 0.93),
            macroF1: interval((options.own ?? 0.93) - 0.01),
            majorityBaseline: options.baseline ?? 0.5,
            labelEfficiency: [
              { nLabels: 10, accuracy: 0.7, lower: 0.6, upper: 0.8 },
              { nLabels: 50, accuracy: 0.88, lower: 0.84, upper: 0.9 },
              { nLabels: 100, accuracy: 0.915, lower: 0.9, upper: 0.93 },
              { nLabels: 200, accuracy: 0.925, lower: 0.91, upper: 0.94 },
            ],
          },
  };
}

const shiftSuite = {
  alpha: 0.05,
  shiftDetected: true,
  statisticallySignificant: true,
  practicallySignificant: true,
  minEffect: null,
};
const quietSuite = {
  alpha: 0.05,
  shiftDetected: false,
  statisticallySignificant: false,
  practicallySignificant: false,
  minEffect: null,
};
const shiftedTests = [
  test('mmd', 0.001, 0.12, true, 0.003),
  test('c2st', 0.0004, 0.21, true, 0.0016),
  test('ks-pca', 0.41, 0.05, false, 0.41),
  test('frechet', null, 1.7, false),
];
const quietTests = [test('mmd', 0.38, 0.001, false, 0.76), test('c2st', 0.52, 0.01, false, 0.76)];

describe('decideVerdict', () => {
  it('no shift → sameDistribution, quoting the p-values', () => {
    const v = decideVerdict({ tests: quietTests, suite: quietSuite, probe: null });
    expect(v.kind).toBe('sameDistribution');
    expect(v.shiftDetected).toBe(false);
    expect(v.headline).toMatch(/measures generalisation/);
    expect(v.reasons[0]).toMatch(/None of the 2 two-sample tests/);
    expect(v.reasons.join(' ')).toContain('p = 0.380');
    expect(v.reasons.join(' ')).toContain('(adjusted 0.760)');
    expect(v.thresholds).toMatchObject({
      alpha: 0.05,
      maxTransferGap: 0.05,
      minSeparableAccuracy: 0.8,
      minErrorReduction: 0.5,
    });
  });

  it('significant but below min-effect → sameDistribution with "statistically but not practically"', () => {
    const tests = [test('mmd', 0.0001, 0.004, false, 0.0002), test('c2st', 0.3, 0.01, false)];
    const v = decideVerdict({
      tests,
      probe: null,
      suite: {
        alpha: 0.05,
        shiftDetected: false,
        statisticallySignificant: true,
        practicallySignificant: false,
        minEffect: 0.02,
      },
    });
    expect(v.kind).toBe('sameDistribution');
    expect(v.headline).toMatch(/Statistically but not practically significant/);
    const text = v.reasons.join(' ');
    expect(text).toContain('below the minimum effect of 0.020');
    expect(text).toContain('MMD: p = 1.0e-4 (adjusted 2.0e-4), effect size 0.0040');
    expect(v.thresholds.minEffect).toBe(0.02);
  });

  it('shift + small transfer gap + separable target → shiftProbeSuffices, with the numbers', () => {
    const v = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: probe({ ref: 0.92, target: 0.9, own: 0.93 }),
    });
    expect(v.kind).toBe('shiftProbeSuffices');
    const text = v.reasons.join(' ');
    expect(text).toContain(
      '2 of 3 two-sample tests detected a shift at family-wise α = 0.05: MMD: p = 0.0010 (adjusted 0.0030), effect size 0.120; C2ST',
    );
    expect(text).toContain('C2ST: p = 4.0e-4 (adjusted 0.0016), effect size 0.210');
    expect(text).toContain('Not significant: KS-PCA: p = 0.410, effect size 0.050.');
    expect(text).toContain('Effect sizes without a test: FRECHET: effect = 1.700.');
    expect(text).toContain('92.0% (95% CI 90.0%–94.0%)');
    expect(text).toContain('a transfer gap of 2.0 points (95% CI -1.5 to 5.5), within the acceptable 5.0 points');
    expect(text).toContain(
      "93.0% (95% CI 90.0%–96.0%) against a majority-class baseline of 50.0%, removing 86.0% of the baseline's errors: the target's labels are linearly separable",
    );
    expect(text).toContain('reaches 91.5% with 100 target labels');
    expect(v.recommendation).toMatch(/linear probe/);
    expect(v.recommendation).toMatch(/fine-tuning/);
  });

  it('shift + large gap but separable target → shiftProbeSuffices with a target-label recommendation', () => {
    const v = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: probe({ ref: 0.95, target: 0.8, own: 0.9 }),
    });
    expect(v.kind).toBe('shiftProbeSuffices');
    expect(v.reasons.join(' ')).toContain(
      'a transfer gap of 15.0 points (95% CI 11.5 to 18.5), beyond the acceptable 5.0 points',
    );
    expect(v.recommendation).toContain('about 100 labels reach 91.5%');
    expect(v.recommendation).toContain('loses 15.0 points');
  });

  it('shift + poor separability → shiftRevisitData, naming the main confusion', () => {
    const v = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: probe({ ref: 0.95, target: 0.7, own: 0.72, baseline: 0.65 }),
    });
    expect(v.kind).toBe('shiftRevisitData');
    expect(v.reasons.join(' ')).toContain('not separable enough in this representation by the thresholds');
    expect(v.reasons.join(' ')).toContain("removing 20.0% of the baseline's errors");
    expect(v.recommendation).toContain('true "ham" predicted as "spam" (50 rows)');
  });

  it('a high target-only accuracy that barely beats a lopsided baseline is not "separable"; one that removes most errors is', () => {
    const barely = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: probe({ ref: 0.95, target: 0.85, own: 0.9, baseline: 0.86 }),
    });
    expect(barely.kind).toBe('shiftRevisitData');
    expect(barely.reasons.join(' ')).toContain("removing 28.6% of the baseline's errors");
    // 94 % against an 85 % baseline: 60 % of the errors removed although the margin is only 9 points.
    const lopsided = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: probe({ ref: 0.95, target: 0.85, own: 0.94, baseline: 0.85 }),
    });
    expect(lopsided.kind).toBe('shiftProbeSuffices');
  });

  it('shift without target labels → shiftNoLabels, saying which labels would decide it', () => {
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: probe({ target: null, own: null }) });
    expect(v.kind).toBe('shiftNoLabels');
    expect(v.reasons.join(' ')).toContain('the transfer gap is unknown');
    expect(v.recommendation).toContain('at least 200 target texts');
    expect(v.recommendation).toContain("≥ 80.0% accuracy and removes ≥ 50.0% of the majority-class baseline's errors");
    expect(decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: null }).kind).toBe('shiftNoLabels');
  });

  it('too few target labels → shiftNoLabels, and the count is quoted', () => {
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: probe({ n: 30 }) });
    expect(v.kind).toBe('shiftNoLabels');
    expect(v.reasons.join(' ')).toContain('Only 30 target rows are labelled, fewer than the 50');
  });

  it('no shift in the embeddings but a confidently large gap → shiftRevisitData (labels differ)', () => {
    const v = decideVerdict({
      tests: quietTests,
      suite: quietSuite,
      probe: probe({ ref: 0.95, target: 0.6, own: 0.9 }),
    });
    expect(v.kind).toBe('shiftRevisitData');
    expect(v.shiftDetected).toBe(false);
    expect(v.headline).toMatch(/labelled differently/);
  });

  it('thresholds are overridable and quoted', () => {
    const p = probe({ ref: 0.92, target: 0.85, own: 0.75 });
    expect(decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p }).kind).toBe('shiftRevisitData');
    const lenient = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: p,
      thresholds: { minSeparableAccuracy: 0.7 },
    });
    expect(lenient.kind).toBe('shiftProbeSuffices');
    expect(lenient.thresholds.minSeparableAccuracy).toBe(0.7);
    expect(lenient.thresholds.maxTransferGap).toBe(DEFAULT_VERDICT_THRESHOLDS.maxTransferGap);
    expect(() =>
      decideVerdict({ tests: [], suite: quietSuite, probe: null, thresholds: { maxTransferGap: 2 } }),
    ).toThrow(/maxTransferGap/);
  });

  it('unseen target classes are mentioned with their count', () => {
    const p = probe({});
    p.transfer!.nExcludedUnseenClass = 12;
    p.transfer!.unseenClasses = ['neutral'];
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p });
    expect(v.reasons.join(' ')).toContain('12 labelled target rows of classes the reference never saw ("neutral")');
  });
});

describe('decideVerdict with probe notes', () => {
  it("passes the probe's notes on degenerate cases through as reasons", () => {
    const p = probe({});
    p.notes = ['The reference has a single class ("ham"): its probe can only predict that class.'];
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p });
    expect(v.reasons).toContain(p.notes[0]);
  });
});
