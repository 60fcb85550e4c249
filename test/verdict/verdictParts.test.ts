import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { majorityAt, separabilityGap } from '../../src/probe/separability.js';
import { EFFECT_BANDS, effectWord, LABEL_SHIFT_BANDS, wordFor } from '../../src/verdict/effectWords.js';
import { judgeGap, MAX_ROWS_TO_SETTLE } from '../../src/verdict/intervalDecision.js';
import {
  assessSensitivity,
  normalQuantile,
  rankTestMinDetectableAuc,
  rowsPerSideForAuc,
} from '../../src/verdict/sensitivity.js';
import type { TwoSampleTestResult } from '../../src/twosample/detector.js';

const span = (estimate: number, lower: number, upper: number) => ({ estimate, lower, upper, level: 0.95 });

describe('effect words', () => {
  it('band edges are the d = 0.2 / 0.5 / 0.8 anchors (scipy: Φ(d/√2) − 0.5, 2Φ(d/2) − 1)', () => {
    // scipy.stats.norm.cdf(0.2/sqrt(2)) − 0.5 = 0.05623, (0.5) 0.13817, (0.8) 0.21415
    expect(EFFECT_BANDS.c2st).toMatchObject({ small: 0.056, medium: 0.138, large: 0.214, dimensionFree: true });
    // 2Φ(0.1) − 1 = 0.07966, 2Φ(0.25) − 1 = 0.19741, 2Φ(0.4) − 1 = 0.31084
    expect(EFFECT_BANDS['ks-pca']).toMatchObject({ small: 0.08, medium: 0.197, large: 0.311, dimensionFree: true });
    // centroid d/√(1 + d²/4) and Fréchet d²/(1 + d²/4), by hand
    for (const [d, edge] of [
      [0.2, 'small'],
      [0.5, 'medium'],
      [0.8, 'large'],
    ] as const) {
      expect(EFFECT_BANDS.centroid[edge]).toBeCloseTo(d / Math.sqrt(1 + (d * d) / 4), 3);
      expect(EFFECT_BANDS.frechet[edge]).toBeCloseTo((d * d) / (1 + (d * d) / 4), 3);
    }
    expect(EFFECT_BANDS.mmd).toBe(EFFECT_BANDS['mmd-linear']);
  });

  it('words by band, on the absolute value; unknown tests have none', () => {
    expect(effectWord('c2st', 0.05)).toBe('negligible');
    expect(effectWord('c2st', 0.056)).toBe('small');
    expect(effectWord('c2st', 0.2)).toBe('medium');
    expect(effectWord('c2st', 0.3)).toBe('large');
    expect(effectWord('ks-pca', -0.25)).toBe('medium');
    expect(effectWord('no-such-test', 1)).toBeNull();
    expect(wordFor(0.38, LABEL_SHIFT_BANDS)).toBe('medium');
  });
});

