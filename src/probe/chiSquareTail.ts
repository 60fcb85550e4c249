/**
 * Upper tail of the chi-square distribution, P(χ²_df ≥ x) = Q(df/2, x/2), through the regularised incomplete
 * gamma function: its series below a + 1 and its continued fraction (modified Lentz) above, as in Numerical
 * Recipes §6.2. Agrees with scipy.stats.chi2.sf to ~1e-12 relative (test/probe/labelShift.test.ts).
 */
import { logGamma } from '../twosample/kernels/incompleteBeta.js';

export function chiSquareUpperTail(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chi-square needs df > 0, got ${df}`);
  if (!(x > 0)) return 1;
  return regularizedUpperGamma(df / 2, x / 2);
}

/** Q(a, x) = Γ(a, x) / Γ(a) for a > 0, x ≥ 0. */
export function regularizedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logFront = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 100_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logFront));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(logFront) * h);
}
