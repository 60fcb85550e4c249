/**
 * The exact-test budget's default, apart from the estimate (exactBudget.ts, which loads the streamed engine) so
 * the CLI's --exact-budget help and the options' defaults read it without loading any numerics.
 */

/** Default budget for the exact MMD in the suite: about 22,000 rows per side at 384 dims and 1000 permutations. */
export const DEFAULT_EXACT_BUDGET_SECONDS = 60;
