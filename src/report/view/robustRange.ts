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
 * The [lo, hi] to draw: the pooled `tail`…(1 − tail) quantiles widened by `pad` of their width on each side,
 * but never wider than the data. Defaults: 1st–99th percentile, 5% padding.
 */
export function robustDomain(
  reference: ArrayLike<number>,
  target: ArrayLike<number>,
  tail = 0.01,
  pad = 0.05,
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
  const lo = Math.max(min, qLo - pad * width);
  const hi = Math.min(max, qHi + pad * width);
  const r = countOutside(reference, lo, hi);
  const t = countOutside(target, lo, hi);
  return {
    lo,
    hi: hi > lo ? hi : lo + (Math.abs(lo) || 1) * 1e-6,
    below: { reference: r.below, target: t.below },
    above: { reference: r.above, target: t.above },
  };
}

/** Keeps the part of a curve inside [lo, hi], with the curve's values interpolated exactly at both ends. */
export function clipCurve(
  grid: number[],
  series: number[][],
  lo: number,
  hi: number,
): { grid: number[]; series: number[][] } {
  const at = (x: number): number[] => {
    let j = 0;
    while (j < grid.length - 2 && grid[j + 1] < x) j++;
    const t = grid[j + 1] === grid[j] ? 0 : Math.min(1, Math.max(0, (x - grid[j]) / (grid[j + 1] - grid[j])));
    return series.map((s) => s[j] + t * (s[j + 1] - s[j]));
  };
  const outGrid: number[] = [];
  const out: number[][] = series.map(() => []);
  const push = (x: number, values: number[]) => {
    outGrid.push(x);
    values.forEach((v, k) => out[k].push(v));
  };
  if (grid[0] < lo) push(lo, at(lo));
  for (let i = 0; i < grid.length; i++) {
    if (grid[i] >= lo && grid[i] <= hi)
      push(
        grid[i],
        series.map((s) => s[i]),
      );
  }
  if (grid[grid.length - 1] > hi) push(hi, at(hi));
  return { grid: outGrid, series: out };
}
