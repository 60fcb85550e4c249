/**
 * Are the target's labels as linearly separable in this representation as the reference's? Judged relative to
 * the reference, not against a fixed accuracy: the reference's k-fold probe removes a share
 * ER_ref = (acc_ref − base_ref) / (1 − base_ref) of its majority baseline's errors (clamped to [0, 1]); at the
 * target's own class balance that predicts an accuracy base_tgt + ER_ref · (1 − base_tgt). The separability gap
 * is that prediction minus the target-only k-fold accuracy, in target accuracy points; with equal baselines it
 * is simply acc_ref − acc_tgt. Its interval resamples the rows of both sides independently (percentile
 * bootstrap), baselines included.
 */
import type { Rng } from '../core/random.js';
import { bootstrapInterval, type BootstrapOptions } from './bootstrap.js';
import { meanOf } from './kFoldProbe.js';
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
  return bootstrapInterval(
    [reference.correct.length, target.correct.length],
    ([refIdx, tgtIdx]) => {
      const accRef = meanOf(reference.correct, refIdx);
      const baseRef = majorityAt(reference.labels, reference.nClasses, refIdx);
      const errorReduction = baseRef >= 1 ? 0 : Math.min(1, Math.max(0, (accRef - baseRef) / (1 - baseRef)));
      const baseTgt = majorityAt(target.labels, target.nClasses, tgtIdx);
      return baseTgt + errorReduction * (1 - baseTgt) - meanOf(target.correct, tgtIdx);
    },
    rng,
    bootstrap,
  );
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
