import { describe, expect, it } from 'vitest';
import type { LabelShiftResult } from '../../src/probe/labelShift.js';
import type { Interval, ProbeResult } from '../../src/probe/probeTypes.js';
import type { TwoSampleTestResult } from '../../src/twosample/detector.js';
import { DEFAULT_VERDICT_THRESHOLDS, decideVerdict, verdictReportsShift } from '../../src/verdict/decide.js';

function test(
  name: string,
  p: number | null,
  effect: number,
  shift: boolean,
  adjusted = p,
  minDetectableEffect?: number | null,
): TwoSampleTestResult {
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
    ...(minDetectableEffect === undefined ? {} : { minDetectableEffect }),
  };
}

const interval = (estimate: number, half = 0.03): Interval => ({
  estimate,
  lower: estimate - half,
  upper: estimate + half,
  level: 0.95,
});
const span = (estimate: number, lower: number, upper: number): Interval => ({ estimate, lower, upper, level: 0.95 });

interface ProbeSpec {
  ref?: number;
  refHalf?: number;
  refBaseline?: number;
  refN?: number;
  target?: number | null;
  gap?: Interval;
  gapHalf?: number;
  own?: number | null;
  ownHalf?: number;
  baseline?: number;
  separabilityGap?: Interval;
  n?: number;
  unseen?: number;
}

