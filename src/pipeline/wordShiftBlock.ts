/**
 * result.json's wordShift block: what changed in words between the sides' texts (src/analysis/wordShift.ts), and
 * the words that characterise the most shifted target samples against the reference. Null for vector sources.
 */
import type { Rng } from '../core/random.js';
import { characteristicTerms, countReference, wordShift } from '../analysis/wordShift.js';
import type { WordShiftJson } from '../result/resultTypes.js';
import { topIndices } from './sampleRanking.js';

/** The most shifted samples whose words are characterised: 5% of the target, at least 20, at most 500. */
export function mostShiftedCount(nTarget: number): number {
  return Math.min(nTarget, Math.max(20, Math.min(500, Math.round(0.05 * nTarget))));
}

export function wordShiftBlock(
  referenceTexts: string[] | null,
  targetTexts: string[] | null,
  combinedScore: Float64Array | null,
  rng: Rng,
): WordShiftJson | null {
  if (!referenceTexts || !targetTexts) return null;
  const reference = countReference(referenceTexts, rng);
  const block = wordShift(reference, referenceTexts.length, targetTexts, rng);
  let mostShifted: WordShiftJson['mostShifted'] = null;
  if (combinedScore) {
    const k = mostShiftedCount(targetTexts.length);
    const texts = topIndices(combinedScore, k).map((i) => targetTexts[i]);
    mostShifted = { nSamples: k, terms: characteristicTerms(texts, reference) };
  }
  return { ...block, mostShifted };
}
