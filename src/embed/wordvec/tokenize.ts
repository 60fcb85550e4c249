/**
 * Tokenisation matched to the sg100d vocabulary, which (inspected) is all lowercase ASCII: words of letters and
 * digits, hyphenated compounds ("well-known", "state-of-the-art"), 40 punctuation marks, and no single letters
 * ("a", "i"), no pure numbers ("1990"), no clitics ("'s", "n't"). So: fold accents (café → cafe), lowercase,
 * take runs of letters/digits joined by inner hyphens, and split apostrophes ("don't" → "don" + "t").
 * Punctuation is not embedded (it would dominate a mean). Single characters and pure numbers can never be in
 * the vocabulary, so they are skipped and kept out of the OOV rate rather than inflating it.
 */
const WORD = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const ALL_DIGITS = /^\p{N}+$/u;

export interface TokenLookup {
  /** Row indices of the known tokens, in text order (a token repeated is listed again). */
  known: number[];
  /** Tokens that could be in the vocabulary but are not. */
  nOov: number;
  /** Single characters and pure numbers: never in the vocabulary, left out of the OOV rate. */
  nSkipped: number;
}

export function normalizeText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

export function wordTokens(text: string): string[] {
  return normalizeText(text).match(WORD) ?? [];
}

export function lookupTokens(text: string, index: ReadonlyMap<string, number>): TokenLookup {
  const result: TokenLookup = { known: [], nOov: 0, nSkipped: 0 };
  for (const token of wordTokens(text)) {
    const row = index.get(token);
    if (row !== undefined) {
      result.known.push(row);
    } else if (token.includes('-')) {
      // A compound the vocabulary lacks: fall back to its parts.
      for (const part of token.split('-')) classify(part, index, result);
    } else {
      classify(token, index, result);
    }
  }
  return result;
}

function classify(token: string, index: ReadonlyMap<string, number>, into: TokenLookup): void {
  const row = index.get(token);
  if (row !== undefined) into.known.push(row);
  else if ([...token].length === 1 || ALL_DIGITS.test(token)) into.nSkipped++;
  else into.nOov++;
}
