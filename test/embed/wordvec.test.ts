import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSg100dTable, sg100dTablePath } from '../../src/embed/wordvec/tableStore.js';
import { readTableFile, type WordTable } from '../../src/embed/wordvec/tableFormat.js';
import { lookupTokens, wordTokens } from '../../src/embed/wordvec/tokenize.js';
import { SIF_A, sifWeights, zipfProbabilities } from '../../src/embed/wordvec/pooling.js';
import { createEmbedder } from '../../src/embed/registry.js';
import { sharedTableCacheDir, winkJsonPath } from './testCache.js';

/**
 * A word's vector read straight from the package JSON's bytes (no decoding or parsing of the 300 MB):
 * "word":[v0,...,v99,norm,index].
 */
function vectorFromJson(raw: Buffer, word: string): number[] {
  const marker = `${JSON.stringify(word)}:[`;
  const start = raw.indexOf(marker);
  if (start < 0) throw new Error(`${word} not in JSON`);
  const end = raw.indexOf(']', start);
  return raw
    .toString('utf8', start + Buffer.byteLength(marker), end)
    .split(',')
    .map(Number);
}

let table: WordTable;
let raw: Buffer;

beforeAll(async () => {
  // Embedders created with cacheDir: null still find the table through the default cache dir.
  process.env.SHIFTLENS_CACHE_DIR = sharedTableCacheDir;
  table = await loadSg100dTable(sharedTableCacheDir);
  raw = fs.readFileSync(winkJsonPath);
});

function row(word: string): Float32Array {
  const i = table.index.get(word);
  if (i === undefined) throw new Error(`${word} not in table`);
  return table.vectors.subarray(i * table.dim, (i + 1) * table.dim);
}

