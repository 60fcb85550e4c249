/**
 * Percentile bootstrap intervals (Efron): resample each group's rows with replacement, recompute the statistic,
 * take the (1−level)/2 and (1+level)/2 quantiles of the replicates. Several groups are resampled independently
 * (e.g. reference and target rows for the transfer gap). Seeded through the caller's Rng.
 */
import type { Rng } from '../core/random.js';
import type { Interval } from './probeTypes.js';

export interface BootstrapOptions {
  replicates: number;
  level: number;
}

export const DEFAULT_BOOTSTRAP_OPTIONS: BootstrapOptions = { replicates: 1000, level: 0.95 };

/**
 * `statistic(indices)` receives, per group, the row indices to use (the identity for the point estimate).
 * Empty groups are passed through unresampled.
 */
export function bootstrapInterval(
  groupSizes: number[],
  statistic: (indices: Uint32Array[]) => number,
  rng: Rng,
  options: Partial<BootstrapOptions> = {},
): Interval {
  const { replicates, level } = { ...DEFAULT_BOOTSTRAP_OPTIONS, ...options };
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap level must be in (0, 1), got ${level}`);
  const identity = groupSizes.map((n) => Uint32Array.from({ length: n }, (_, i) => i));
  const estimate = statistic(identity);
  const buffers = groupSizes.map((n) => new Uint32Array(n));
  const values = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    groupSizes.forEach((n, g) => {
      for (let i = 0; i < n; i++) buffers[g][i] = rng.int(n);
    });
    values[r] = statistic(buffers);
  }
  values.sort();
  return {
    estimate,
    lower: quantileSorted(values, (1 - level) / 2),
    upper: quantileSorted(values, (1 + level) / 2),
    level,
  };
}

/** Linear-interpolation quantile (type 7, numpy's default) of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