describe('sensitivity', () => {
  it('normal quantiles match scipy.stats.norm.ppf', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 8);
    expect(normalQuantile(0.999999)).toBeCloseTo(4.753424308817087, 7);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('rank-test bound (z.95 + z.8)·√((n₁+n₂+1)/(12n₁n₂)), by hand with scipy quantiles', () => {
    expect(rankTestMinDetectableAuc(12, 12, 0.05, 0.8)).toBeCloseTo(0.29907644376187326, 8);
    expect(rankTestMinDetectableAuc(50, 50, 0.05, 0.8)).toBeCloseTo(0.14427269092867118, 8);
    expect(rankTestMinDetectableAuc(30, 200, 0.05, 0.8)).toBeCloseTo(0.1408392858996739, 8);
    expect(rowsPerSideForAuc(0.138, 0.05, 0.8)).toBe(55);
    // The bound at the returned n is at or below the target, one row fewer is above it.
    expect(rankTestMinDetectableAuc(55, 55, 0.05, 0.8)).toBeLessThanOrEqual(0.138);
    expect(rankTestMinDetectableAuc(54, 54, 0.05, 0.8)).toBeGreaterThan(0.138);
  });

  it('the suite word: the larger of the bound and the best dimension-free test', () => {
    const t = (name: string, mde: number | null | undefined, p: number | null = 0.5): TwoSampleTestResult => ({
      name,
      label: name,
      statistic: 0,
      pValue: p,
      effectSize: 0,
      effectSizeName: 'e',
      shift: false,
      pValueAdjusted: p,
      method: 'fixture',
      details: {},
      timingMs: 0,
      ...(mde === undefined ? {} : { minDetectableEffect: mde }),
    });
    const s = assessSensitivity(
      [t('c2st', 0.1), t('ks-pca', 0.35), t('mmd', 0.01), t('energy', null), t('frechet', 0.1, null)],
      0.05,
      {
        reference: 5000,
        target: 5000,
      },
    );
    expect(s.perTest.map((d) => d.name)).toEqual(['c2st', 'ks-pca', 'mmd']);
    expect(s.word).toBe('small');
    expect(s.basis).toBe('c2st');
    const tiny = assessSensitivity([t('c2st', 0.1)], 0.05, { reference: 12, target: 12 });
    expect(tiny.word).toBe('large');
    expect(tiny.basis).toBe('sample-size bound');
    expect(assessSensitivity([t('mmd', 0.01)], 0.05, null).word).toBeNull();
  });
});

describe('judgeGap', () => {
  const ref = span(0.9, 0.88, 0.92);
  it('within / beyond only on the whole interval', () => {
    expect(judgeGap(span(0.01, -0.02, 0.05), 0.05, 400, ref).status).toBe('within');
    expect(judgeGap(span(0.09, 0.051, 0.12), 0.05, 400, ref).status).toBe('beyond');
    expect(judgeGap(span(0.059, 0.019, 0.093), 0.05, 1000, ref).status).toBe('undetermined');
  });

  it('rows to settle: n · h_tgt² / (d² − h_ref²), two digits rounded up', () => {
    // estimate above tolerance: h = 0.1 − 0.02 = 0.08 faces it, d = 0.05, h_ref = 0.02
    // n' = 100 · (0.0064 − 0.0004) / (0.0025 − 0.0004) = 285.7 → 286 → 290
    expect(judgeGap(span(0.1, 0.02, 0.15), 0.05, 100, ref).targetRowsToSettle).toBe(290);
    // the reference's half-width (0.02) exceeds d = 0.01: target rows alone cannot settle it
    const stuck = judgeGap(span(0.04, 0.0, 0.08), 0.05, 100, ref);
    expect(stuck).toMatchObject({ status: 'undetermined', targetRowsToSettle: null, needsMoreReferenceRows: true });
    expect(judgeGap(span(0.0499999, -0.3, 0.4), 0.05, 10, null).targetRowsToSettle).toBe(MAX_ROWS_TO_SETTLE);
  });
});

describe('separability gap', () => {
  it('equals the accuracy difference at equal baselines and carries the error reduction otherwise', () => {
    const side = (correct: number[], labels: number[]) => ({
      correct: Uint8Array.from(correct),
      labels: Int32Array.from(labels),
      nClasses: 2,
    });
    // reference 8/10 right on a 50/50 split; target 7/10 right on a 50/50 split → gap 0.1
    const ref = side([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const tgt = side([1, 1, 1, 1, 1, 1, 1, 0, 0, 0], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    const g = separabilityGap(ref, tgt, createRng(1), { replicates: 500, level: 0.95 });
    expect(g.estimate).toBeCloseTo(0.1, 12);
    expect(g.lower).toBeLessThan(0.1);
    expect(g.upper).toBeGreaterThan(0.1);
    // target 80/20 baseline: reference removes 60% of errors → predicts 0.8 + 0.6 · 0.2 = 0.92; target 9/10 → 0.02
    const lopsided = side([1, 1, 1, 1, 1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(separabilityGap(ref, lopsided, createRng(1), { replicates: 10, level: 0.95 }).estimate).toBeCloseTo(
      0.02,
      12,
    );
    expect(majorityAt(Int32Array.from([0, 1, 1]), 2, [0, 1, 2])).toBeCloseTo(2 / 3, 12);
  });
});