function probe(options: ProbeSpec): ProbeResult {
  const ref = options.ref ?? 0.92;
  const n = options.n ?? 400;
  const target = options.target === undefined ? 0.9 : options.target;
  const own = options.own === undefined ? 0.93 : options.own;
  return {
    classes: ['ham', 'spam'],
    labelMap: null,
    reference: {
      n: options.refN ?? 1000,
      folds: 5,
      accuracy: interval(ref, options.refHalf ?? 0.02),
      macroF1: interval(ref - 0.01),
      regularization: 0.01,
      converged: true,
      majorityBaseline: options.refBaseline ?? 0.5,
    },
    transfer:
      target === null
        ? null
        : {
            n,
            nExcludedUnseenClass: options.unseen ?? 0,
            unseenClasses: options.unseen ? ['neutral'] : [],
            accuracy: interval(target),
            macroF1: interval(target - 0.01),
            gap: options.gap ?? interval(ref - target, options.gapHalf ?? 0.035),
            confusion: {
              classes: ['ham', 'spam'],
              matrix: [
                [150, 50],
                [10, 190],
              ],
            },
          },
    targetOnly:
      own === null
        ? null
        : {
            n: n + (options.unseen ?? 0),
            folds: 5,
            accuracy: interval(own, options.ownHalf ?? 0.03),
            macroF1: interval(own - 0.01),
            majorityBaseline: options.baseline ?? 0.5,
            labelEfficiency: [
              { nLabels: 10, accuracy: 0.7, lower: 0.6, upper: 0.8 },
              { nLabels: 50, accuracy: 0.88, lower: 0.84, upper: 0.9 },
              { nLabels: 100, accuracy: 0.915, lower: 0.9, upper: 0.93 },
              { nLabels: 200, accuracy: 0.925, lower: 0.91, upper: 0.94 },
            ],
            ...(options.separabilityGap ? { separabilityGap: options.separabilityGap } : {}),
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
const large = { reference: 2000, target: 2000 };

function labelShift(options: { unseen?: number; p?: number; w?: number; nTarget?: number }): LabelShiftResult {
  const nTarget = options.nTarget ?? 400;
  const unseen = options.unseen ?? 0;
  return {
    classes: unseen ? ['ham', 'neutral', 'spam'] : ['ham', 'spam'],
    referenceCounts: { ham: 500, spam: 500 },
    targetCounts: unseen
      ? { ham: (nTarget - unseen) / 2, neutral: unseen, spam: (nTarget - unseen) / 2 }
      : { ham: nTarget / 2, spam: nTarget / 2 },
    nReference: 1000,
    nTarget,
    unseen: {
      classes: unseen ? [{ label: 'neutral', count: unseen }] : [],
      nRows: unseen,
      share: unseen / nTarget,
    },
    missingInTarget: [],
    test: {
      method: 'chi-square',
      statistic: 5,
      df: unseen ? 2 : 1,
      pValue: options.p ?? 0.6,
      replicates: null,
      minExpected: 60,
    },
    effectSize: options.w ?? 0.02,
    totalVariation: unseen / nTarget,
  };
}

describe('decideVerdict: no shift, and how small a shift could have been seen', () => {
  it('no shift at a large n → sameDistribution "of at least this size", quoting p-values and the detectable effects', () => {
    const tests = [test('mmd', 0.38, 0.001, false, 0.76, 0.02), test('c2st', 0.52, 0.01, false, 0.76, 0.045)];
    const v = decideVerdict({ tests, suite: quietSuite, probe: null, sampleSizes: large });
    expect(v.kind).toBe('sameDistribution');
    expect(v.shiftDetected).toBe(false);
    expect(v.headline).toBe(
      'No shift of at least negligible size detected: the target set measures generalisation for this representation.',
    );
    const text = v.reasons.join(' ');
    expect(v.reasons[0]).toMatch(/None of the 2 two-sample tests/);
    expect(text).toContain('p = 0.380');
    expect(text).toContain('(adjusted 0.760)');
    expect(text).toContain('MMD 0.020 (negligible on its 1-D scale); C2ST 0.045 (negligible)');
    expect(text).toContain(
      'with 2000 vs 2000 samples no test can detect a shift whose AUC − 0.5 is below 0.023 (negligible',
    );
    expect(v.sensitivity?.word).toBe('negligible');
    expect(v.sensitivity?.basis).toBe('c2st');
    // The word names the test whose own minimum detectable effect gave it.
    expect(text).toContain('no shift of at least negligible size (by c2st) was found');
    expect(v.thresholds).toMatchObject({
      alpha: 0.05,
      maxTransferGap: 0.05,
      maxSeparabilityGap: 0.05,
      minSeparableAccuracy: 0,
      minErrorReduction: 0,
    });
  });

  it('12 vs 12 with no rejection (max KS 0.667, AUC 0.77) → inconclusive, not a green "no shift"', () => {
    const tests = [test('ks-pca', 0.08, 0.667, false, 0.16), test('c2st', 0.09, 0.27, false, 0.16)];
    const v = decideVerdict({ tests, suite: quietSuite, probe: null, sampleSizes: { reference: 12, target: 12 } });
    expect(v.kind).toBe('inconclusive');
    expect(verdictReportsShift(v.kind)).toBe(false);
    expect(v.headline).toBe(
      'Inconclusive: no test detected a shift, but at 12 vs 12 samples only large shifts could have been detected.',
    );
    // (z.95 + z.8) · √(25 / 1728) = 0.29908 (scipy norm.ppf)
    expect(v.sensitivity?.rankBound?.minDetectableAucMinusHalf).toBeCloseTo(0.29907644376187326, 8);
    expect(v.reasons.join(' ')).toContain(
      'no shift of at least large size (by the sample-size bound) was found — and smaller ones could not have been',
    );
    expect(v.reasons.join(' ')).toContain('KS-PCA: p = 0.080 (adjusted 0.160), effect size 0.667 (large)');
    // 12 s² n² − 2n − 1 = 0 with s = 0.138 / (z.95 + z.8): n = 54.6 → 55
    expect(v.recommendation).toContain('at least about 55 per side');
    expect(v.recommendation).toContain('Do not read this as "no shift"');
  });

  it('grouped rows: the bound counts groups (31 vs 32 speeches), not their 600 passages', () => {
    const v = decideVerdict({
      tests: quietTests,
      suite: quietSuite,
      probe: null,
      sampleSizes: { reference: 12, target: 13, unit: 'groups' },
    });
    expect(v.kind).toBe('inconclusive');
    expect(v.headline).toContain('at 12 vs 13 groups only large shifts');
    expect(v.sensitivity?.rankBound?.unit).toBe('groups');
    const medium = decideVerdict({
      tests: quietTests,
      suite: quietSuite,
      probe: null,
      sampleSizes: { reference: 31, target: 32, unit: 'groups' },
    });
    expect(medium.sensitivity?.rankBound?.word).toBe('medium');
  });

  it('the tests’ own minimum detectable effects decide when they are large even at a large n', () => {
    const tests = [test('c2st', 0.4, 0.02, false, 0.8, 0.25), test('ks-pca', 0.5, 0.05, false, 0.8, 0.4)];
    const v = decideVerdict({ tests, suite: quietSuite, probe: null, sampleSizes: large });
    expect(v.kind).toBe('inconclusive');
    expect(v.sensitivity?.word).toBe('large');
    // A dimension-dependent scale (MMD) saying "small" does not lift it: its 1-D bands overstate sensitivity.
    const withMmd = [...tests, test('mmd', 0.3, 0.01, false, 0.8, 0.1)];
    expect(decideVerdict({ tests: withMmd, suite: quietSuite, probe: null, sampleSizes: large }).kind).toBe(
      'inconclusive',
    );
    const sensitive = [test('c2st', 0.4, 0.02, false, 0.8, 0.1), test('ks-pca', 0.5, 0.05, false, 0.8, 0.4)];
    const v2 = decideVerdict({ tests: sensitive, suite: quietSuite, probe: null, sampleSizes: large });
    expect(v2.kind).toBe('sameDistribution');
    expect(v2.headline).toMatch(/^No shift of at least small size detected/);
  });

  it('with the sample-size bound alone the verdict does not claim "no shift of at least this size"', () => {
    const v = decideVerdict({ tests: quietTests, suite: quietSuite, probe: null, sampleSizes: large });
    expect(v.kind).toBe('sameDistribution');
    expect(v.headline).toContain(
      'no test could see one below negligible size at this n; the tests did not report their own sensitivity',
    );
    expect(v.reasons.join(' ')).toContain('so this bound is optimistic');
    expect(v.reasons.join(' ')).not.toContain('no shift of at least');
  });

  it('without minimum detectable effects or sample sizes the sentence says the size is unknown', () => {
    const v = decideVerdict({ tests: quietTests, suite: quietSuite, probe: null });
    expect(v.kind).toBe('sameDistribution');
    expect(v.headline).toMatch(/how small a shift the tests could see is unknown/);
    expect(v.reasons.join(' ')).toContain('the smallest detectable shift is unknown');
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
      sampleSizes: { reference: 12, target: 12 },
    });
    expect(v.kind).toBe('sameDistribution');
    expect(v.headline).toMatch(/Statistically but not practically significant/);
    const text = v.reasons.join(' ');
    expect(text).toContain('below the minimum effect of 0.020');
    expect(text).toContain('MMD: p = 1.0e-4 (adjusted 2.0e-4), effect size 0.0040 (negligible on its 1-D scale)');
    expect(v.thresholds.minEffect).toBe(0.02);
  });

  it('no shift in the embeddings but a transfer gap wholly beyond tolerance → shiftRevisitData (labels differ)', () => {
    const v = decideVerdict({
      tests: quietTests,
      suite: quietSuite,
      probe: probe({ ref: 0.95, target: 0.6, own: 0.9 }),
      sampleSizes: large,
    });
    expect(v.kind).toBe('shiftRevisitData');
    expect(v.shiftDetected).toBe(false);
    expect(v.headline).toMatch(/labelled differently/);
  });
});

describe('decideVerdict: gaps on their intervals', () => {
  it('amazon → yelp (ref 79.9%, target-only 78.7%, baselines 50%, gap 5.9 [1.9, 9.3]) → shiftProbeSuffices, not revisit-data', () => {
    const p = probe({
      ref: 0.799,
      refHalf: 0.025,
      target: 0.74,
      gap: span(0.059, 0.019, 0.093),
      own: 0.787,
      ownHalf: 0.025,
      separabilityGap: span(0.012, -0.022, 0.047),
      n: 1000,
    });
    const v = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: p,
      sampleSizes: { reference: 1000, target: 1000 },
    });
    expect(v.kind).toBe('shiftProbeSuffices');
    expect(v.headline).toContain(
      "the target's labels are as linearly separable in this representation as the reference's",
    );
    const text = v.reasons.join(' ');
    expect(text).toContain(
      'a transfer gap of 5.9 points (95% CI 1.9 to 9.3); its interval straddles the acceptable 5.0 points',
    );
    expect(text).toContain('separability gap of 1.2 points (95% CI -2.2 to 4.7)');
    expect(text).toContain(
      "about as linearly separable in this representation as the reference's (whole interval ≤ 5.0 points)",
    );
    expect(v.separabilityDecision).toMatchObject({ status: 'within', beatsBaseline: 'yes' });
    expect(v.transferDecision?.status).toBe('undetermined');
    expect(v.recommendation).toContain('train the linear probe on target-like labelled data');
    expect(v.recommendation).toContain('loses 5.9 points');
  });

  it('a target more separable than the reference predicts (SpamAssassin easy-ham-2 + spam-2: −5.7 [−7.7, −3.7]) is "at least as separable"', () => {
    const p = probe({
      ref: 0.969,
      refBaseline: 0.835,
      target: 0.916,
      gap: span(0.053, 0.041, 0.065),
      own: 0.964,
      baseline: 0.501,
      separabilityGap: span(-0.057, -0.077, -0.037),
    });
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p });
    expect(v.kind).toBe('shiftProbeSuffices');
    // predicted at the target's balance: 0.501 + (0.969 − 0.835) / 0.165 · 0.499 = 90.6%
    expect(v.reasons.join(' ')).toContain('predicts 90.6% at the target');
    expect(v.reasons.join(' ')).toContain(
      "the target's labels are at least as linearly separable in this representation as the reference's",
    );
  });

  it('a gap of 1.9 [-2.0, 6.0] is not "within": undetermined, with the rows that would settle it', () => {
    const p = probe({ ref: 0.92, target: 0.901, gap: span(0.019, -0.02, 0.06), own: null });
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p, sampleSizes: large });
    expect(v.transferDecision?.status).toBe('undetermined');
    // h = 0.041, h_ref = 0.02, d = 0.031: n' = 400 · (0.041² − 0.02²) / (0.031² − 0.02²) = 913.4 → 920 (2 digits up)
    expect(v.transferDecision?.targetRowsToSettle).toBe(920);
    expect(v.reasons.join(' ')).toContain(
      'about 920 labelled target rows in all (400 now) would settle it if the estimate holds',
    );
    expect(v.reasons.join(' ')).not.toContain('within the acceptable');
    expect(v.kind).toBe('shiftNoLabels');
    expect(v.headline).toContain('cannot yet tell whether a linear probe suffices (about 920 would)');
  });

  it('12 vs 12 rows, gap −25 [−58, 17]: never "within"; with no rejection the verdict is inconclusive', () => {
    const p = probe({
      ref: 0.5,
      refHalf: 0.29,
      refN: 12,
      target: 0.75,
      gap: span(-0.25, -0.583, 0.167),
      own: 0.58,
      ownHalf: 0.29,
      n: 12,
    });
    const tests = [test('ks-pca', 0.08, 0.667, false, 0.16), test('c2st', 0.09, 0.27, false, 0.16)];
    const v = decideVerdict({ tests, suite: quietSuite, probe: p, sampleSizes: { reference: 12, target: 12 } });
    expect(v.kind).toBe('inconclusive');
    expect(v.transferDecision?.status).toBe('undetermined');
    const text = v.reasons.join(' ');
    expect(text).toContain(
      'a transfer gap of -25.0 points (95% CI -58.3 to 16.7); its interval straddles the acceptable 5.0 points',
    );
    expect(text).not.toContain('within the acceptable');
    expect(text).toContain('Only 12 target rows are labelled, fewer than the 50');
    // With a shift detected the same numbers ask for labels instead of deciding.
    expect(decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p }).kind).toBe('shiftNoLabels');
  });

  it('shift + gap wholly within tolerance → shiftProbeSuffices (the reference probe transfers)', () => {
    const p = probe({ ref: 0.92, target: 0.91, gapHalf: 0.02, own: 0.85, ownHalf: 0.04 });
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p });
    expect(v.transferDecision?.status).toBe('within');
    expect(v.kind).toBe('shiftProbeSuffices');
    expect(v.headline).toContain('the reference-trained linear probe transfers');
    expect(v.reasons.join(' ')).toContain('its whole interval is within the acceptable 5.0 points');
    expect(v.recommendation).toMatch(/fine-tuning on the reference is not needed/);
  });

  it('noisy target labels (own probe 62% vs reference 92%, baselines 50%) → shiftRevisitData, suggesting relabelling', () => {
    const p = probe({ ref: 0.92, target: 0.62, own: 0.62 });
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p });
    expect(v.kind).toBe('shiftRevisitData');
    expect(v.separabilityDecision?.status).toBe('beyond');
    expect(v.reasons.join(' ')).toContain(
      "the target's labels are less separable in this representation than the reference's",
    );
    expect(v.recommendation).toContain('true "ham" predicted as "spam" (50 rows)');
    expect(v.recommendation).toContain('relabel a sample and measure agreement');
  });

  it('separability is judged at the target’s class balance: the reference’s error reduction carried over', () => {
    // Predicted at the target's balance: 0.85 + 0.9 · 0.15 = 0.985; gap 4.5 points ± 4.3 → undetermined.
    const p = probe({ ref: 0.95, target: 0.85, own: 0.94, baseline: 0.85 });
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p });
    expect(v.reasons.join(' ')).toContain('predicts 98.5% at the target');
    expect(v.separabilityDecision?.status).toBe('undetermined');
    // Barely above a lopsided baseline (predicted 98.6%, own 88%): confidently less separable than the reference.
    const barely = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: probe({ ref: 0.95, target: 0.85, own: 0.88, baseline: 0.86 }),
    });
    expect(barely.kind).toBe('shiftRevisitData');
  });

  it('a target probe no better than its majority baseline is not separable, whatever the gap', () => {
    const p = probe({ ref: 0.6, target: 0.5, own: 0.5, ownHalf: 0.02, baseline: 0.55, refBaseline: 0.5 });
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p });
    expect(v.separabilityDecision?.beatsBaseline).toBe('no');
    expect(v.kind).toBe('shiftRevisitData');
    expect(v.reasons.join(' ')).toContain('no better than always predicting the majority class');
  });

  it('absolute floors stay available and overridable (--min-separable-accuracy): the default does not use one', () => {
    const p = probe({
      ref: 0.799,
      target: 0.74,
      gap: span(0.059, 0.019, 0.093),
      own: 0.787,
      separabilityGap: span(0.012, -0.022, 0.047),
    });
    expect(decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p }).kind).toBe('shiftProbeSuffices');
    const strict = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: p,
      thresholds: { minSeparableAccuracy: 0.8 },
    });
    expect(strict.kind).toBe('shiftRevisitData');
    expect(strict.thresholds.minSeparableAccuracy).toBe(0.8);
    expect(strict.reasons.join(' ')).toContain('The absolute floor set for separability (≥ 80.0% accuracy) is not met');
    const lenient = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: p,
      thresholds: { maxSeparabilityGap: 0.01 },
    });
    expect(lenient.separabilityDecision?.status).toBe('undetermined');
    expect(lenient.thresholds.maxTransferGap).toBe(DEFAULT_VERDICT_THRESHOLDS.maxTransferGap);
    expect(() =>
      decideVerdict({ tests: [], suite: quietSuite, probe: null, thresholds: { maxSeparabilityGap: 2 } }),
    ).toThrow(/maxSeparabilityGap/);
  });

  it('shift without target labels → shiftNoLabels, saying which labels would decide it', () => {
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: probe({ target: null, own: null }) });
    expect(v.kind).toBe('shiftNoLabels');
    expect(v.reasons.join(' ')).toContain('the transfer gap is unknown');
    expect(v.recommendation).toContain('at least 200 target texts');
    expect(v.recommendation).toContain("about as accurate as the reference's own (separability gap ≤ 5.0 points");
    expect(decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: null }).kind).toBe('shiftNoLabels');
  });

  it('too few target labels → shiftNoLabels, and the count is quoted', () => {
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: probe({ n: 30 }) });
    expect(v.kind).toBe('shiftNoLabels');
    expect(v.reasons.join(' ')).toContain('Only 30 target rows are labelled, fewer than the 50');
  });
});

