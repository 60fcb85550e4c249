/**
 * Exact or linear-time? The streamed exact tests (streamedPermutationEngine.ts) cost N²·(d + P + 2) multiply-adds
 * plus a fixed amount of elementwise work per kernel entry, so their time is predictable from N, d and P:
 *
 *   seconds ≈ N² · (ENTRY_NS + D_NS·d + LABELLING_NS·(P + 2)) · 1e-9
 *
 * (P + 2 product columns: the observed labelling, P permutations, the row sums; per entry of the N×N kernel,
 * of which the engine computes the upper triangle). The constants are fitted on the streamed MMD at d = 32, 384
 * and P = 19, 999 (N = 4000) by bench/exactMmdLarge.ts, from CPU time divided by onnxruntime's 2 threads: the
 * machine they were measured on was shared by many processes, where wall time mostly measures the wait for a core,
 * so CPU time / threads stands for an idle 2-core machine. D_NS and LABELLING_NS are the two Gemms (MLAS), the
 * per-entry constant the elementwise chain (distance, exp, centring), the output copy and the JS scan of each
 * block for the tie tolerance. The suite runs the exact MMD when this estimate is within the user's budget
 * (--exact-budget, seconds) and the linear-time random-feature test otherwise.
 */
import { DEFAULT_STREAMED_MEMORY_BYTES, planStreamedBlocks } from './streamedPermutationEngine.js';

/** Nanoseconds per kernel entry independent of d and P. */
export const ENTRY_NS = 9;
/** Nanoseconds per kernel entry per embedding dimension (the distance Gemm). */
export const D_NS = 0.011;
/** Nanoseconds per kernel entry per product column (the indicator Gemm). */
export const LABELLING_NS = 0.016;

export { DEFAULT_EXACT_BUDGET_SECONDS } from './exactBudgetDefault.js';

/**
 * Estimated seconds of one streamed exact test on N pooled rows of d dimensions with P permutations. When the
 * labellings' indicators exceed the engine's memory plan they are split into passes, each recomputing the kernel
 * (and carrying its own row-sum column): the per-entry and d terms count once per pass.
 */
export function estimateExactSeconds(pooled: number, dims: number, permutations: number): number {
  const { passes } = planStreamedBlocks(Math.max(1, pooled), permutations + 1, DEFAULT_STREAMED_MEMORY_BYTES);
  const perEntry = passes * (ENTRY_NS + D_NS * dims) + LABELLING_NS * (permutations + 1 + passes);
  return pooled * pooled * perEntry * 1e-9;
}

export interface ExactChoice {
  exact: boolean;
  estimatedSeconds: number;
  budgetSeconds: number;
  /** One sentence for result.json's warnings when the linear-time test was chosen; null when exact. */
  note: string | null;
}

/** The suite's choice for N pooled rows: exact when the estimate fits the budget (a budget of 0 never chooses it). */
export function chooseExact(pooled: number, dims: number, permutations: number, budgetSeconds: number): ExactChoice {
  if (!(budgetSeconds >= 0)) throw new RangeError(`exact-test budget must be ≥ 0 seconds, got ${budgetSeconds}`);
  const estimatedSeconds = estimateExactSeconds(pooled, dims, permutations);
  const exact = estimatedSeconds <= budgetSeconds;
  return {
    exact,
    estimatedSeconds,
    budgetSeconds,
    note: exact
      ? null
      : `${pooled} samples in all: MMD uses the linear-time random-feature test, because the exact permutation test would take about ${formatSeconds(estimatedSeconds)} (${permutations} permutations, ${dims} dimensions), more than the exact-test budget of ${formatSeconds(budgetSeconds)} (--exact-budget).`,
  };
}

function formatSeconds(s: number): string {
  if (s >= 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 120) return `${(s / 60).toFixed(0)} min`;
  return `${s >= 10 || s === 0 ? s.toFixed(0) : s.toPrecision(2)} s`;
}
