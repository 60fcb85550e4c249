/**
 * Area under the ROC curve of scores for "positive" (target) against "negative" (reference) samples, through
 * the Mann–Whitney U statistic with mid-ranks for ties, and the one-sided Mann–Whitney p-value for AUC > 0.5:
 * exact (no ties, both sides ≤ 50) or normal with tie and continuity corrections.
 */

export interface MannWhitneyResult {
  auc: number;
  /** U for the positive sample: #{(p, q): s_p > s_q} + ½ #{ties}. */
  u: number;
  /** One-sided p-value, alternative: positive scores tend to be larger. */
  pValue: number;
  method: 'exact' | 'normal';
}

export function mannWhitneyAuc(positive: ArrayLike<number>, negative: ArrayLike<number>): MannWhitneyResult {
  const m = positive.length;
  const n = negative.length;
  if (m === 0 || n === 0) throw new RangeError('AUC needs at least one score on each side');
  const all = new Float64Array(m + n);
  for (let i = 0; i < m; i++) all[i] = positive[i];
  for (let j = 0; j < n; j++) all[m + j] = negative[j];
  const order = Array.from({ length: m + n }, (_, i) => i).sort((a, b) => all[a] - all[b]);
  const ranks = new Float64Array(m + n);
  let tieTerm = 0; // Σ (t³ − t) over tie groups
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && all[order[end]] === all[order[start]]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = midRank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  let rankSum = 0;
  for (let i = 0; i < m; i++) rankSum += ranks[i];
  const u = rankSum - (m * (m + 1)) / 2;
  const auc = u / (m * n);
  if (tieTerm === 0 && m <= 50 && n <= 50) {
    return { auc, u, pValue: exactUpperTail(m, n, u), method: 'exact' };
  }
  const N = m + n;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { auc, u, pValue: 1, method: 'normal' }; // every score tied: no evidence at all
  const z = (u - (m * n) / 2 - 0.5) / Math.sqrt(variance);
  return { auc, u, pValue: Math.min(1, normalUpperTail(z)), method: 'normal' };
}

/**
 * P(U ≥ u) under H0 for sample sizes (m, n), no ties: the recursion
 * P_{m,n}(u) = m/(m+n) P_{m−1,n}(u − n) + n/(m+n) P_{m,n−1}(u), kept as probabilities (no overflow).
 */
function exactUpperTail(m: number, n: number, u: number): number {
  // dist[j] = distribution of U for sizes (i, j), rebuilt row by row over i.
  let previous: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1)); // i = 0: U ≡ 0
  for (let i = 1; i <= m; i++) {
    const current: Float64Array[] = [Float64Array.of(1)]; // j = 0: U ≡ 0
    for (let j = 1; j <= n; j++) {
      const dist = new Float64Array(i * j + 1);
      const a = previous[j]; // sizes (i − 1, j): shift by j (the new positive beats all j negatives)
      const b = current[j - 1]; // sizes (i, j − 1)
      const wa = i / (i + j);
      const wb = j / (i + j);
      for (let k = 0; k < a.length; k++) dist[k + j] += wa * a[k];
      for (let k = 0; k < b.length; k++) dist[k] += wb * b[k];
      current.push(dist);
    }
    previous = current;
  }
  const dist = previous[n];
  let tail = 0;
  for (let k = Math.ceil(u - 1e-9); k < dist.length; k++) tail += dist[k];
  return Math.min(1, Math.max(tail, 0));
}

/** 1 − Φ(z), accurate in the far tail (erfc by Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