describe('decideVerdict: label shift is a shift of its own', () => {
  it('25% of target rows carry a class the reference never has → not sameDistribution, even with overlapping embeddings', () => {
    const labels = labelShift({ unseen: 100, p: 1e-20, w: 0.38 });
    const v = decideVerdict({
      tests: quietTests,
      suite: quietSuite,
      probe: null,
      labelShift: labels,
      sampleSizes: large,
    });
    expect(v.kind).not.toBe('sameDistribution');
    expect(v.kind).toBe('shiftNoLabels');
    expect(v.labelShiftDetected).toBe(true);
    expect(verdictReportsShift(v.kind)).toBe(true);
    expect(v.headline).toMatch(/^Label shift detected \(new target classes\)/);
    const text = v.reasons.join(' ');
    expect(text).toContain(
      '25.0% of the labelled target rows (100 of 400) carry classes the reference never has ("neutral": 100)',
    );
    expect(text).toContain("Cohen's w = 0.380 (medium)");
    // With a target-only probe as separable as the reference's, a target-trained probe suffices, new classes included.
    const p = probe({ unseen: 100, own: 0.92, separabilityGap: span(0, -0.03, 0.03) });
    const withProbe = decideVerdict({
      tests: quietTests,
      suite: quietSuite,
      probe: p,
      labelShift: labels,
      sampleSizes: large,
    });
    expect(withProbe.kind).toBe('shiftProbeSuffices');
    expect(withProbe.recommendation).toContain(
      'The reference probe cannot predict the target classes the reference lacks',
    );
  });

  it('a new class stops "the reference probe transfers" from deciding on its own', () => {
    const p = probe({
      unseen: 100,
      target: 0.91,
      gapHalf: 0.02,
      own: 0.8,
      ownHalf: 0.04,
      separabilityGap: span(0.1, 0.05, 0.15),
    });
    const v = decideVerdict({
      tests: shiftedTests,
      suite: shiftSuite,
      probe: p,
      labelShift: labelShift({ unseen: 100, p: 1e-20 }),
    });
    expect(v.transferDecision?.status).toBe('within');
    expect(v.kind).not.toBe('shiftProbeSuffices');
  });

  it('different label proportions (p ≤ α) are a label shift; consistent ones are said so', () => {
    const differ = decideVerdict({
      tests: quietTests,
      suite: quietSuite,
      probe: null,
      labelShift: labelShift({ p: 0.001, w: 0.2 }),
      sampleSizes: large,
    });
    expect(differ.labelShiftDetected).toBe(true);
    expect(differ.headline).toMatch(/^Label shift detected \(different label proportions\)/);
    expect(differ.reasons.join(' ')).toContain(
      'The label proportions differ between the sets (χ² = 5.000, df = 1, p = 0.0010',
    );
    const same = decideVerdict({
      tests: quietTests,
      suite: quietSuite,
      probe: null,
      labelShift: labelShift({ p: 0.6 }),
      sampleSizes: large,
    });
    expect(same.labelShiftDetected).toBe(false);
    expect(same.kind).toBe('sameDistribution');
    expect(same.reasons.join(' ')).toContain("The label proportions are consistent with the reference's at α = 0.05");
  });

  it('--min-effect label-proportions=… filters a significant but tiny proportion change', () => {
    const suite = { ...quietSuite, minEffect: { 'label-proportions': 0.1 } };
    const v = decideVerdict({
      tests: quietTests,
      suite,
      probe: null,
      labelShift: labelShift({ p: 0.001, w: 0.05 }),
      sampleSizes: large,
    });
    expect(v.labelShiftDetected).toBe(false);
  });
});

