/**
 * A corrupt embedding cache — garbage in the file, or a real SQLite file cut short — is moved aside, rebuilt and
 * reported, whether found on opening or by a later read; a folder that cannot hold a cache is one clear error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDING_CACHE_FILE, EmbeddingCache, textHash } from '../../src/embed/cache/embeddingCache.js';
import { tempDirSync } from './faultHelpers.js';

const key = { model: 'm', pooling: 'mean', normalize: false, maxLength: null };
const entry = (i: number) => ({
  hash: textHash(`text ${i}`),
  vector: new Float32Array(64).fill(i),
  stats: { truncated: false, nKnown: 3, nOov: 0 },
});

function asideFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.startsWith(`${EMBEDDING_CACHE_FILE}.corrupt-`));
}

describe('corrupt embedding cache', () => {
  it('garbage in the file: moved aside on opening, a fresh cache works, the warning names both files', () => {
    const dir = tempDirSync();
    const file = path.join(dir, EMBEDDING_CACHE_FILE);
    fs.writeFileSync(file, 'this is not a database '.repeat(200));
    const cache = EmbeddingCache.openInDir(dir);
    expect(cache.warnings).toHaveLength(1);
    const [aside] = asideFiles(dir);
    expect(cache.warnings[0]).toContain(file);
    expect(cache.warnings[0]).toContain(path.join(dir, aside));
    expect(cache.warnings[0]).toMatch(/file is not a database/);
    expect(fs.readFileSync(path.join(dir, aside), 'utf8')).toMatch(/^this is not a database/);
    cache.putBatch(key, [entry(1)]);
    expect(cache.get(key, entry(1).hash)?.vector).toEqual(entry(1).vector);
    cache.close();
    // The rebuilt cache is sound: the next run opens it without a warning and finds what was stored.
    const again = EmbeddingCache.openInDir(dir);
    expect(again.warnings).toEqual([]);
    expect(again.count()).toBe(1);
    again.close();
  });

  it('a real cache cut short: found by a later read, moved aside, the read is a miss and writes go on', () => {
    const dir = tempDirSync();
    const file = path.join(dir, EMBEDDING_CACHE_FILE);
    const first = EmbeddingCache.openInDir(dir);
    first.putBatch(
      key,
      Array.from({ length: 3000 }, (_, i) => entry(i)),
    );
    first.close();
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const cache = EmbeddingCache.openInDir(dir);
    // Some page of the index is gone: a lookup deep in it (or the open itself) meets the damage.
    let missed = 0;
    for (let i = 0; i < 3000; i += 50) if (cache.get(key, entry(i).hash) === null) missed++;
    expect(missed).toBeGreaterThan(0);
    expect(cache.warnings).toHaveLength(1);
    expect(cache.warnings[0]).toMatch(/malformed|not a database/);
    expect(asideFiles(dir)).toHaveLength(1);
    cache.putBatch(key, [entry(7)]);
    expect(cache.count()).toBe(1);
    cache.close();
  });

  it('a cache folder below a file is one line naming it', () => {
    const dir = tempDirSync();
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expect(() => EmbeddingCache.openInDir(path.join(dir, 'file', 'cache'))).toThrow(
      /^cannot create the cache folder .*file\/cache: a part of the path is a file, not a folder \(ENOTDIR\); choose a writable --cache-dir, or run with --no-cache$/,
    );
  });
});
