/**
 * Decisions on intervals, not point estimates: a gap (an accuracy difference in [−1, 1]) is `within` a tolerance
 * only when its whole interval is (upper ≤ tolerance), `beyond` only when its lower bound is above it, and
 * `undetermined` otherwise — then with a rough count of the labelled target rows that would settle it.
 *
 * The count is a documented approximation: the gap's half-width h on the side facing the tolerance splits as
 * h² ≈ h_ref² + h_tgt² (independent sides; h_ref from the reference's own accuracy interval), the target part
 * shrinks like 1/√n, and the estimate is assumed to stay where it is. The interval excludes the tolerance once
 * h_ref² + h_tgt² · n / n′ < d², d = |estimate − tolerance|, i.e. n′ = n · h_tgt² / (d² − h_ref²). When
 * d² ≤ h_ref² the reference's own uncertainty is already too wide: more target rows alone cannot settle it.
 */
import type { GapDecision, Interval } from '../probe/probeTypes.js';

export type GapJudgement = GapDecision;

/** Rows-to-settle counts above this are reported as "more than" it. */
export const MAX_ROWS_TO_SETTLE = 10_000_000;

export function judgeGap(
  gap: Interval,
  tolerance: number,
  nTarget: number,
  referenceAccuracy: Interval | null,
): GapJudgement {
  if (gap.upper <= tolerance)
    return { status: 'within', tolerance, targetRowsToSettle: null, needsMoreReferenceRows: false };
  if (gap.lower > tolerance)
    return { status: 'beyond', tolerance, targetRowsToSettle: null, needsMoreReferenceRows: false };
  const distance = Math.abs(gap.estimate - tolerance);
  const h = gap.estimate <= tolerance ? gap.upper - gap.estimate : gap.estimate - gap.lower;
  const hRef = referenceAccuracy ? (referenceAccuracy.upper - referenceAccuracy.lower) / 2 : 0;
  const hTargetSquared = Math.max(h * h - hRef * hRef, 0);
  const room = distance * distance - hRef * hRef;
  if (!(room > 0) || hTargetSquared === 0 || nTarget < 1) {
    return {
      status: 'undetermined',
      tolerance,
      targetRowsToSettle: null,
      needsMoreReferenceRows: room <= 0 && distance > 0,
    };
  }
  const needed = Math.ceil((nTarget * hTargetSquared) / room);
  return {
    status: 'undetermined',
    tolerance,
    targetRowsToSettle: roundUp(Math.max(needed, nTarget + 1)),
    needsMoreReferenceRows: false,
  };
}

/** Two significant digits, rounded up, capped (an approximation should not look precise). */
function roundUp(n: number): number {
  if (n > MAX_ROWS_TO_SETTLE) return MAX_ROWS_TO_SETTLE;
  const magnitude = 10 ** Math.max(Math.floor(Math.log10(n)) - 1, 0);
  return Math.ceil(n / magnitude) * magnitude;
}

/** Interval of a difference from two independent intervals (normal approximation), for results that lack one. */
export function differenceInterval(a: Interval, b: Interval, estimate: number): Interval {
  const h = Math.hypot((a.upper - a.lower) / 2, (b.upper - b.lower) / 2);
  return { estimate, lower: estimate - h, upper: estimate + h, level: a.level };
}
