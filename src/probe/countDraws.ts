/**
 * Exact binomial and multinomial variates for the count bootstrap (./bootstrap.ts): resampling n rows with
 * replacement puts Multinomial(n, counts / n) rows in each cell, so a statistic of the cell counts can be
 * bootstrapped without drawing the n row indices.
 *
 * Binomial(n, p) by inversion with the search starting at the mode (Kemp's alternating search): one uniform u,
 * then subtract P(m), P(m−1), P(m+1), P(m−2), … until u is used up. That is inversion over a reordering of the
 * support, so the draw has exactly the binomial distribution (up to rounding in the probabilities), in about
 * 1.6·√(n p q) steps. P(m) comes from Loader's saddle-point form (the one R's dbinom uses: Stirling-series errors
 * and the deviance term bd0), accurate to a few ulps for any n; the neighbours follow by the ratio recurrence.
 * Catherine Loader, "Fast and accurate computation of binomial probabilities" (2000).
 */
import type { Rng } from '../core/random.js';

const LN_2PI = Math.log(2 * Math.PI);

/** ln(k!) − [(k + ½) ln k − k + ½ ln 2π] for integers k ≥ 1: the Stirling-series error (sums of logs up to 15). */
export function stirlingError(k: number): number {
  if (k <= 15) {
    let logFactorial = 0;
    for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
    return logFactorial - ((k + 0.5) * Math.log(k) - k + 0.5 * LN_2PI);
  }
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  const kk = k * k;
  if (k > 500) return (S0 - S1 / kk) / k;
  if (k > 80) return (S0 - (S1 - S2 / kk) / kk) / k;
  if (k > 35) return (S0 - (S1 - (S2 - S3 / kk) / kk) / kk) / k;
  return (S0 - (S1 - (S2 - (S3 - S4 / kk) / kk) / kk) / kk) / k;
}

/** x ln(x / m) + m − x, computed without cancellation when x is near m (Loader's bd0). */
function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const next = s + ej / (2 * j + 1);
      if (next === s) return next;
      s = next;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/** P(X = k) for X ~ Binomial(n, p), q = 1 − p given separately (both exact when p is a ratio of counts). */
export function binomialProbability(k: number, n: number, p: number, q: number): number {
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (q === 0) return k === n ? 1 : 0;
  if (k === 0) return Math.exp(p < 0.1 ? -deviance(n, n * q) - n * p : n * Math.log(q));
  if (k === n) return Math.exp(q < 0.1 ? -deviance(n, n * p) - n * q : n * Math.log(p));
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  const lf = LN_2PI + Math.log(k) + Math.log1p(-k / n);
  return Math.exp(lc - 0.5 * lf);
}

/** One Binomial(n, p) draw (q = 1 − p); n a non-negative integer, 0 ≤ p ≤ 1. */
export function drawBinomial(n: number, p: number, q: number, rng: Rng): number {
  if (n === 0 || p === 0) return 0;
  if (q === 0) return n;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const atMode = binomialProbability(mode, n, p, q);
  const up = p / q; // P(k + 1) / P(k) = (n − k) / (k + 1) · p / q
  const down = q / p;
  for (;;) {
    let u = rng.next() - atMode;
    if (u < 0) return mode;
    let lo = mode;
    let hi = mode;
    let pLo = atMode;
    let pHi = atMode;
    while (lo > 0 || hi < n) {
      if (lo > 0) {
        pLo *= (lo / (n - lo + 1)) * down;
        lo--;
        u -= pLo;
        if (u < 0) return lo;
      }
      if (hi < n) {
        pHi *= ((n - hi) / (hi + 1)) * up;
        hi++;
        u -= pHi;
        if (u < 0) return hi;
      }
      if (pLo === 0 && pHi === 0) break; // both tails underflowed: only rounding mass is left
    }
    // u fell in the rounding gap between the summed probabilities and 1 (probability ~1e-15): draw again.
  }
}

/**
 * Multinomial(n, counts / Σ counts) into `out` (one entry per cell), by conditional binomials: cell c gets
 * Binomial(rows left, counts[c] / mass left). Exact for integer counts; cells with count 0 always get 0.
 */
export function drawMultinomial(n: number, counts: ArrayLike<number>, out: Float64Array, rng: Rng): void {
  let remaining = n;
  let mass = 0;
  for (let c = 0; c < counts.length; c++) mass += counts[c];
  for (let c = 0; c < counts.length; c++) {
    const count = counts[c];
    if (remaining === 0 || count === 0) {
      out[c] = 0;
    } else if (count >= mass) {
      out[c] = remaining;
      remaining = 0;
    } else {
      const drawn = drawBinomial(remaining, count / mass, (mass - count) / mass, rng);
      out[c] = drawn;
      remaining -= drawn;
    }
    mass -= count;
  }
}
