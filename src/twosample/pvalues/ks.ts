/**
 * Two-sample Kolmogorov–Smirnov test (two-sided).
 *
 * The statistic is kept as an integer, D·n·m = max |i·m − j·n| over the merged order (ties advance both samples
 * together, as scipy does), so the exact distribution needs no rounding.
 *
 * Exact p-value: the probability that a uniformly random lattice path from (0,0) to (n,m) — every assignment of
 * the pooled values to the two samples equally likely — touches |i·m − j·n| ≥ D·n·m. A dynamic programme carries
 * the probability of reaching each cell without having touched the boundary (steps weighted (n−i)/(n+m−i−j) and
 * (m−j)/(n+m−i−j)), restricted to the band, and sums the mass that first steps outside. Summing positive terms keeps
 * small p-values accurate to full relative precision, unlike 1 − P(inside). Cost ≤ n·m cells.
 *
 * Asymptotic p-value: the Kolmogorov limit Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²) with Stephens' finite-sample
 * correction λ = (√ne + 0.12 + 0.11/√ne)·D, ne = nm/(n+m).
 */

export type KsMode = 'auto' | 'exact' | 'asymptotic';

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  n: number;
  m: number;
}

/** Above this many lattice cells (n·m) 'auto' switches to the asymptotic distribution. */
export const KS_EXACT_MAX_CELLS = 10_000_000;
/** p-values are floored here so they stay in (0, 1] even when the true value underflows. */
export const KS_MIN_P = 1e-300;

export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>, mode: KsMode = 'auto'): KsResult {
  const n = a.length;
  const m = b.length;
  if (n < 1 || m < 1) throw new RangeError(`KS test needs both samples non-empty, got ${n} and ${m}`);
  const sa = sortedCopy(a, 'first');
  const sb = sortedCopy(b, 'second');
  return ksFromSorted(sa, sb, mode);
}

/** The same test on samples already sorted ascending (not checked). */
export function ksFromSorted(sa: ArrayLike<number>, sb: ArrayLike<number>, mode: KsMode = 'auto'): KsResult {
  const n = sa.length;
  const m = sb.length;
  const scaled = ksScaledStatistic(sa, sb);
  const statistic = scaled / (n * m);
  const exact = mode === 'exact' || (mode === 'auto' && n * m <= KS_EXACT_MAX_CELLS);
  const pValue = exact ? ksExactPValue(scaled, n, m) : ksAsymptoticPValue(statistic, n, m);
  return { statistic, pValue, method: exact ? 'exact' : 'asymptotic', n, m };
}

/** max |i·m − j·n| over the merged sorted order: D times n·m, an integer. */
export function ksScaledStatistic(sa: ArrayLike<number>, sb: ArrayLike<number>): number {
  const n = sa.length;
  const m = sb.length;
  let i = 0;
  let j = 0;
  let best = 0;
  while (i < n && j < m) {
    const v = Math.min(sa[i], sb[j]);
    while (i < n && sa[i] === v) i++;
    while (j < m && sb[j] === v) j++;
    const gap = Math.abs(i * m - j * n);
    if (gap > best) best = gap;
  }
  return best;
}

/** P(D·n·m ≥ scaled) under the null, exactly (continuous data). */
export function ksExactPValue(scaled: number, n: number, m: number): number {
  if (scaled <= 0) return 1;
  const total = n + m;
  // Row i (i values of the first sample used) covers columns j with |i·m − j·n| < scaled, plus one cell either
  // side to catch the first exits. prev/cur hold the surviving probability mass of the previous/current row.
  let prev = new Float64Array(m + 2);
  let cur = new Float64Array(m + 2);
  let prevLo = 0;
  let prevHi = -1;
  let prevInsideLo = 0;
  let exited = 0;
  for (let i = 0; i <= n; i++) {
    const insideLo = Math.max(0, Math.floor((i * m - scaled) / n) + 1);
    const insideHi = Math.min(m, Math.ceil((i * m + scaled) / n) - 1);
    // When m > n the band's lower edge moves more than one column per row: cover every cell the previous row's
    // inside cells step into.
    const lo = Math.max(0, Math.min(insideLo - 1, prevInsideLo));
    const hi = Math.min(m, insideHi + 1);
    for (let j = lo; j <= hi; j++) {
      let mass = 0;
      if (i === 0 && j === 0) mass = 1;
      if (i > 0 && j >= prevLo && j <= prevHi && prev[j] !== 0) {
        mass += (prev[j] * (n - i + 1)) / (total - i + 1 - j);
      }
      if (j > lo && cur[j - 1] !== 0) mass += (cur[j - 1] * (m - j + 1)) / (total - i - j + 1);
      if (Math.abs(i * m - j * n) >= scaled) {
        exited += mass;
        cur[j] = 0;
      } else {
        cur[j] = mass;
      }
    }
    // Clear the previous row's cells so the buffer can be reused as the next row.
    for (let j = prevLo; j <= prevHi; j++) prev[j] = 0;
    const swap = prev;
    prev = cur;
    cur = swap;
    prevLo = lo;
    prevHi = hi;
    prevInsideLo = insideLo;
  }
  return clampP(exited);
}

/** Stephens-corrected Kolmogorov limit for the two-sided statistic D of samples of sizes n and m. */
export function ksAsymptoticPValue(statistic: number, n: number, m: number): number {
  if (statistic <= 0) return 1;
  const ne = Math.sqrt((n * m) / (n + m));
  return clampP(kolmogorovSurvival((ne + 0.12 + 0.11 / ne) * statistic));
}

/** Q(λ) = P(K > λ) of the Kolmogorov distribution (two series, each used where it converges fast). */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 1.18) {
    // 1 − (√(2π)/λ) Σ_k e^(−(2k−1)²π²/(8λ²))
    const base = (-Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let k = 1; k <= 20; k++) {
      const term = Math.exp(base * (2 * k - 1) ** 2);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum;
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17 * Math.abs(sum)) break;
  }
  return 2 * sum;
}

function clampP(p: number): number {
  if (!(p > KS_MIN_P)) return KS_MIN_P;
  return Math.min(1, p);
}

function sortedCopy(x: ArrayLike<number>, which: string): Float64Array {
  const out = Float64Array.from(x as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new RangeError(`KS test: value ${i} of the ${which} sample is not finite`);
  }
  return out.sort();
}
