/**
 * Distant supervision with a sentiment lexicon, as emoticons label Sentiment140: each text gets "positive"
 * when its AFINN-165 score (npm sentiment 5, which sums word valences with negation handling) is above 0,
 * "negative" below 0, and no label at 0 (the lexicon abstains; such rows are dropped and counted).
 */
import { createRequire } from 'node:module';

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
