/**
 * Percentile bootstrap intervals (Efron): resample each group's rows with replacement, recompute the statistic,
 * take the (1−level)/2 and (1+level)/2 quantiles of the replicates. Several groups are resampled independently
 * (e.g. reference and target rows for the transfer gap). Seeded through the caller's Rng.
 *
 * Two forms with the same bootstrap distribution: `bootstrapInterval` draws every row index (O(n) per replicate,
 * any statistic of the rows); `countBootstrapInterval` is for statistics of a few cell counts (accuracy: right
 * and wrong rows; macro-F1: the confusion matrix; the gaps: those per side), whose resampled counts are exactly
 * Multinomial(n, counts / n), drawn directly (./countDraws.ts) in O(cells · √n) per replicate. The probe uses the
 * count form; its random stream differs from the row form's, so its interval digits differ by Monte Carlo error.
 */
import type { Rng } from '../core/random.js';
import { drawMultinomial } from './countDraws.js';
import type { Interval } from './probeTypes.js';

export interface BootstrapOptions {
  replicates: number;
  level: number;
}

export const DEFAULT_BOOTSTRAP_OPTIONS: BootstrapOptions = { replicates: 1000, level: 0.95 };

/** The options with their defaults; a level outside (0, 1) is refused. */
function bootstrapSettings(options: Partial<BootstrapOptions>): BootstrapOptions {
  const settings = { ...DEFAULT_BOOTSTRAP_OPTIONS, ...options };
  if (!(settings.level > 0 && settings.level < 1)) {
    throw new RangeError(`bootstrap level must be in (0, 1), got ${settings.level}`);
  }
  return settings;
}

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
  const { replicates, level } = bootstrapSettings(options);
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
  return percentileInterval(estimate, values, level);
}

/**
 * `groups[g]` holds group g's rows counted per cell; `statistic(counts)` receives, per group, counts over the
 * same cells (the observed ones for the point estimate, each replicate's resampled ones after). A group's
 * resample keeps its size. Empty groups stay empty.
 */
export function countBootstrapInterval(
  groups: ArrayLike<number>[],
  statistic: (counts: Float64Array[]) => number,
  rng: Rng,
  options: Partial<BootstrapOptions> = {},
): Interval {
  const { replicates, level } = bootstrapSettings(options);
  const observed = groups.map((cells) => Float64Array.from(cells));
  const sizes = observed.map((cells) => cells.reduce((total, c) => total + c, 0));
  const estimate = statistic(observed);
  const buffers = observed.map((cells) => new Float64Array(cells.length));
  const values = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    for (let g = 0; g < observed.length; g++) drawMultinomial(sizes[g], observed[g], buffers[g], rng);
    values[r] = statistic(buffers);
  }
  return percentileInterval(estimate, values, level);
}

/** The percentile interval of the replicates' values (sorted in place) around the point estimate. */
function percentileInterval(estimate: number, values: Float64Array, level: number): Interval {
  values.sort();
  return {
    estimate,
    lower: quantileSorted(values, (1 - level) / 2),
    upper: quantileSorted(values, (1 + level) / 2),
    level,
  };
}

/** Cell counts of 0/1 values: [wrong, right]. */
export function binaryCounts(values: ArrayLike<number>): Float64Array {
  let right = 0;
  for (let i = 0; i < values.length; i++) right += values[i];
  return Float64Array.of(values.length - right, right);
}

/** Share of right rows from [wrong, right] counts (0 for no rows). */
export function shareRight(counts: ArrayLike<number>): number {
  const n = counts[0] + counts[1];
  return n === 0 ? 0 : counts[1] / n;
}

/** Linear-interpolation quantile (type 7, numpy's default) of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
