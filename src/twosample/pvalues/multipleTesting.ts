/**
 * Adjusted p-values for a family of tests, returned in the input order. Each adjusted value can be compared with
 * α directly. Bonferroni and Holm control the family-wise error rate (Holm is uniformly more powerful);
 * Benjamini–Hochberg controls the false discovery rate (valid under independence or positive dependence).
 */

export function bonferroniAdjust(pValues: readonly number[]): number[] {
  validate(pValues);
  return pValues.map((p) => Math.min(1, p * pValues.length));
}

/** Holm's step-down: the i-th smallest (0-based) gets max over k ≤ i of (m − k)·p_(k), capped at 1. */
export function holmAdjust(pValues: readonly number[]): number[] {
  validate(pValues);
  const m = pValues.length;
  const order = ascendingOrder(pValues);
  const out = new Array<number>(m);
  let running = 0;
  for (let rank = 0; rank < m; rank++) {
    const index = order[rank];
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]));
    out[index] = running;
  }
  return out;
}

/** Benjamini–Hochberg step-up: the i-th smallest (1-based) gets min over k ≥ i of m·p_(k)/k, capped at 1. */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  validate(pValues);
  const m = pValues.length;
  const order = ascendingOrder(pValues);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank];
    running = Math.min(running, (m * pValues[index]) / (rank + 1));
    out[index] = running;
  }
  return out;
}

function ascendingOrder(pValues: readonly number[]): number[] {
  return pValues.map((_, i) => i).sort((a, b) => pValues[a] - pValues[b] || a - b);
}

function validate(pValues: readonly number[]): void {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${i} is ${p}: p-values must lie in [0, 1]`);
  });
}
