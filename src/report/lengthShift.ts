/**
 * Whether the two sides' texts differ in length enough to mention: the KS test on word counts is significant at
 * the suite's α and its statistic is at least 0.1 (a tenth of the samples would have to change length class).
 * Length alone moves embeddings, so a shift that coincides with a length shift may be mostly a length shift.
 */
import type { ShiftlensResult } from '../result/resultTypes.js';
import { formatNumber, formatPValue } from './format.js';

export const LENGTH_KS_MIN = 0.1;

export function lengthDiffers(result: ShiftlensResult): boolean {
  const l = result.length;
  return l !== null && l.pValue <= result.suite.alpha && l.ksStatistic >= LENGTH_KS_MIN;
}

export function lengthSentence(result: ShiftlensResult): string | null {
  const l = result.length;
  if (!l || !lengthDiffers(result)) return null;
  const ratio = l.meanWordsReference > 0 ? l.meanWordsTarget / l.meanWordsReference : null;
  const how =
    ratio === null
      ? ''
      : ratio >= 1
        ? ` (${formatNumber(ratio, 2)}× longer)`
        : ` (${formatNumber(1 / ratio, 2)}× shorter)`;
  return (
    `Texts differ in length: target texts average ${formatNumber(l.meanWordsTarget)} words against ` +
    `${formatNumber(l.meanWordsReference)} in the reference${how}; KS statistic ${formatNumber(l.ksStatistic)}, p = ${formatPValue(l.pValue)}. ` +
    `Length alone moves embeddings, so part of the detected difference may be a length shift; compare length-matched samples to tell.`
  );
}
