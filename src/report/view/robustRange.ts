/**
 * Axis ranges that follow the bulk of the data: from the 1st to the 99th percentile of both sides pooled (a
 * little padding added), so a few outliers cannot squash the mass into a corner. The page marks what lies
 * beyond at the edge; when nothing does, the range is simply the data's extent.
 */
export interface RobustDomain {
  lo: number;
  hi: number;
  /** Samples below lo / above hi, per side. */
  below: { reference: number; target: number };
  above: { reference: number; target: number };
}

/** Linear-interpolation quantile (R type 7, numpy's default) of ascending-sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of no values');
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const i = Math.floor(h);
  return i + 1 < n ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

function countOutside(values: ArrayLike<number>, lo: number, hi: number): { below: number; above: number } {
  let below = 0;
  let above = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) below++;
    else if (values[i] > hi) above++;
  }
  return { below, above };
}

/**
 * The [lo, hi] to draw. An end is cut at the pooled `tail` (or 1 − tail) quantile, widened by `pad` of the
 * quantile range, where the data reach further than `longTail` of that range beyond it; otherwise (short, light
 * tails) the end is the data's extent. Defaults: 1st–99th percentile, 5% padding, cut tails longer than 10% of the
 * 1st–99th range — so a Gaussian's far tail is cut (and marked) like any outliers, a uniform's edge is kept.
 */
export function robustDomain(
  reference: ArrayLike<number>,
  target: ArrayLike<number>,
  tail = 0.01,
  pad = 0.05,
  longTail = 0.1,
): RobustDomain {
  const pooled = Float64Array.from({ length: reference.length + target.length }, (_, i) =>
    i < reference.length ? reference[i] : target[i - reference.length],
  ).sort();
  if (pooled.length === 0) throw new RangeError('a range needs at least one value');
  const min = pooled[0];
  const max = pooled[pooled.length - 1];
  const qLo = quantileSorted(pooled, tail);
  const qHi = quantileSorted(pooled, 1 - tail);
  const width = qHi - qLo || Math.abs(qHi) || 1;
  const lo = qLo - min > (longTail + pad) * width ? qLo - pad * width : min;
  const hi = max - qHi > (longTail + pad) * width ? qHi + pad * width : max;
  const r = countOutside(reference, lo, hi);
  const t = countOutside(target, lo, hi);
  return {
    lo,
    hi: hi > lo ? hi : lo + (Math.abs(lo) || 1) * 1e-6,
    below: { reference: r.below, target: t.below },
    above: { reference: r.above, target: t.above },
  };
}

/** Values of a piecewise-linear curve (ascending grid) at ascending points xs; constant beyond its ends. */
export function interpolateAt(grid: ArrayLike<number>, values: ArrayLike<number>, xs: number[]): number[] {
  const out: number[] = [];
  let j = 0;
  const n = grid.length;
  for (const x of xs) {
    while (j < n - 2 && grid[j + 1] < x) j++;
    const span = grid[j + 1] - grid[j];
    const t = span > 0 ? Math.min(1, Math.max(0, (x - grid[j]) / span)) : 0;
    out.push(values[j] + t * (values[j + 1] - values[j]));
  }
  return out;
}

/** `points` evenly spaced values from lo to hi inclusive. */
export function evenGrid(lo: number, hi: number, points: number): number[] {
  return Array.from({ length: points }, (_, k) => (k === points - 1 ? hi : lo + ((hi - lo) * k) / (points - 1)));
}
