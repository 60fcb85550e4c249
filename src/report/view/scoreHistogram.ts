/** Counts of domain-classifier probabilities in equal-width bins over [0, 1] (all samples, not a subsample). */
export function histogramUnit(values: ArrayLike<number>, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`classifier probability ${i} is not finite`);
    const b = Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
    counts[b]++;
  }
  return counts;
}
