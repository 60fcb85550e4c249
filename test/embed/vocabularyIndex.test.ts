import { beforeAll, describe, expect, it } from 'vitest';
import { encodeTable, decodeTable, type WordTable } from '../../src/embed/wordvec/tableFormat.js';
import { loadSg100dTable } from '../../src/embed/wordvec/tableStore.js';
import { VocabularyIndex } from '../../src/embed/wordvec/vocabularyIndex.js';
import { sharedTableCacheDir } from './testCache.js';

const metadata = { source: 'test', sourceVersion: '0', sourceBytes: 0 };

function indexOf(words: string[]): VocabularyIndex {
  return new VocabularyIndex(Buffer.from(words.join('\n'), 'utf8'), words.length);
}

describe('VocabularyIndex', () => {
  let table: WordTable;
  beforeAll(async () => {
    table = await loadSg100dTable(sharedTableCacheDir);
  }, 300_000);

  it('maps every word of the real sg100d vocabulary to its row, as a Map does, and misses what it lacks', () => {
    const words = table.words;
    expect(table.index.size).toBe(words.length);
    for (let row = 0; row < words.length; row++) if (table.index.get(words[row]) !== row) expect(row).toBe(-1);
    const map = new Map(words.map((w, i) => [w, i]));
    // Non-ASCII words of the vocabulary, and tokens a tokeniser makes that are not in it.
    const nonAscii = words.filter((w) => /[^\x00-\x7f]/.test(w));
    expect(nonAscii.length).toBeGreaterThan(0);
    for (const w of nonAscii) expect(table.index.get(w)).toBe(map.get(w));
    for (const w of ['zzqxv', 'the ', ' the', 'The', 'thé', '', 'the\nof', 'well-knownx', 'café-au-lait'])
      expect(table.index.get(w)).toBe(map.get(w));
    expect(table.index.has('the')).toBe(true);
    expect(table.index.get('the')).toBe(0);
  });

  it('behaves as a Map over small vocabularies: duplicates keep the last row, iteration in row order', () => {
    const words = ['the', 'café', '"', 'well-known', 'the', '', 'naïve'];
    const index = indexOf(words);
    const map = new Map(words.map((w, i) => [w, i]));
    expect(index.size).toBe(map.size);
    for (const w of [...words, 'caf', 'cafe', 'naive', 'x']) expect(index.get(w)).toBe(map.get(w));
    expect(new Set(index.entries())).toEqual(new Set(map.entries()));
    expect([...index.keys()].sort()).toEqual([...map.keys()].sort());
    const seen: [string, number][] = [];
    index.forEach((row, word) => seen.push([word, row]));
    expect(seen).toEqual([...index]);
    expect(index.word(1)).toBe('café');
  });

  it('refuses a vocabulary whose word count is not the header’s, as a table format error', () => {
    expect(() => new VocabularyIndex(Buffer.from('a\nb\nc'), 2)).toThrow(/vocabulary has 3 words/);
    const bytes = encodeTable(['a', 'b'], 1, Float32Array.from([1, 2]), metadata);
    const tampered = Buffer.from(bytes);
    tampered.writeUInt32LE(1, 16); // header: one word, but two in the vocabulary (and the size check still passes)
    const short = Buffer.concat([tampered.subarray(0, tampered.length - 4)]);
    expect(() => decodeTable(short)).toThrow(/table vocabulary has 2 words, header says 1/);
    const table2 = decodeTable(bytes);
    expect(table2.words).toEqual(['a', 'b']);
    expect(table2.index.get('b')).toBe(1);
  });
});
