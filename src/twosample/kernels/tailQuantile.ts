/**
 * The point x ≥ 0 where a decreasing upper-tail function (tail(0) > q, falling to 0) equals q, by bisection: the critical
 * values and power quantiles of the F and Student t distributions the linear-time MMD tests' MDEs need, from the
 * same tail functions their p-values use.
 */
export function upperTailQuantile(tail: (x: number) => number, q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`tail quantile needs 0 < q < 1, got ${q}`);
  let hi = 1;
  while (tail(hi) > q) {
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let lo = 0;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > q) lo = mid;
    else hi = mid;
  }
  return hi;
}
