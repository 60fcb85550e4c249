/**
 * Minimum detectable effect (MDE) of a test at this n: the smallest effect, on the test's own effect-size scale,
 * that the test alone detects with power 0.8 at level α.
 *
 * From a permutation null (every permutation test): the rejection threshold t_α is the value the observed
 * statistic must exceed for (1 + #{T_b ≥ T}) / (1 + P) ≤ α, i.e. the ⌊α(P+1)⌋-th largest permuted statistic.
 * Under a shift of size Δ the statistic centres near Δ with a spread of at least the null's; a test rejects with
 * probability 0.8 once Δ ≥ t_α + z₀.₈ · κ · sd₀ (z₀.₈ = 0.8416, sd₀ the null's standard deviation). κ = 1 is the
 * pure location-shift approximation; the statistics' spread grows with the shift (the U-statistics' linear
 * term), so each test passes the κ measured for it on real embeddings (test/stats/minDetectableEffect.test.ts).
 * The statistic-scale value is then mapped to the effect-size scale by the test (e.g. MMD = √MMD²). Statistics
 * that are biased upward under the null (centroid distance², Fréchet distance, max KS D) first lose their null
 * mean, so the MDE is on the scale of the population effect, not of a noisy small-sample estimate of it.
 *
 * From a power calculation (the AUC of the C2ST): the Mann–Whitney AUC has null standard deviation
 * √((n₁ + n₂ + 1) / (12 n₁ n₂)); MDE = (z₁₋α + z₀.₈) · κ · that.
 */

import { distinctLabellings, type PermutationDesign } from './permutationDesign.js';

export const MDE_POWER = 0.8;
/**
 * Whether a permutation test can reach p ≤ α at all: the observed split is itself one of the C(N, n₁) splits (of
 * groups, with a grouped design), half as many distinct ones when both sides have the same size (a statistic
 * symmetric in the sides takes the same value on a split and its mirror), so p ≥ 1 / #distinct. Below 1/α
 * distinct splits the MDE is null: no shift, however large, is detectable.
 */
export function permutationCanReject(alpha: number, n1: number, n2: number, design?: PermutationDesign): boolean {
  const a = design ? design.referenceClusters : n1;
  const b = design ? design.nClusters - design.referenceClusters : n2;
  let distinct = design ? distinctLabellings(design) : binomialCoefficient(n1 + n2, n1);
  if (a === b) distinct /= 2;
  return distinct * alpha >= 1;
}

/** C(n, k) as a float (Infinity beyond 1e15). */
export function binomialCoefficient(n: number, k: number): number {
  const m = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= m; i++) {
    c = (c * (n - m + i)) / i;
    if (c > 1e15) return Infinity;
  }
  return Math.round(c);
}

/** Mean of the permuted statistics. */
export function nullMean(permuted: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < permuted.length; i++) s += permuted[i];
  return permuted.length > 0 ? s / permuted.length : 0;
}

/** Standard normal quantile at 0.8. */
export const Z_POWER = 0.8416212335729143;
export const DEFAULT_MDE_ALPHA = 0.05;

/**
 * The statistic a shift must reach for power 0.8: t_α + z₀.₈ · κ · sd₀ from the permuted statistics (observed
 * excluded), or null when P is too small for any p-value ≤ α.
 */
export function statisticForPower(permuted: ArrayLike<number>, alpha: number, kappa = 1): number | null {
  const p = permuted.length;
  const allowed = Math.floor(alpha * (p + 1)) - 1; // permuted values that may be ≥ the observed
  if (allowed < 0 || p < 2) return null;
  const sorted = Float64Array.from(permuted).sort().reverse();
  const critical = sorted[allowed];
  let mean = 0;
  for (let i = 0; i < p; i++) mean += permuted[i];
  mean /= p;
  let ss = 0;
  for (let i = 0; i < p; i++) ss += (permuted[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (p - 1));
  return critical + Z_POWER * kappa * sd;
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9 after one Newton step). */
export function normalQuantile(q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`normal quantile needs 0 < q < 1, got ${q}`);
  const a = [
    -39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924,
  ];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [
    -0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878,
  ];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const low = 0.02425;
  let x: number;
  if (q < low) {
    const t = Math.sqrt(-2 * Math.log(q));
    x =
      (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) /
      ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
  } else if (q <= 1 - low) {
    const t = q - 0.5;
    const r = t * t;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * t) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const t = Math.sqrt(-2 * Math.log(1 - q));
    x =
      -(((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) /
      ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
  }
  return x;
}

/** MDE of the C2ST's AUC − 0.5 from the Mann–Whitney null variance (one-sided level α, power 0.8). */
export function aucMinDetectableEffect(n1: number, n2: number, alpha: number, kappa = 1): number {
  const sd = Math.sqrt((n1 + n2 + 1) / (12 * n1 * n2));
  return Math.min(0.5, (normalQuantile(1 - alpha) + Z_POWER) * kappa * sd);
}
