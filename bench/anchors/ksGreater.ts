/**
 * scipy's `ks_2samp(x, y, alternative='greater')` with its default `method='auto'` (exact below 10,000 per side),
 * which alibi-detect's classifier detector applies to held-out probabilities. Statistic D⁺ = max (F_x − F_y) over
 * the merged order (ties advance both samples, as scipy does). Exact p-value P(D⁺ ≥ d) under H0: the share of
 * lattice paths from (0,0) to (n,m) (each assignment of the pooled values to the samples equally likely) that
 * reach i·m − j·n ≥ D⁺·n·m, by a dynamic programme over cells with step weights (n−i)/(n+m−i−j) and
 * (m−j)/(n+m−i−j), summing the mass that first crosses. Checked by hand: x = [1,2], y = [3,4] gives D⁺ = 1 and
 * p = 1/C(4,2) = 1/6; for n = m the p-value is C(2n, n−k)/C(2n, n) at D⁺ = k/n (n = 5, k = 3: 45/252).
 */

export interface KsGreaterResult {
  statistic: number;
  pValue: number;
}

export function ksGreater(x: ArrayLike<number>, y: ArrayLike<number>): KsGreaterResult {
  const n = x.length;
  const m = y.length;
  if (n < 1 || m < 1) throw new RangeError(`one-sided KS needs both samples non-empty, got ${n} and ${m}`);
  const sx = Float64Array.from(x).sort();
  const sy = Float64Array.from(y).sort();
  // Scaled statistic: max (i·m − j·n) after each distinct value.
  let i = 0;
  let j = 0;
  let best = 0;
  while (i < n || j < m) {
    const v = j >= m || (i < n && sx[i] <= sy[j]) ? sx[i] : sy[j];
    while (i < n && sx[i] === v) i++;
    while (j < m && sy[j] === v) j++;
    best = Math.max(best, i * m - j * n);
  }
  if (best <= 0) return { statistic: 0, pValue: 1 };
  return { statistic: best / (n * m), pValue: Math.min(1, exactUpperTail(best, n, m)) };
}

/** P(max over the path of i·m − j·n ≥ h) for a uniformly random path from (0,0) to (n,m). */
function exactUpperTail(h: number, n: number, m: number): number {
  // prob[j] = probability of being at (i, j) without having reached the boundary yet.
  let prev = new Float64Array(m + 1);
  let cur = new Float64Array(m + 1);
  prev[0] = 1;
  let crossed = 0;
  for (let i = 0; i <= n; i++) {
    cur.fill(0);
    for (let j = 0; j <= m; j++) {
      let p = 0;
      if (i === 0 && j === 0) p = 1;
      else {
        if (i > 0) p += prev[j] * ((n - i + 1) / (n + m - i + 1 - j));
        if (j > 0) p += cur[j - 1] * ((m - j + 1) / (n + m - i - j + 1));
      }
      if (i * m - j * n >= h) {
        crossed += p;
        p = 0;
      }
      cur[j] = p;
    }
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  return crossed;
}
