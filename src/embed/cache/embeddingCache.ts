/**
 * A persistent store of text embeddings (better-sqlite3, WAL), keyed by
 * (model identity, pooling, normalize, maxLength, sha256(text)). Vectors are float32 blobs; each batch is written
 * in one transaction, so a killed run loses at most the batch in flight and a rerun skips everything stored.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TextStats } from '../backend.js';

export const EMBEDDING_CACHE_FILE = 'embeddings.sqlite';
const SCHEMA_VERSION = 1;

export interface CacheKey {
  model: string;
  pooling: string;
  normalize: boolean;
  /** Token limit, or null when the backend has none. */
  maxLength: number | null;
}

export interface CachedEmbedding {
  vector: Float32Array;
  stats: TextStats;
}

interface Row {
  dim: number;
  vector: Buffer;
  truncated: number;
  n_known: number;
  n_oov: number;
}

export function textHash(text: string): Buffer {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

export class EmbeddingCache {
  private readonly db: Database.Database;
  private readonly selectOne: Database.Statement;
  private readonly insertOne: Database.Statement;
  private readonly insertMany: (
    key: CacheKey,
    entries: { hash: Buffer; vector: Float32Array; stats: TextStats }[],
  ) => void;

  private constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version !== 0 && version !== SCHEMA_VERSION) {
      this.db.close();
      throw new Error(
        `embedding cache ${file} has schema version ${version}, expected ${SCHEMA_VERSION}; delete the file to rebuild it`,
      );
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS embeddings (
        model TEXT NOT NULL,
        pooling TEXT NOT NULL,
        normalize INTEGER NOT NULL,
        max_length INTEGER NOT NULL,
        text_hash BLOB NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        truncated INTEGER NOT NULL,
        n_known INTEGER NOT NULL,
        n_oov INTEGER NOT NULL,
        PRIMARY KEY (model, pooling, normalize, max_length, text_hash)
      ) WITHOUT ROWID;
    `);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.selectOne = this.db.prepare(
      `SELECT dim, vector, truncated, n_known, n_oov FROM embeddings
       WHERE model = ? AND pooling = ? AND normalize = ? AND max_length = ? AND text_hash = ?`,
    );
    this.insertOne = this.db.prepare(
      `INSERT OR REPLACE INTO embeddings (model, pooling, normalize, max_length, text_hash, dim, vector, truncated, n_known, n_oov)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMany = this.db.transaction(
      (key: CacheKey, entries: { hash: Buffer; vector: Float32Array; stats: TextStats }[]) => {
        const k = keyParams(key);
        for (const e of entries) {
          const blob = Buffer.from(e.vector.buffer, e.vector.byteOffset, e.vector.byteLength);
          this.insertOne.run(
            ...k,
            e.hash,
            e.vector.length,
            blob,
            e.stats.truncated ? 1 : 0,
            e.stats.nKnown,
            e.stats.nOov,
          );
        }
      },
    );
  }

  /** Open (creating if needed) the cache file `<dir>/embeddings.sqlite`. */
  static openInDir(dir: string): EmbeddingCache {
    fs.mkdirSync(dir, { recursive: true });
    return new EmbeddingCache(path.join(dir, EMBEDDING_CACHE_FILE));
  }

  get(key: CacheKey, hash: Buffer): CachedEmbedding | null {
    const row = this.selectOne.get(...keyParams(key), hash) as Row | undefined;
    if (!row) return null;
    if (row.vector.length !== row.dim * 4) return null;
    // Copy: the blob's Buffer need not be 4-byte aligned for a Float32Array view.
    const vector = new Float32Array(row.dim);
    new Uint8Array(vector.buffer).set(row.vector);
    return { vector, stats: { truncated: row.truncated === 1, nKnown: row.n_known, nOov: row.n_oov } };
  }

  /** Store one batch in a single transaction. */
  putBatch(key: CacheKey, entries: { hash: Buffer; vector: Float32Array; stats: TextStats }[]): void {
    if (entries.length > 0) this.insertMany(key, entries);
  }

  /** Number of stored vectors for a key (all keys when omitted). */
  count(key?: CacheKey): number {
    if (!key) return (this.db.prepare('SELECT COUNT(*) AS n FROM embeddings').get() as { n: number }).n;
    const row = this.db
      .prepare(
        'SELECT COUNT(*) AS n FROM embeddings WHERE model = ? AND pooling = ? AND normalize = ? AND max_length = ?',
      )
      .get(...keyParams(key)) as { n: number };
    return row.n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** NULL would make every key distinct in SQLite's primary key, so "no limit" is stored as 0. */
function keyParams(key: CacheKey): [string, string, number, number] {
  return [key.model, key.pooling, key.normalize ? 1 : 0, key.maxLength ?? 0];
}
