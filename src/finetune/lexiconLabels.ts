/**
 * Distant supervision with a sentiment lexicon, as emoticons label Sentiment140: each text gets "positive"
 * when its AFINN-165 score (npm sentiment 5, which sums word valences with negation handling) is above 0,
 * "negative" below 0, and no label at 0 (the lexicon abstains; such rows are dropped and counted).
 */
import { createRequire } from 'node:module';
import type { Rng } from '../core/random.js';
import { bootstrapInterval } from '../probe/bootstrap.js';
import { meanOf } from '../probe/kFoldProbe.js';
import { mapLabel, sortedClasses } from '../probe/labels.js';
import type { LexiconLabelReport } from './finetuneTypes.js';

interface SentimentAnalyzer {
  analyze(text: string): { score: number };
}
// npm sentiment ships no type declarations; loaded through require with the one method used here typed.
const Sentiment = createRequire(import.meta.url)('sentiment') as new () => SentimentAnalyzer;

export const LEXICON_NAME = 'AFINN-165 via npm sentiment 5 (score > 0 positive, < 0 negative, 0 abstains)';

export function lexiconLabels(texts: string[]): string[] {
  const analyzer = new Sentiment();
  return texts.map((text) => {
    const score = analyzer.analyze(text).score;
    return score > 0 ? 'positive' : score < 0 ? 'negative' : '';
  });
}

/**
 * Lexicon labels for the reference, and how they compare with its human labels (when it has them): agreement on
 * the rows both label, with a bootstrap interval, and the lexicon × human confusion table.
 */
export function lexiconLabelReport(
  texts: string[],
  human: string[] | null,
  labelMap: Record<string, string> | null,
  rng: Rng,
): { labels: string[]; report: LexiconLabelReport } {
  const labels = lexiconLabels(texts);
  const nLabelled = labels.filter((l) => l !== '').length;
  let agreementWithHuman: LexiconLabelReport['agreementWithHuman'] = null;
  let confusion: LexiconLabelReport['confusion'] = null;
  if (human) {
    const mapped = human.map((h) => mapLabel(h, labelMap));
    const both = labels.map((l, i) => (l !== '' && mapped[i] !== '' ? i : -1)).filter((i) => i >= 0);
    if (both.length > 0) {
      const agree = Uint8Array.from(both, (i) => (labels[i] === mapped[i] ? 1 : 0));
      agreementWithHuman = bootstrapInterval([agree.length], ([idx]) => meanOf(agree, idx), rng);
      const lexiconClasses = sortedClasses(both.map((i) => labels[i]));
      const humanClasses = sortedClasses(both.map((i) => mapped[i]));
      const matrix = lexiconClasses.map(() => humanClasses.map(() => 0));
      for (const i of both) matrix[lexiconClasses.indexOf(labels[i])][humanClasses.indexOf(mapped[i])]++;
      confusion = { lexicon: lexiconClasses, human: humanClasses, matrix };
    }
  }
  return {
    labels,
    report: { lexicon: LEXICON_NAME, nLabelled, nAbstained: labels.length - nLabelled, agreementWithHuman, confusion },
  };
}
