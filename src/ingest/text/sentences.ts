/**
 * Sentence splitting and grouping of sentences into passages of about a target word count. Rule-based: a
 * sentence ends at . ! or ? (plus closing quotes/brackets) followed by space and a capital, digit or opening
 * quote, except after common abbreviations and single initials.
 */

const ABBREVIATIONS = new Set(
  (
    'mr mrs ms messrs dr st jr sr gen col maj capt lt adm gov sen rep hon rev prof no nos vol art sec ch ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec co corp inc ltd bros vs etc viz ft mt u.s u.s.a i.e e.g a.m p.m'
  ).split(' '),
);

export function splitSentences(text: string): string[] {
  const pieces = text.split(/(?<=[.!?]["'”’)\]]*)\s+(?=["'“‘([]?[A-Z0-9])/);
  const out: string[] = [];
  for (const piece of pieces) {
    const sentence = piece.trim();
    if (sentence === '') continue;
    const previous = out[out.length - 1];
    if (previous !== undefined && endsWithAbbreviation(previous)) out[out.length - 1] = `${previous} ${sentence}`;
    else out.push(sentence);
  }
  return out;
}

function endsWithAbbreviation(sentence: string): boolean {
  const m = /(?:^|\s)([A-Za-z.]+)\.$/.exec(sentence);
  if (!m) return false;
  const word = m[1];
  // Single initials ("John F. Kennedy") never end a sentence here.
  if (/^[A-Z]$/.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

export function wordCount(text: string): number {
  const words = text.trim().split(/\s+/);
  return words[0] === '' ? 0 : words.length;
}

/**
 * Consecutive sentences joined into passages whose length is as close to `targetWords` as sentence boundaries
 * allow; a short remainder (under half the target) joins the previous passage.
 */
export function groupIntoPassages(sentences: readonly string[], targetWords: number): string[] {
  const passages: { text: string[]; words: number }[] = [];
  let current: string[] = [];
  let words = 0;
  for (const sentence of sentences) {
    const n = wordCount(sentence);
    // Close the passage before this sentence if adding it would land further from the target than stopping.
    if (current.length > 0 && Math.abs(words + n - targetWords) > Math.abs(words - targetWords)) {
      passages.push({ text: current, words });
      current = [];
      words = 0;
    }
    current.push(sentence);
    words += n;
  }
  if (current.length > 0) {
    const last = passages[passages.length - 1];
    if (last && words < targetWords / 2) {
      last.text.push(...current);
      last.words += words;
    } else {
      passages.push({ text: current, words });
    }
  }
  return passages.map((p) => p.text.join(' '));
}
