/**
 * Text length in words, compared between the sides with a two-sample KS test: a shift that is mostly a
 * length shift (hard ham is ~4× longer than easy ham) should be named as such in the report.
 */
import { ksTwoSample } from '../twosample/pvalues/ks.js';
import type { ShiftlensResult } from '../result/resultTypes.js';
import { wordCount } from './wordCount.js';
import { mean } from '../core/arrayStats.js';

export function compareLengths(
  referenceTexts: string[],
  targetTexts: string[],
): NonNullable<ShiftlensResult['length']> {
  const a = Float64Array.from(referenceTexts, wordCount);
  const b = Float64Array.from(targetTexts, wordCount);
  const ks = ksTwoSample(a, b);
  return {
    meanWordsReference: mean(a),
    meanWordsTarget: mean(b),
    ksStatistic: ks.statistic,
    pValue: ks.pValue,
  };
}
