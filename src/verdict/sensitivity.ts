/**
 * How small a shift the tests could have detected: the evidence behind "no shift of at least this size" and the
 * `inconclusive` verdict.
 *
 * - Per test: `minDetectableEffect` (filled by the test suite: power 0.8 at the suite's α at these n, a population
 *   effect on the test's own effect-size scale; for the two that set the word, c2st and ks-pca, checked at power
 *   ≈ 0.8 on real shifts, test/stats/minDetectableEffect.test.ts), put in words with that test's bands
 *   (./effectWords.ts).
 * - Always, from the sample sizes alone: a lower bound for any classifier-based (or other one-score rank) test,
 *   the AUC − 0.5 that a one-sided Mann–Whitney test on a perfect-in-population score detects with power 0.8 at
 *   α: (z₁₋α + z₀.₈) · √((n₁ + n₂ + 1) / (12 n₁ n₂)) (the null variance of the AUC; Hanley & McNeil 1982). No real
 *   test on the embeddings can beat it, so when it is already large the data cannot tell a small or medium
 *   shift from none, whatever the tests report.
 * The suite's word is the larger of the bound's word and the smallest word among the dimension-free scales
 * (c2st, ks-pca), and `basis` names which gave it (sensitivityBasisText words it); scales that shrink with dimension (MMD, energy, centroid, Fréchet) are quoted but not used,
 * because their 1-D bands would overstate the sensitivity. With the bound alone (no test reported its minimum
 * detectable effect) the word is optimistic: it still proves `inconclusive` when large, but the verdict does not
 * claim "no shift of at least this size" from it.
 */
import type { TwoSampleTestResult } from '../twosample/detector.js';
import { EFFECT_BANDS, type EffectWord, wordFor, wordRank } from './effectWords.js';

export const DETECTION_POWER = 0.8;

export interface DetectableEffect {
  name: string;
  label: string;
  minDetectableEffect: number;
  effectSizeName: string;
  word: EffectWord | null;
  dimensionFree: boolean;
}

export interface Sensitivity {
  alpha: number;
  power: number;
  /** Tests that reported a minimum detectable effect. */
  perTest: DetectableEffect[];
  /** The sample-size bound on AUC − 0.5 (null without sample sizes). */
  rankBound: {
    minDetectableAucMinusHalf: number;
    word: EffectWord;
    nReference: number;
    nTarget: number;
    /** What was counted: rows, or groups (--group-column: the units the group-aware tests permute). */
    unit: 'samples' | 'groups';
  } | null;
  /** The smallest shift the suite could detect, in words (null when nothing is known). */
  word: EffectWord | null;
  /** What gave the word: a test name, or "sample-size bound". */
  basis: string | null;
}

export function assessSensitivity(
  tests: TwoSampleTestResult[],
  alpha: number,
  sizes: { reference: number; target: number; unit?: 'samples' | 'groups' } | null,
): Sensitivity {
  const perTest: DetectableEffect[] = [];
  for (const t of tests) {
    const mde = t.minDetectableEffect;
    if (t.pValue === null || typeof mde !== 'number' || !Number.isFinite(mde)) continue;
    const bands = EFFECT_BANDS[t.name];
    perTest.push({
      name: t.name,
      label: t.label,
      minDetectableEffect: mde,
      effectSizeName: t.effectSizeName,
      word: bands ? wordFor(mde, bands) : null,
      dimensionFree: bands?.dimensionFree ?? false,
    });
  }
  const rankBound =
    sizes && sizes.reference >= 1 && sizes.target >= 1
      ? (() => {
          const value = rankTestMinDetectableAuc(sizes.reference, sizes.target, alpha, DETECTION_POWER);
          return {
            minDetectableAucMinusHalf: value,
            word: wordFor(value, EFFECT_BANDS.c2st),
            nReference: sizes.reference,
            nTarget: sizes.target,
            unit: sizes.unit ?? 'samples',
          };
        })()
      : null;

  let word: EffectWord | null = null;
  let basis: string | null = null;
  for (const d of perTest) {
    if (!d.dimensionFree || d.word === null) continue;
    if (word === null || wordRank(d.word) < wordRank(word)) {
      word = d.word;
      basis = d.name;
    }
  }
  if (rankBound && (word === null || wordRank(rankBound.word) > wordRank(word))) {
    word = rankBound.word;
    basis = 'sample-size bound';
  }
  return { alpha, power: DETECTION_POWER, perTest, rankBound, word, basis };
}

/**
 * Where the suite's word comes from, for the sentence that quotes it: "by <test>" (that test's own minimum
 * detectable effect), "by the sample-size bound", or '' when nothing is known.
 */
export function sensitivityBasisText(basis: string | null): string {
  if (basis === null) return '';
  return basis === 'sample-size bound' ? 'by the sample-size bound' : `by ${basis}`;
}

/** AUC − 0.5 detectable with the given power by a one-sided rank test at level α (normal approximation). */
export function rankTestMinDetectableAuc(n1: number, n2: number, alpha: number, power: number): number {
  const se = Math.sqrt((n1 + n2 + 1) / (12 * n1 * n2));
  return Math.min(0.5, (normalQuantile(1 - alpha) + normalQuantile(power)) * se);
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs p in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    );
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
}

/**
 * Samples per side (equal sides) at which the rank-test bound reaches `aucMinusHalf`: the root of
 * 12 s² n² − 2n − 1 = 0 with s = aucMinusHalf / (z₁₋α + z_power). A lower bound on what any real test needs.
 */
export function rowsPerSideForAuc(aucMinusHalf: number, alpha: number, power: number): number {
  const s2 = (aucMinusHalf / (normalQuantile(1 - alpha) + normalQuantile(power))) ** 2;
  return Math.ceil((2 + Math.sqrt(4 + 48 * s2)) / (24 * s2));
}