describe('sg100d binary table', () => {
  it('round-trips known words exactly (to float32) with the package JSON, in frequency order', () => {
    expect(table.dim).toBe(100);
    expect(table.words.length).toBe(341479);
    expect(table.words.slice(0, 4)).toEqual(['the', ',', '.', 'of']);
    for (const word of ['the', 'cat', 'well-known', 'unsubscribe', 'sandberger', '"']) {
      const json = vectorFromJson(raw, word);
      expect(json.length).toBe(102);
      expect(table.index.get(word)).toBe(json[101]);
      expect(Array.from(row(word))).toEqual(json.slice(0, 100).map((v) => Math.fround(v)));
    }
  });

  it('is stored on disk with a header that a fresh read accepts; a copy cut short is rejected', async () => {
    const file = sg100dTablePath(sharedTableCacheDir);
    const reread = readTableFile(file);
    expect(reread.words[12345]).toBe(table.words[12345]);
    expect(reread.vectors[12345 * 100 + 7]).toBe(table.vectors[12345 * 100 + 7]);

    // A copy cut short must not load.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlens-table-'));
    const cut = path.join(dir, 'cut.bin');
    const head = Buffer.alloc(1_000_000);
    const fd = fs.openSync(file, 'r');
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    fs.writeFileSync(cut, head);
    expect(() => readTableFile(cut)).toThrow(/truncated or corrupt/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('tokenisation matched to the vocabulary', () => {
  it('lowercases, folds accents, keeps hyphenated compounds, splits apostrophes, drops punctuation', () => {
    expect(wordTokens("The Café's well-known DON'T! mp3, 1990.")).toEqual([
      'the',
      'cafe',
      's',
      'well-known',
      'don',
      't',
      'mp3',
      '1990',
    ]);
  });

  it('counts OOV tokens and skips single characters and pure numbers', () => {
    // "zzqxv" is not a word; "a", "s", "1990" can never be in the vocabulary (none of its words is one character or all digits).
    const found = lookupTokens("A cat's zzqxv in 1990", table.index);
    expect(found.known).toEqual([table.index.get('cat'), table.index.get('in')]);
    expect(found.nOov).toBe(1);
    expect(found.nSkipped).toBe(3);
  });

  it('falls back to the parts of an unknown hyphenated compound', () => {
    expect(table.index.has('cat-dog')).toBe(false);
    expect(lookupTokens('cat-dog', table.index).known).toEqual([table.index.get('cat'), table.index.get('dog')]);
  });
});

describe('wordvec:sg100d embedder', () => {
  it('mean-pools a 2-word text by hand, and L2-normalises on request', async () => {
    const embedder = await createEmbedder('wordvec:sg100d', { cacheDir: null });
    const normalized = await createEmbedder('wordvec:sg100d', { cacheDir: null, normalize: true });
    try {
      const result = await embedder.embed(['Cat dog', 'zzqxv qqxzv', '']);
      const cat = vectorFromJson(raw, 'cat');
      const dog = vectorFromJson(raw, 'dog');
      const expected = cat.slice(0, 100).map((v, j) => (Math.fround(v) + Math.fround(dog[j])) / 2);
      const got = Array.from(result.vectors.data.subarray(0, 100));
      got.forEach((v, j) => expect(v).toBeCloseTo(expected[j], 6));
      expect(Array.from(result.vectors.data.subarray(100, 300)).every((v) => v === 0)).toBe(true);
      expect(result.nNoKnownToken).toBe(2);
      expect(result.oovRate).toBeCloseTo(2 / 4, 12);
      expect(result.nCached).toBe(0);
      expect(embedder.info).toMatchObject({ backend: 'wordvec', dim: 100, pooling: 'mean', maxTokens: null });
      expect(embedder.info.description).toMatch(/GloVe/);

      const unit = await normalized.embed(['Cat dog']);
      const norm = Math.hypot(...expected);
      Array.from(unit.vectors.data).forEach((v, j) => expect(v).toBeCloseTo(expected[j] / norm, 6));
    } finally {
      await embedder.dispose();
      await normalized.dispose();
    }
  });

  it('SIF weights follow a/(a + p(w)) with Zipf p(w) from the frequency rank', async () => {
    const n = table.words.length;
    let harmonic = 0;
    for (let r = 1; r <= n; r++) harmonic += 1 / r;
    const p = zipfProbabilities(n);
    expect(p[0]).toBeCloseTo(1 / harmonic, 15);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    const w = sifWeights(p);
    const theRank = table.index.get('the')!;
    const catRank = table.index.get('cat')!;
    expect(w[theRank]).toBeCloseTo(SIF_A / (SIF_A + 1 / harmonic), 6);
    expect(w[catRank]).toBeCloseTo(SIF_A / (SIF_A + 1 / ((catRank + 1) * harmonic)), 6);
    expect(w[theRank]).toBeLessThan(0.02); // frequent words nearly vanish
    expect(w[catRank]).toBeGreaterThan(0.9);

    const sif = await createEmbedder('wordvec:sg100d', { cacheDir: null, pooling: 'sif' });
    try {
      const out = await sif.embed(['the cat']);
      const the = vectorFromJson(raw, 'the');
      const cat = vectorFromJson(raw, 'cat');
      for (let j = 0; j < 100; j++) {
        const expected = (w[theRank] * Math.fround(the[j]) + w[catRank] * Math.fround(cat[j])) / 2;
        expect(out.vectors.data[j]).toBeCloseTo(expected, 6);
      }
      expect(sif.info.pooling).toBe('sif');
      expect(sif.info.description).toMatch(/Zipf/);
    } finally {
      await sif.dispose();
    }
  });

  it('rejects poolings that do not apply and unknown word-vector models', async () => {
    await expect(createEmbedder('wordvec:sg100d', { cacheDir: null, pooling: 'cls' })).rejects.toThrow(
      /pooling "cls" does not apply/,
    );
    await expect(createEmbedder('wordvec:glove300', { cacheDir: null })).rejects.toThrow(
      /unknown word-vector model "glove300"/,
    );
  });
});
