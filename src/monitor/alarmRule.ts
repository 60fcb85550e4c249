/**
 * False alarms under repeated testing: alpha spending over a declared horizon. The user declares how many windows
 * the guarantee covers (`--horizon N`) and the family-wise false-alarm level α (`--alpha`); every tested window
 * spends α/N, i.e. it alarms when the suite's family-wise decision rejects at level α/N. By Bonferroni's inequality
 * the probability of one or more false alarms among the N windows of a horizon, when no window is shifted, is at
 * most α — whatever the dependence between windows (they all share one reference sample, so their p-values are
 * positively dependent; the bound needs no independence). Windows beyond N start a new horizon with a fresh α: the
 * guarantee is "at most α false-alarm probability per N tested windows". Windows too small to test, and windows
 * already in the history with the same rows, spend nothing. Measured on real null streams in docs/BENCHMARKS.md.
 */
import { InputError } from '../core/errors.js';

export const ALARM_METHOD = 'alpha-spending-bonferroni';
/** Tested windows one α covers by default: a month of daily windows. */
export const DEFAULT_HORIZON = 30;

export interface AlarmPlan {
  method: typeof ALARM_METHOD;
  /** Family-wise false-alarm level per horizon. */
  alpha: number;
  /** Tested windows one α covers. */
  horizon: number;
  /** α / horizon: the level each window is tested at. */
  perWindowAlpha: number;
}

export function planAlarms(alpha: number, horizon: number): AlarmPlan {
  if (!(alpha > 0 && alpha < 1)) throw new InputError(`--alpha must be in (0, 1), got ${alpha}`);
  if (!Number.isSafeInteger(horizon) || horizon < 1)
    throw new InputError(`--horizon must be an integer ≥ 1, got ${horizon}`);
  return { method: ALARM_METHOD, alpha, horizon, perWindowAlpha: alpha / horizon };
}

/** Which horizon (1-based) and which slot in it (1 … N) the window tested after `testedBefore` others takes. */
export function windowSlot(testedBefore: number, horizon: number): { family: number; slot: number } {
  return { family: Math.floor(testedBefore / horizon) + 1, slot: (testedBefore % horizon) + 1 };
}

/** A p-value on the horizon's scale: min(1, N · p). A window alarms when this is ≤ α (and the effect is large enough). */
export function horizonAdjusted(p: number | null, plan: AlarmPlan): number | null {
  return p === null ? null : Math.min(1, p * plan.horizon);
}

/**
 * Permutations that let a window reach its level with room to spare: a permutation p-value is at least 1/(P + 1),
 * so P + 1 ≥ 5 / (α/N) keeps the smallest attainable p five times below the level. At least 999.
 */
export function defaultPermutations(plan: AlarmPlan): number {
  return Math.max(999, Math.ceil(5 / plan.perWindowAlpha) - 1);
}

/** Refuses a permutation count whose smallest p-value, 1/(P + 1), could never reach the per-window level. */
export function checkPermutations(permutations: number, plan: AlarmPlan): void {
  const needed = Math.ceil(1 / plan.perWindowAlpha);
  if (permutations + 1 <= needed) {
    throw new InputError(
      `--permutations ${permutations} can never give a p-value at or below the per-window level α/N = ${formatLevel(plan.perWindowAlpha)} (smallest p = 1/${permutations + 1}): use at least ${needed} (default ${defaultPermutations(plan)}), or a shorter --horizon`,
    );
  }
}

/** One sentence the run prints and writes: the per-window level and what it guarantees. */
export function guaranteeText(plan: AlarmPlan): string {
  return `each window is tested at α/N = ${formatLevel(plan.alpha)}/${plan.horizon} = ${formatLevel(plan.perWindowAlpha)}; with no shift, the probability of any false alarm within ${plan.horizon} tested windows is at most ${formatLevel(plan.alpha)} (alpha spending by Bonferroni, valid whatever the dependence between windows)`;
}

export function formatLevel(x: number): string {
  return x >= 0.001 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}
