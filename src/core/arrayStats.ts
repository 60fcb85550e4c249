/** Plain summaries of number arrays used across areas. */

/** Arithmetic mean; 0 for an empty array. */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length ? s / values.length : 0;
}
