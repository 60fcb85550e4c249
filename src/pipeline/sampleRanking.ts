/**
 * Orders target samples by how shifted they look, combining the per-sample scores that are available
 * (domain-classifier probability, kNN conformal p-value, MMD witness) by their average percentile rank, so no
 * score's scale dominates.
 */
import type { SampleShiftScores } from '../twosample/detector.js';

/** Percentile rank in [0, 1] of each value (ties share their mean rank); higher value → higher rank. */
export function percentileRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const mean = (i + j) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]] = n > 1 ? mean / (n - 1) : 0.5;
    i = j + 1;
  }
  return ranks;
}

/** Combined shift score per target sample (higher = more shifted); null when no score is available. */
export function combineSampleScores(scores: SampleShiftScores, n: number): Float64Array | null {
  const parts: Float64Array[] = [];
  if (scores.classifierProbability) parts.push(percentileRanks(scores.classifierProbability));
  if (scores.knnPValue) parts.push(percentileRanks(Array.from(scores.knnPValue, (p) => -p)));
  if (scores.mmdWitness) parts.push(percentileRanks(scores.mmdWitness));
  if (parts.length === 0) return null;
  const combined = new Float64Array(n);
  for (const part of parts) for (let i = 0; i < n; i++) combined[i] += part[i] / parts.length;
  return combined;
}

/** Indices of the k largest values, largest first (ties by lower index). */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => values[b] - values[a] || a - b)
    .slice(0, Math.max(0, k));
}