describe('decideVerdict: effect sizes in words', () => {
  it('names each effect with its band and the size of the shift', () => {
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: null });
    const text = v.reasons.join(' ');
    expect(text).toContain('C2ST: p = 4.0e-4 (adjusted 0.0016), effect size 0.210 (medium)');
    // One lead sentence names the tests and quotes only the strongest; the table holds the rest.
    expect(v.reasons[0]).toBe(
      "2 of 3 two-sample tests detected a shift at family-wise α = 0.05 (MMD, C2ST); the strongest is C2ST: p = 4.0e-4 (adjusted 0.0016), effect size 0.210 (medium). Every test's p-value and effect size is in the test table.",
    );
    expect(text).not.toContain('MMD: p =');
    expect(text).toContain('Not significant: KS-PCA.');
    expect(text).toContain('Size of the shift in the embeddings: medium by C2ST (effect = 0.210).');
    expect(v.headline).toMatch(/^Shift detected \(medium\)/);
    expect(v.effects).toEqual([
      { name: 'mmd', effectSize: 0.12, word: 'small' },
      { name: 'c2st', effectSize: 0.21, word: 'medium' },
      { name: 'ks-pca', effectSize: 0.05, word: 'negligible' },
      { name: 'frechet', effectSize: 1.7, word: 'large' },
    ]);
  });

  it('unseen target classes are mentioned with their count; probe notes pass through', () => {
    const p = probe({ unseen: 12 });
    p.notes = ['The reference has a single class ("ham"): its probe can only predict that class.'];
    const v = decideVerdict({ tests: shiftedTests, suite: shiftSuite, probe: p });
    expect(v.reasons.join(' ')).toContain('12 labelled target rows of classes the reference never saw ("neutral")');
    expect(v.reasons).toContain(p.notes[0]);
  });
});
