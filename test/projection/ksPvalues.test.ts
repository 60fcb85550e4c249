import { describe, expect, it } from 'vitest';
import { kolmogorovSurvival, ksAsymptoticPValue, ksExactPValue, ksTwoSample } from '../../src/twosample/pvalues/ks.js';
import { benjaminiHochbergAdjust, bonferroniAdjust, holmAdjust } from '../../src/twosample/pvalues/multipleTesting.js';

// Low-discrepancy samples that Python reproduces bit for bit: frac(i·k)·scale + shift, i = 1..n.
const GOLDEN_RATIO_FRACTION = 0.6180339887498949;
const PLASTIC_FRACTION = 0.7548776662466927;
function weyl(n: number, k: number, scale = 1, shift = 0): Float64Array {
  return Float64Array.from({ length: n }, (_, t) => (((t + 1) * k) % 1) * scale + shift);
}

/** Golden values: scipy.stats.ks_2samp(a, b, method='exact'|'asymp') (scipy 1.17). */
const SCIPY_CASES = [
  { n: 20, m: 20, shift: 0.3, d: 0.35, exact: 0.17453300569806826 },
  { n: 37, m: 53, shift: 0.15, d: 0.18306986231514533, exact: 0.3960202054668356 },
  { n: 200, m: 300, shift: 0.08, d: 0.08666666666666667, exact: 0.31575292110549796 },
  { n: 1000, m: 1500, shift: 0.03, d: 0.03233333333333333, exact: 0.5495684317603873 },
  { n: 4000, m: 5000, shift: 0.02, d: 0.02075, exact: 0.2902485980280814 },
];

describe('two-sample KS', () => {
  it.each(SCIPY_CASES)('matches scipy exact at n=$n, m=$m', ({ n, m, shift, d, exact }) => {
    const r = ksTwoSample(weyl(n, GOLDEN_RATIO_FRACTION), weyl(m, PLASTIC_FRACTION, 1, shift), 'exact');
    expect(r.statistic).toBeCloseTo(d, 14);
    expect(r.method).toBe('exact');
    expect(r.pValue / exact).toBeCloseTo(1, 9);
  });

  it('keeps small exact p-values to full relative precision (scipy exact)', () => {
    const grid100 = Float64Array.from({ length: 100 }, (_, i) => (i + 1) / 100);
    const equal = ksTwoSample(
      grid100,
      grid100.map((v) => v + 0.5),
      'exact',
    );
    expect(equal.statistic).toBeCloseTo(0.51, 14); // float ties: 0.01 + 0.5 !== 0.51, as in numpy
    expect(equal.pValue / 3.319419024623016e-12).toBeCloseTo(1, 9);
    const a = Float64Array.from({ length: 300 }, (_, i) => (i + 1) / 300);
    const b = Float64Array.from({ length: 200 }, (_, i) => (i + 1) / 200 + 0.25);
    const unequal = ksTwoSample(a, b, 'exact');
    expect(unequal.statistic).toBeCloseTo(0.255, 12);
    expect(unequal.pValue / 2.5628211053366045e-7).toBeCloseTo(1, 9);
    // Disjoint samples of 5: only 2 of the C(10,5) = 252 orderings reach D = 1.
    expect(ksTwoSample([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).pValue).toBeCloseTo(2 / 252, 15);
  });

  it('handles ties the way scipy does', () => {
    const a = weyl(50, GOLDEN_RATIO_FRACTION, 10).map(Math.round);
    const b = weyl(60, PLASTIC_FRACTION, 10, 1).map(Math.round);
    const r = ksTwoSample(a, b, 'exact');
    expect(r.statistic).toBeCloseTo(0.12666666666666668, 14);
    expect(r.pValue).toBeCloseTo(0.7251048847020082, 10);
  });

  it('computes the Kolmogorov survival function (scipy.stats.kstwobign.sf)', () => {
    const golden: [number, number][] = [
      [0.3, 0.9999906941986655],
      [0.5, 0.9639452436648751],
      [1.0, 0.26999967167735456],
      [1.36, 0.049485876755377876],
      [2.0, 0.0006709252557796953],
    ];
    for (const [lambda, q] of golden) expect(kolmogorovSurvival(lambda) / q).toBeCloseTo(1, 10);
  });

  it('has an asymptotic p-value close to the exact one at large n, and auto picks by size', () => {
    // Exact (scipy) 0.2902485980280814 at 4000 × 5000.
    expect(ksAsymptoticPValue(0.02075, 4000, 5000)).toBeCloseTo(0.2902485980280814, 2);
    // scipy exact 0.5495684317603873 at 1000 × 1500.
    expect(ksAsymptoticPValue(0.03233333333333333, 1000, 1500)).toBeCloseTo(0.5495684317603873, 2);
    const big = ksTwoSample(weyl(3000, GOLDEN_RATIO_FRACTION), weyl(3000, PLASTIC_FRACTION, 1, 0.02));
    expect(big.method).toBe('exact');
    const huge = ksTwoSample(weyl(5000, GOLDEN_RATIO_FRACTION), weyl(3000, PLASTIC_FRACTION, 1, 0.02));
    expect(huge.method).toBe('asymptotic');
    expect(ksExactPValue(0, 10, 10)).toBe(1);
  });

  it('never returns 0: p is floored at 1e-300', () => {
    const a = Float64Array.from({ length: 2000 }, (_, i) => i);
    const r = ksTwoSample(
      a,
      a.map((v) => v + 1e6),
      'exact',
    );
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBe(1e-300);
  });
});

describe('multiple-testing adjustments', () => {
  const p = [0.01, 0.04, 0.03, 0.005, 0.5, 0.04];
  it('Bonferroni', () => {
    expect(bonferroniAdjust(p)).toEqual([0.06, 0.24, 0.18, 0.03, 1, 0.24].map((v, i) => (i === 4 ? 1 : v)));
  });
  it('Holm (hand-computed step-down)', () => {
    const h = holmAdjust(p);
    [0.05, 0.12, 0.12, 0.03, 0.5, 0.12].forEach((v, i) => expect(h[i]).toBeCloseTo(v, 14));
  });
  it('Benjamini–Hochberg (scipy.stats.false_discovery_control)', () => {
    const bh = benjaminiHochbergAdjust(p);
    [0.03, 0.048, 0.048, 0.03, 0.5, 0.048].forEach((v, i) => expect(bh[i]).toBeCloseTo(v, 14));
  });
  it('rejects values outside [0, 1]', () => {
    expect(() => holmAdjust([0.1, Number.NaN])).toThrow(RangeError);
    expect(holmAdjust([])).toEqual([]);
  });
});
