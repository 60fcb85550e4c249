import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/core/progress.js';
import { EMBEDDING_CACHE_FILE, EmbeddingCache, textHash } from '../../src/embed/cache/embeddingCache.js';
import { createEmbedder } from '../../src/embed/registry.js';
import { sharedTableCacheDir, tinyBertDir } from './testCache.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlens-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  while (dirs.length > 0) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

beforeAll(() => {
  process.env.SHIFTLENS_CACHE_DIR = sharedTableCacheDir;
});

const texts = Array.from(
  { length: 10 },
  (_, i) => `sentence number ${i} about ${['cats', 'markets', 'rivers', 'music', 'spam'][i % 5]} and zzqx${i}`,
);

/** Progress that stops the run (as a kill would) after `batches` batches were finished. */
function stopAfter(batches: number): Progress {
  let seen = 0;
  return {
    note: () => {},
    start: () => ({
      increment: () => {
        if (++seen === batches) throw new Error('simulated kill');
      },
      done: () => {},
    }),
  };
}

describe('embedding cache', () => {
  it('serves a rerun from the cache with identical vectors and statistics (transformers)', async () => {
    const dir = freshDir();
    const first = await createEmbedder(`transformers:${tinyBertDir}`, { cacheDir: dir, batchSize: 4, maxLength: 8 });
    const a = await first.embed(texts);
    await first.dispose();
    const second = await createEmbedder(`transformers:${tinyBertDir}`, { cacheDir: dir, batchSize: 4, maxLength: 8 });
    const b = await second.embed(texts);
    await second.dispose();
    expect(a.nCached).toBe(0);
    expect(b.nCached).toBe(10);
    expect(b.vectors.data).toEqual(a.vectors.data);
    expect(a.nTruncated).toBeGreaterThan(0);
    expect(b.nTruncated).toBe(a.nTruncated);
    const db = new Database(path.join(dir, EMBEDDING_CACHE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((db.prepare('SELECT COUNT(*) AS n FROM embeddings').get() as { n: number }).n).toBe(10);
    db.close();
  });

  it('keys on pooling, normalisation and max length: a different setting is a miss', async () => {
    const dir = freshDir();
    const base = await createEmbedder(`transformers:${tinyBertDir}`, { cacheDir: dir, maxLength: 8 });
    await base.embed(texts.slice(0, 3));
    await base.dispose();
    for (const options of [{ pooling: 'cls' as const }, { normalize: true }, { maxLength: 16 }]) {
      const other = await createEmbedder(`transformers:${tinyBertDir}`, { cacheDir: dir, maxLength: 8, ...options });
      const out = await other.embed(texts.slice(0, 3));
      await other.dispose();
      expect(out.nCached).toBe(0);
    }
  });

  it('a run stopped after two batches resumes: those batches are cached, the rest computed, vectors unchanged', async () => {
    const dir = freshDir();
    const model = `transformers:${tinyBertDir}`;
    const interrupted = await createEmbedder(model, { cacheDir: dir, batchSize: 3, maxLength: 8 });
    await expect(interrupted.embed(texts, { progress: stopAfter(2) })).rejects.toThrow('simulated kill');
    await interrupted.dispose();

    const cache = EmbeddingCache.openInDir(dir);
    expect(cache.count()).toBe(6);
    cache.close();

    const resumed = await createEmbedder(model, { cacheDir: dir, batchSize: 3, maxLength: 8 });
    const out = await resumed.embed(texts);
    await resumed.dispose();
    const uncached = await createEmbedder(model, { cacheDir: null, batchSize: 3, maxLength: 8 });
    const reference = await uncached.embed(texts);
    await uncached.dispose();
    expect(out.nCached).toBe(6);
    expect(out.vectors.data).toEqual(reference.vectors.data);
    expect(out.nTruncated).toBe(reference.nTruncated);
    expect(out.nTruncated).toBeGreaterThan(0);
  });

  it('word vectors bypass the cache: pooling them is faster than a lookup', async () => {
    const dir = freshDir();
    const embedder = await createEmbedder('wordvec:sg100d', { cacheDir: dir, artifactsDir: sharedTableCacheDir });
    const out = await embedder.embed(texts);
    await embedder.dispose();
    expect(out.nCached).toBe(0);
    expect(fs.readdirSync(dir)).not.toContain(EMBEDDING_CACHE_FILE);
  });

  it('cacheDir: null writes no cache file', async () => {
    const dir = freshDir();
    const saved = process.env.SHIFTLENS_CACHE_DIR;
    process.env.SHIFTLENS_CACHE_DIR = dir; // where a cache would go by default
    try {
      const embedder = await createEmbedder(`transformers:${tinyBertDir}`, { cacheDir: null });
      const out = await embedder.embed(texts.slice(0, 2));
      await embedder.dispose();
      expect(out.nCached).toBe(0);
      expect(fs.readdirSync(dir)).toEqual([]);
      const cached = await createEmbedder(`transformers:${tinyBertDir}`, {});
      await cached.embed(texts.slice(0, 2));
      await cached.dispose();
      expect(fs.readdirSync(dir)).toContain(EMBEDDING_CACHE_FILE);
    } finally {
      process.env.SHIFTLENS_CACHE_DIR = saved;
    }
  });

  it('stores float32 blobs under sha256 of the text', () => {
    const dir = freshDir();
    const cache = EmbeddingCache.openInDir(dir);
    const key = { model: 'm', pooling: 'mean', normalize: false, maxLength: null };
    const vector = new Float32Array([1.5, -2.25, 3.125]);
    cache.putBatch(key, [{ hash: textHash('hello'), vector, stats: { truncated: true, nKnown: 4, nOov: 1 } }]);
    expect(cache.get(key, textHash('hello'))).toEqual({ vector, stats: { truncated: true, nKnown: 4, nOov: 1 } });
    expect(cache.get(key, textHash('hello '))).toBeNull();
    expect(cache.get({ ...key, maxLength: 512 }, textHash('hello'))).toBeNull();
    expect(textHash('hello').toString('hex')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    cache.close();
  });
});
