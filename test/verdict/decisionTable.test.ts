/**
 * The decision table as unit tests of the rules: one constructed result per case with a known right answer
 * (the real-data run of the same cases is bench/decisionTable.ts, docs/BENCHMARKS.md).
 */
import { describe, expect, it } from 'vitest';
import type { LabelShiftResult } from '../../src/probe/labelShift.js';
import type { Interval, ProbeResult, VerdictKind } from '../../src/probe/probeTypes.js';
import type { TwoSampleTestResult } from '../../src/twosample/detector.js';
import { decideVerdict, type VerdictInput } from '../../src/verdict/decide.js';

const span = (estimate: number, lower: number, upper: number): Interval => ({ estimate, lower, upper, level: 0.95 });
const around = (x: number, h: number) => span(x, x - h, x + h);

function tests(reject: boolean, n: number): TwoSampleTestResult[] {
  // Minimum detectable AUC − 0.5 and KS D from the rank-test and KS scalings, enough for the rules.
  const aucMde = 2.5 * Math.sqrt((2 * n + 1) / (12 * n * n));
  const ksMde = 2.5 * Math.sqrt(2 / n);
  const t = (name: string, effect: number, mde: number): TwoSampleTestResult => ({
    name,
    label: name,
    statistic: effect,
    pValue: reject ? 0.001 : 0.4,
    pValueAdjusted: reject ? 0.003 : 0.8,
    effectSize: effect,
    effectSizeName: name === 'c2st' ? 'AUC − 0.5' : 'KS D',
    shift: reject,
    method: 'constructed',
    details: {},
    timingMs: 0,
    minDetectableEffect: mde,
  });
  return [t('c2st', reject ? 0.3 : 0.01, aucMde), t('ks-pca', reject ? 0.4 : 0.05, Math.min(1, ksMde))];
}

const suite = (shift: boolean) => ({
  alpha: 0.05,
  shiftDetected: shift,
  statisticallySignificant: shift,
  practicallySignificant: shift,
  minEffect: null,
});

function probe(o: {
  ref: number;
  refHalf: number;
  n: number;
  target: number;
  gap: Interval;
  own: number;
  ownHalf: number;
  sep: Interval;
  unseen?: number;
}): ProbeResult {
  return {
    classes: ['negative', 'positive'],
    labelMap: null,
    reference: {
      n: o.n,
      folds: 5,
      accuracy: around(o.ref, o.refHalf),
      macroF1: around(o.ref, o.refHalf),
      regularization: 0.1,
      converged: true,
      majorityBaseline: 0.5,
    },
    transfer: {
      n: o.n - (o.unseen ?? 0),
      nExcludedUnseenClass: o.unseen ?? 0,
      unseenClasses: o.unseen ? ['neutral'] : [],
      accuracy: around(o.target, o.ownHalf),
      macroF1: around(o.target, o.ownHalf),
      gap: o.gap,
      confusion: {
        classes: ['negative', 'positive'],
        matrix: [
          [1, 0],
          [0, 1],
        ],
      },
    },
    targetOnly: {
      n: o.n,
      folds: 5,
      accuracy: around(o.own, o.ownHalf),
      macroF1: around(o.own, o.ownHalf),
      majorityBaseline: 0.5,
      labelEfficiency: [],
      separabilityGap: o.sep,
    },
  };
}

function labels(unseen: number, n: number, p: number): LabelShiftResult {
  return {
    classes: unseen ? ['negative', 'neutral', 'positive'] : ['negative', 'positive'],
    referenceCounts: { negative: n / 2, positive: n / 2 },
    targetCounts: unseen
      ? { negative: (n - unseen) / 2, neutral: unseen, positive: (n - unseen) / 2 }
      : { negative: n / 2, positive: n / 2 },
    nReference: n,
    nTarget: n,
    unseen: { classes: unseen ? [{ label: 'neutral', count: unseen }] : [], nRows: unseen, share: unseen / n },
    missingInTarget: [],
    test: { method: 'chi-square', statistic: 1, df: unseen ? 2 : 1, pValue: p, replicates: null, minExpected: 100 },
    effectSize: unseen ? 0.38 : 0.01,
    totalVariation: unseen / n,
  };
}

const sizes = (n: number) => ({ reference: n, target: n });

const CASES: [string, VerdictInput, VerdictKind][] = [
  [
    'same distribution (500 vs 500, nothing rejects, gaps small)',
    {
      tests: tests(false, 500),
      suite: suite(false),
      probe: probe({
        ref: 0.81,
        refHalf: 0.025,
        n: 500,
        target: 0.78,
        gap: span(0.03, -0.01, 0.07),
        own: 0.79,
        ownHalf: 0.025,
        sep: span(0.02, -0.02, 0.06),
      }),
      labelShift: labels(0, 500, 0.6),
      sampleSizes: sizes(500),
    },
    'sameDistribution',
  ],
  [
    'tiny n (12 vs 12, nothing rejects)',
    { tests: tests(false, 12), suite: suite(false), probe: null, sampleSizes: sizes(12) },
    'inconclusive',
  ],
  [
    'a new class on 25% of target rows, embeddings overlap, target labels noisier',
    {
      tests: tests(false, 500),
      suite: suite(false),
      probe: probe({
        ref: 0.78,
        refHalf: 0.025,
        n: 500,
        target: 0.79,
        gap: span(-0.01, -0.065, 0.043),
        own: 0.55,
        ownHalf: 0.03,
        sep: span(0.17, 0.11, 0.23),
        unseen: 125,
      }),
      labelShift: labels(125, 500, 1e-30),
      sampleSizes: sizes(500),
    },
    'shiftRevisitData',
  ],
  [
    'shifted, target as separable as the reference (amazon → yelp)',
    {
      tests: tests(true, 1000),
      suite: suite(true),
      probe: probe({
        ref: 0.799,
        refHalf: 0.024,
        n: 1000,
        target: 0.74,
        gap: span(0.059, 0.019, 0.093),
        own: 0.787,
        ownHalf: 0.026,
        sep: span(0.012, -0.026, 0.049),
      }),
      labelShift: labels(0, 1000, 1),
      sampleSizes: sizes(1000),
    },
    'shiftProbeSuffices',
  ],
  [
    'shifted, noisy target labels (40% flipped)',
    {
      tests: tests(true, 1000),
      suite: suite(true),
      probe: probe({
        ref: 0.799,
        refHalf: 0.024,
        n: 1000,
        target: 0.53,
        gap: span(0.268, 0.227, 0.305),
        own: 0.518,
        ownHalf: 0.03,
        sep: span(0.285, 0.24, 0.32),
      }),
      labelShift: labels(0, 1000, 0.6),
      sampleSizes: sizes(1000),
    },
    'shiftRevisitData',
  ],
  [
    'grouped null, group-aware tests (31 vs 32 speeches of 600 passages each side)',
    {
      tests: tests(false, 600),
      suite: suite(false),
      probe: null,
      sampleSizes: { reference: 31, target: 32, unit: 'groups' },
    },
    'sameDistribution',
  ],
];

describe('decision table (constructed results)', () => {
  it.each(CASES)('%s → %s', (_, input, right) => {
    expect(decideVerdict(input).kind).toBe(right);
  });

  it('the grouped null says how small a shift its groups allow: medium at 31 vs 32 speeches, not negligible', () => {
    const v = decideVerdict(CASES[5][1]);
    expect(v.headline).toMatch(/^No shift of at least medium size detected/);
    expect(v.reasons.join(' ')).toContain('with 31 vs 32 groups no test can detect');
  });
});
