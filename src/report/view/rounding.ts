/**
 * Rounding for numbers written into the page: ~4 significant digits relative to the largest magnitude of a
 * series keeps plots exact to the pixel while cutting the JSON to a third of full float precision.
 */
export function decimalsFor(maxMagnitude: number, significant = 4): number {
  if (!(maxMagnitude > 0) || !Number.isFinite(maxMagnitude)) return significant;
  return Math.min(12, Math.max(0, significant - 1 - Math.floor(Math.log10(maxMagnitude))));
}

export function roundTo(x: number, decimals: number): number {
  const r = Number(x.toFixed(decimals));
  // -0 prints as 0 in JSON anyway; normalise so equality checks in tests stay simple.
  return r === 0 ? 0 : r;
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}
