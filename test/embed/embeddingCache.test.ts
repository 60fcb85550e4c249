import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/core/progress.js';
import { EMBEDDING_CACHE_FILE, EmbeddingCache, textHash } from '../../src/embed/cache/embeddingCache.js';
import { createEmbedder } from '../../src/embed/registry.js';
import { readOnnxGraph } from '../../src/finetune/onnx/onnxModel.js';
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

  it('keys on the weights: a rewritten model file of the same size and time misses; a touched one is served', async () => {
    const model = freshDir();
    fs.cpSync(tinyBertDir, model, { recursive: true });
    const onnx = path.join(model, 'onnx', 'model.onnx');
    const dir = freshDir();
    const run = async () => {
      const embedder = await createEmbedder(`transformers:${model}`, { cacheDir: dir, maxLength: 8 });
      try {
        return await embedder.embed(texts);
      } finally {
        await embedder.dispose();
      }
    };
    const first = await run();
    expect(first.nCached).toBe(0);
    // Touched (new modification time, same bytes): the same weights, served from the cache.
    fs.utimesSync(onnx, new Date(), new Date(Date.now() + 60_000));
    const touched = await run();
    expect(touched.nCached).toBe(texts.length);
    expect(touched.vectors.data).toEqual(first.vectors.data);
    // Rewritten in place with the same size and the old modification time put back (as cp -p or an unpacked
    // archive leaves it): position embeddings 0 and 1 swapped, so every text's vector changes.
    const before = fs.statSync(onnx);
    const bytes = fs.readFileSync(onnx);
    const positions = readOnnxGraph(new Uint8Array(bytes)).tensors.get('embeddings.position_embeddings.weight');
    if (!positions?.data) throw new Error('tiny-bert has no position embeddings initializer');
    const width = positions.dims[1] * 4;
    const at = bytes.indexOf(Buffer.from(positions.data.buffer, positions.data.byteOffset, 2 * width));
    expect(at).toBeGreaterThan(0);
    const row0 = Buffer.from(bytes.subarray(at, at + width));
    bytes.copy(bytes, at, at + width, at + 2 * width);
    row0.copy(bytes, at + width);
    fs.writeFileSync(onnx, bytes);
    fs.utimesSync(onnx, before.atime, before.mtime);
    const after = fs.statSync(onnx);
    expect(after.size).toBe(before.size);
    // Exactly the old size and time: a key from sizes and times alone (the key before) would serve stale vectors.
    expect(after.mtimeMs).toBe(before.mtimeMs);
    const rewritten = await run();
    expect(rewritten.nCached).toBe(0);
    expect(rewritten.vectors.data).not.toEqual(first.vectors.data);
    // The digest is remembered by the file's stamp: one row per identity file, the new one for the ONNX file.
    const db = new Database(path.join(dir, EMBEDDING_CACHE_FILE), { readonly: true });
    const rows = db.prepare('SELECT path, sha256 FROM file_digests').all() as { path: string; sha256: string }[];
    db.close();
    expect(rows.map((r) => path.basename(r.path)).sort()).toEqual([
      'config.json',
      'model.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect(rows.find((r) => r.path === onnx)?.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
  });

  it('remembers a file digest by its stamp and hashes again when the file changes', () => {
    const dir = freshDir();
    const file = path.join(dir, 'weights.bin');
    fs.writeFileSync(file, 'abc');
    const cache = EmbeddingCache.openInDir(dir);
    try {
      const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
      expect(cache.fileDigest(file)).toBe(abc);
      expect(cache.fileDigest(file)).toBe(abc);
      const { mtime } = fs.statSync(file);
      fs.writeFileSync(file, 'abd');
      fs.utimesSync(file, mtime, mtime);
      expect(cache.fileDigest(file)).toBe(crypto.createHash('sha256').update('abd').digest('hex'));
    } finally {
      cache.close();
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
