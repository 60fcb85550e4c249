/**
 * Brings a KDE curve to at most `points` evenly spaced grid values by linear interpolation, so the page's
 * size does not depend on the grid the analysis used.
 */
export interface ResampledCurve {
  grid: number[];
  reference: number[];
  target: number[];
}

export function resampleCurves(
  grid: ArrayLike<number>,
  reference: ArrayLike<number>,
  target: ArrayLike<number>,
  points: number,
): ResampledCurve {
  checkCurves(grid, reference, target);
  const n = grid.length;
  if (n <= points) return { grid: Array.from(grid), reference: Array.from(reference), target: Array.from(target) };
  const lo = grid[0];
  const hi = grid[n - 1];
  const out: ResampledCurve = { grid: [], reference: [], target: [] };
  let j = 0;
  for (let k = 0; k < points; k++) {
    const g = k === points - 1 ? hi : lo + ((hi - lo) * k) / (points - 1);
    while (j < n - 2 && grid[j + 1] < g) j++;
    const t = (g - grid[j]) / (grid[j + 1] - grid[j]);
    out.grid.push(g);
    out.reference.push(reference[j] + t * (reference[j + 1] - reference[j]));
    out.target.push(target[j] + t * (target[j + 1] - target[j]));
  }
  return out;
}

/** A curve pair the report can draw: at least 2 grid points, strictly increasing, one value per point. */
export function checkCurves(grid: ArrayLike<number>, reference: ArrayLike<number>, target: ArrayLike<number>): void {
  const n = grid.length;
  if (n < 2) throw new RangeError(`a density curve needs at least 2 grid points, got ${n}`);
  if (reference.length !== n || target.length !== n) {
    throw new RangeError(`density curves have ${reference.length}/${target.length} values for ${n} grid points`);
  }
  for (let i = 1; i < n; i++) {
    if (!(grid[i] > grid[i - 1])) throw new RangeError(`density grid must increase strictly (index ${i})`);
  }
}
