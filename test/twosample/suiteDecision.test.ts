/**
 * The family-wise decision: Holm (or Bonferroni) over the tests with p-values, then the minimum effect —
 * one number for every test, or per test on its own scale.
 */
import { describe, expect, it } from 'vitest';
import { decideSuite, describeMinEffect, minEffectFor } from '../../src/twosample/suite.js';
import type { TwoSampleTestResult } from '../../src/twosample/detector.js';
import { parseMinEffect } from '../../src/cli/parseOptions.js';
import { decideVerdict } from '../../src/verdict/decide.js';
import { InputError } from '../../src/core/errors.js';

function result(name: string, pValue: number | null, effectSize: number): TwoSampleTestResult {
  return {
    name,
    label: name.toUpperCase(),
    statistic: effectSize,
    pValue,
    pValueAdjusted: null,
    effectSize,
    effectSizeName: 'effect',
    shift: false,
    method: 'test',
    details: {},
    timingMs: 0,
  };
}

const tests = [
  result('mmd', 0.01, 0.03),
  result('c2st', 0.04, 0.2),
  result('ks-pca', 0.03, 0.1),
  result('centroid', null, 0.5),
];

describe('decideSuite', () => {
  it('adjusts by Holm: sorted p 0.01, 0.03, 0.04 → 0.03, 0.06, 0.06 (monotone)', () => {
    const run = decideSuite(tests, { alpha: 0.05, correction: 'holm', minEffect: null });
    const adjusted = Object.fromEntries(run.tests.map((t) => [t.name, t.pValueAdjusted]));
    expect(adjusted.mmd).toBeCloseTo(0.03, 12);
    expect(adjusted['ks-pca']).toBeCloseTo(0.06, 12);
    expect(adjusted.c2st).toBeCloseTo(0.06, 12);
    expect(adjusted.centroid).toBeNull();
    expect(run.tests.filter((t) => t.shift).map((t) => t.name)).toEqual(['mmd']);
    expect(run.decision).toMatchObject({
      statisticallySignificant: true,
      practicallySignificant: true,
      shiftDetected: true,
    });
  });

  it('adjusts by Bonferroni when asked: 0.01 × 3 = 0.03, others capped at 1', () => {
    const run = decideSuite([result('a', 0.01, 1), result('b', 0.5, 1), result('c', 0.9, 1)], {
      alpha: 0.05,
      correction: 'bonferroni',
      minEffect: null,
    });
    expect(run.tests.map((t) => t.pValueAdjusted)).toEqual([0.03, 1, 1]);
  });

  it('a single minimum effect filters small effects: significant, not practical', () => {
    const run = decideSuite(tests, { alpha: 0.05, correction: 'holm', minEffect: 0.05 });
    expect(run.tests.find((t) => t.name === 'mmd')?.shift).toBe(false);
    expect(run.decision).toMatchObject({
      statisticallySignificant: true,
      practicallySignificant: false,
      shiftDetected: false,
    });
  });

  it('per-test minimum effects apply to the named tests only', () => {
    const run = decideSuite(tests, { alpha: 0.1, correction: 'holm', minEffect: { mmd: 0.05, c2st: 0.1 } });
    const shift = Object.fromEntries(run.tests.map((t) => [t.name, t.shift]));
    // adjusted p: mmd 0.03, ks-pca 0.06, c2st 0.06 — all ≤ 0.1
    expect(shift).toEqual({ mmd: false, c2st: true, 'ks-pca': true, centroid: false });
    expect(minEffectFor({ mmd: 0.05 }, 'ks-pca')).toBeNull();
    expect(minEffectFor(0.2, 'ks-pca')).toBe(0.2);
    expect(describeMinEffect({ mmd: 0.05, c2st: 0.1 }, String)).toBe('mmd 0.05, c2st 0.1');
  });

  it('the verdict quotes per-test minimum effects and records them as thresholds', () => {
    const run = decideSuite(tests, { alpha: 0.05, correction: 'holm', minEffect: { mmd: 0.05 } });
    const verdict = decideVerdict({ tests: run.tests, suite: run.decision, probe: null });
    expect(verdict.kind).toBe('sameDistribution');
    expect(verdict.reasons.join(' ')).toContain('below the minimum effect (mmd 0.050)');
    expect(verdict.thresholds['minEffect.mmd']).toBe(0.05);
  });
});

describe('--min-effect parsing', () => {
  it('reads one number or test=value pairs', () => {
    expect(parseMinEffect('0.05')).toBe(0.05);
    expect(parseMinEffect('c2st=0.1, mmd=0.05')).toEqual({ c2st: 0.1, mmd: 0.05 });
  });

  it.each(['-1', 'c2st', 'c2st=', 'c2st=x', 'foo=0.1', 'c2st=0.1=2'])('rejects %j with an InputError', (value) => {
    expect(() => parseMinEffect(value)).toThrow(InputError);
  });
});
