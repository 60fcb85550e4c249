/**
 * Effect sizes in plain words: negligible / small / medium / large, with the band edges documented per test.
 *
 * One anchor for every test: the value its effect size takes, in the population, when the two samples differ by a
 * univariate Gaussian location shift of Cohen's d = 0.2 / 0.5 / 0.8 (Cohen 1988, "Statistical Power Analysis for
 * the Behavioral Sciences", §2.2.3: small / medium / large). Below the d = 0.2 value the effect is negligible.
 * - c2st (AUC − 0.5): AUC = Φ(d/√2), the equivalents of Rice & Harris (2005, Law and Human Behavior 29:615,
 *   AUC .556 / .638 / .714), an established convention. Dimension-free: AUC measures discriminability.
 * - ks-pca (KS D): D = 2Φ(d/2) − 1 for two unit-variance normals. Dimension-free: KS is applied to one direction.
 * - centroid (distance / RMS distance to the pooled centroid): d / √(1 + d²/4).
 * - frechet (Fréchet distance / pooled total variance): d² / (1 + d²/4).
 * - energy (energy distance / (2 · mean cross distance), Székely–Rizzo's H): closed form for two normals.
 * - mmd, mmd-rff, mmd-linear (MMD, Gaussian kernel, median-heuristic σ on the pooled sample): computed for the
 *   pooled 1-D mixture (σ ≈ 0.96–1.03).
 * The anchor values were computed with scipy 1.17 (normal cdf, folded-normal mean, a 400,000-point median).
 * The last four measures shrink as the shift spreads over many dimensions (for the same discriminability their
 * values in 100–400 dimensions are far below the 1-D ones), so their words can understate a shift and their
 * minimum detectable effects can overstate sensitivity: the verdict's sensitivity rule uses only the
 * dimension-free scales (see ./sensitivity.ts).
 */

import type { EffectWord } from '../probe/probeTypes.js';

export type { EffectWord };

export const EFFECT_WORDS: readonly EffectWord[] = ['negligible', 'small', 'medium', 'large'];

export interface EffectBands {
  /** Lower edges of small, medium and large, on the test's own effect-size scale. */
  small: number;
  medium: number;
  large: number;
  /** Where the edges come from, one phrase. */
  source: string;
  /** True when the scale does not shrink with the number of dimensions the shift is spread over. */
  dimensionFree: boolean;
}

const MMD_BANDS: EffectBands = {
  small: 0.0875,
  medium: 0.217,
  large: 0.342,
  source: 'MMD of a 1-D Gaussian location shift d = 0.2 / 0.5 / 0.8, median-heuristic σ',
  dimensionFree: false,
};

/**
 * Label proportions: Cramér's V of the 2 × K table as if both sides had equal size, i.e. Cohen's w, with
 * Cohen's (1988, §7.2.3) w = 0.1 / 0.3 / 0.5.
 */
export const LABEL_SHIFT_BANDS: EffectBands = {
  small: 0.1,
  medium: 0.3,
  large: 0.5,
  source: 'Cohen’s w = 0.1 / 0.3 / 0.5 (Cohen 1988)',
  dimensionFree: true,
};

/** Band edges per test name (TwoSampleTestResult.name). */
export const EFFECT_BANDS: Readonly<Record<string, EffectBands>> = {
  c2st: {
    small: 0.056,
    medium: 0.138,
    large: 0.214,
    source: 'AUC equivalents of Cohen’s d = 0.2 / 0.5 / 0.8 (Rice & Harris 2005): AUC 0.556 / 0.638 / 0.714',
    dimensionFree: true,
  },
  'ks-pca': {
    small: 0.08,
    medium: 0.197,
    large: 0.311,
    source: 'KS D = 2Φ(d/2) − 1 of two unit-variance normals, d = 0.2 / 0.5 / 0.8',
    dimensionFree: true,
  },
  centroid: {
    small: 0.199,
    medium: 0.485,
    large: 0.743,
    source: 'd / √(1 + d²/4) of a 1-D Gaussian location shift, d = 0.2 / 0.5 / 0.8',
    dimensionFree: false,
  },
  frechet: {
    small: 0.0396,
    medium: 0.235,
    large: 0.552,
    source: 'd² / (1 + d²/4) of a 1-D Gaussian location shift, d = 0.2 / 0.5 / 0.8',
    dimensionFree: false,
  },
  energy: {
    small: 0.0099,
    medium: 0.0583,
    large: 0.135,
    source: 'energy index H of a 1-D Gaussian location shift, d = 0.2 / 0.5 / 0.8',
    dimensionFree: false,
  },
  mmd: MMD_BANDS,
  'mmd-rff': MMD_BANDS,
  'mmd-linear': MMD_BANDS,
  'label-proportions': LABEL_SHIFT_BANDS,
};

/** The word for a value on a band table (absolute value: the sign of an effect is not its size). */
export function wordFor(value: number, bands: EffectBands): EffectWord {
  const size = Math.abs(value);
  if (size >= bands.large) return 'large';
  if (size >= bands.medium) return 'medium';
  if (size >= bands.small) return 'small';
  return 'negligible';
}

/** The word for a test's effect size, or null when the test has no documented bands. */
export function effectWord(testName: string, value: number): EffectWord | null {
  const bands = EFFECT_BANDS[testName];
  return bands ? wordFor(value, bands) : null;
}

export function wordRank(word: EffectWord): number {
  return EFFECT_WORDS.indexOf(word);
}
