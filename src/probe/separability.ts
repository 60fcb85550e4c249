/**
 * Are the target's labels as linearly separable in this representation as the reference's? Judged relative to
 * the reference, not against a fixed accuracy: the reference's k-fold probe removes a share
 * ER_ref = (acc_ref − base_ref) / (1 − base_ref) of its majority baseline's errors (clamped to [0, 1]); at the
 * target's own class balance that predicts an accuracy base_tgt + ER_ref · (1 − base_tgt). The separability gap
 * is that prediction minus the target-only k-fold accuracy, in target accuracy points; with equal baselines it
 * is simply acc_ref − acc_tgt. Its interval resamples the rows of both sides independently (percentile
 * bootstrap, drawn as counts per class and right/wrong: ./bootstrap.ts), baselines included.
 */
import type { Rng } from '../core/random.js';
import { countBootstrapInterval, type BootstrapOptions } from './bootstrap.js';
import type { Interval } from './probeTypes.js';

export interface ProbeSide {
  /** 1 where the out-of-fold prediction was right. */
  correct: Uint8Array;
  labels: Int32Array;
  nClasses: number;
}

export function separabilityGap(
  reference: ProbeSide,
  target: ProbeSide,
  rng: Rng,
  bootstrap: BootstrapOptions,
): Interval {
  // The gap depends on each side's rows only through their counts per (class, right or wrong): the count bootstrap.
  return countBootstrapInterval(
    [classCorrectCounts(reference), classCorrectCounts(target)],
    ([ref, tgt]) => {
      const accRef = rightShare(ref);
      const baseRef = majorityShareOfCells(ref, reference.nClasses);
      const errorReduction = baseRef >= 1 ? 0 : Math.min(1, Math.max(0, (accRef - baseRef) / (1 - baseRef)));
      const baseTgt = majorityShareOfCells(tgt, target.nClasses);
      return baseTgt + errorReduction * (1 - baseTgt) - rightShare(tgt);
    },
    rng,
    bootstrap,
  );
}

/** Counts per cell 2·class + right (right = 1 where the prediction was right). */
function classCorrectCounts(side: ProbeSide): Float64Array {
  const counts = new Float64Array(2 * side.nClasses);
  for (let i = 0; i < side.labels.length; i++) counts[2 * side.labels[i] + side.correct[i]]++;
  return counts;
}

function rowsOfCells(cells: Float64Array): number {
  let n = 0;
  for (let c = 0; c < cells.length; c++) n += cells[c];
  return n;
}

/** Share of right rows (as meanOf over the rows; 0 for none). */
function rightShare(cells: Float64Array): number {
  const n = rowsOfCells(cells);
  if (n === 0) return 0;
  let right = 0;
  for (let c = 1; c < cells.length; c += 2) right += cells[c];
  return right / n;
}

/** Share of the most frequent class (as majorityAt over the rows; 0 for none). */
function majorityShareOfCells(cells: Float64Array, nClasses: number): number {
  const n = rowsOfCells(cells);
  if (n === 0) return 0;
  let best = 0;
  for (let c = 0; c < nClasses; c++) best = Math.max(best, cells[2 * c] + cells[2 * c + 1]);
  return best / n;
}

/** Share of the most frequent class among the given rows. */
export function majorityAt(labels: Int32Array, nClasses: number, indices: ArrayLike<number>): number {
  if (indices.length === 0) return 0;
  const counts = new Float64Array(nClasses);
  for (let k = 0; k < indices.length; k++) counts[labels[indices[k]]]++;
  let best = 0;
  for (let c = 0; c < nClasses; c++) if (counts[c] > best) best = counts[c];
  return best / indices.length;
}
