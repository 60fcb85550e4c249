/**
 * A persistent store of text embeddings (better-sqlite3, WAL), keyed by
 * (model identity, pooling, normalize, maxLength, sha256(text)). Vectors are float32 blobs; each batch is written
 * in one transaction, so a killed run loses at most the batch in flight and a rerun skips everything stored.
 * A transformers model's identity names the SHA-256 of its weights file (and of its tokenizer and config), which
 * `fileDigest` computes once per file and remembers here by the file's size, times and inode (fileDigest.ts).
 *
 * A cache file that is not SQLite, or is malformed (garbage, cut short), is never a reason to fail or to run
 * without a cache from then on: whether found on opening or by a later read or write, the file (with its -wal and
 * -shm) is renamed aside to `embeddings.sqlite.corrupt-<time>`, a fresh cache is started in its place, and
 * `warnings` says so (the pipeline copies it into result.json). Any other failure (no permission, read-only or
 * full disk) is an InputError naming the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fsErrorToInputError, InputError } from '../../core/errors.js';
import { databaseUserError } from '../../core/sqliteErrors.js';
import type { TextStats } from '../backend.js';
import { fileStamp, sha256File } from './fileDigest.js';

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

type Entry = { hash: Buffer; vector: Float32Array; stats: TextStats };

export function textHash(text: string): Buffer {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

/** SQLite's own word that the file is not a (sound) database. */
function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export class EmbeddingCache {
  /** Things the user should know about this cache (a corrupt file moved aside); copied into result.json. */
  readonly warnings: string[] = [];
  private db!: Database.Database;
  private selectOne!: Database.Statement;
  private insertOne!: Database.Statement;
  private insertMany!: (key: CacheKey, entries: Entry[]) => void;
  private selectDigest!: Database.Statement;
  private insertDigest!: Database.Statement;

  private constructor(readonly file: string) {
    this.guard('open', () => this.open());
  }

  private open(): void {
    const file = this.file;
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 10000');
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version !== 0 && version !== SCHEMA_VERSION) {
        throw new InputError(
          `embedding cache ${file} has schema version ${version} (another shiftlens version), expected ${SCHEMA_VERSION}: give another --cache-dir, run with --no-cache, or delete the file`,
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
        CREATE TABLE IF NOT EXISTS file_digests (
          path TEXT PRIMARY KEY,
          size INTEGER NOT NULL,
          mtime_ns TEXT NOT NULL,
          ctime_ns TEXT NOT NULL,
          ino TEXT NOT NULL,
          sha256 TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      this.selectDigest = this.db.prepare(
        'SELECT sha256 FROM file_digests WHERE path = ? AND size = ? AND mtime_ns = ? AND ctime_ns = ? AND ino = ?',
      );
      this.insertDigest = this.db.prepare(
        'INSERT OR REPLACE INTO file_digests (path, size, mtime_ns, ctime_ns, ino, sha256) VALUES (?, ?, ?, ?, ?, ?)',
      );
      this.selectOne = this.db.prepare(
        `SELECT dim, vector, truncated, n_known, n_oov FROM embeddings
         WHERE model = ? AND pooling = ? AND normalize = ? AND max_length = ? AND text_hash = ?`,
      );
      this.insertOne = this.db.prepare(
        `INSERT OR REPLACE INTO embeddings (model, pooling, normalize, max_length, text_hash, dim, vector, truncated, n_known, n_oov)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      this.insertMany = this.db.transaction((key: CacheKey, entries: Entry[]) => {
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
      });
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /**
   * Run `work`; on corruption move the file aside, start afresh and run it once more (a second corruption, of a
   * file just created, is a real fault). Other failures become one line naming the file.
   */
  private guard<T>(action: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (!isCorruption(error)) throw this.userError(error, action);
      this.recover(error as Error);
      try {
        return work();
      } catch (again) {
        throw this.userError(again, action);
      }
    }
  }

  private recover(cause: Error): void {
    if (this.db?.open) this.db.close();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = `${this.file}.corrupt-${stamp}`;
    try {
      fs.renameSync(this.file, aside);
      for (const suffix of ['-wal', '-shm']) fs.rmSync(`${this.file}${suffix}`, { force: true });
    } catch (error) {
      throw this.userError(error, 'move aside');
    }
    this.warnings.push(
      `The embedding cache ${this.file} was unreadable (${cause.message}); it was moved aside to ${aside} and a new cache was started, so this run embedded its texts afresh.`,
    );
    this.open();
  }

  private userError(error: unknown, action: string): Error {
    return databaseUserError(error, action, {
      file: this.file,
      what: 'the embedding cache',
      advice: 'choose a writable --cache-dir, or run with --no-cache',
      sqliteAdvice: 'choose another --cache-dir, or run with --no-cache',
    });
  }

  /** Open (creating if needed) the cache file `<dir>/embeddings.sqlite`. */
  static openInDir(dir: string): EmbeddingCache {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw (
        fsErrorToInputError(error, {
          path: dir,
          action: 'create the cache folder',
          advice: 'choose a writable --cache-dir, or run with --no-cache',
        }) ?? error
      );
    }
    return new EmbeddingCache(path.join(dir, EMBEDDING_CACHE_FILE));
  }

  get(key: CacheKey, hash: Buffer): CachedEmbedding | null {
    const row = this.guard('read', () => this.selectOne.get(...keyParams(key), hash) as Row | undefined);
    if (!row) return null;
    if (row.vector.length !== row.dim * 4) return null;
    // Copy: the blob's Buffer need not be 4-byte aligned for a Float32Array view.
    const vector = new Float32Array(row.dim);
    new Uint8Array(vector.buffer).set(row.vector);
    return { vector, stats: { truncated: row.truncated === 1, nKnown: row.n_known, nOov: row.n_oov } };
  }

  /** Store one batch in a single transaction. */
  putBatch(key: CacheKey, entries: Entry[]): void {
    if (entries.length > 0) this.guard('write', () => this.insertMany(key, entries));
  }

  /**
   * SHA-256 (hex) of a file, from the memo when the file's size, modification and change times and inode are the
   * ones it was hashed at; hashed (and remembered) otherwise. A file that changes while being hashed is not
   * remembered.
   */
  fileDigest(file: string): string {
    const stamp = fileStamp(file);
    const params = [stamp.path, stamp.size, stamp.mtimeNs, stamp.ctimeNs, stamp.ino] as const;
    const row = this.guard('read', () => this.selectDigest.get(...params) as { sha256: string } | undefined);
    if (row) return row.sha256;
    const digest = sha256File(file);
    const after = fileStamp(file);
    if (after.size === stamp.size && after.mtimeNs === stamp.mtimeNs && after.ctimeNs === stamp.ctimeNs) {
      this.guard('write', () => this.insertDigest.run(...params, digest));
    }
    return digest;
  }

  /** Number of stored vectors for a key (all keys when omitted). */
  count(key?: CacheKey): number {
    return this.guard('read', () => {
      if (!key) return (this.db.prepare('SELECT COUNT(*) AS n FROM embeddings').get() as { n: number }).n;
      const row = this.db
        .prepare(
          'SELECT COUNT(*) AS n FROM embeddings WHERE model = ? AND pooling = ? AND normalize = ? AND max_length = ?',
        )
        .get(...keyParams(key)) as { n: number };
      return row.n;
    });
  }

  close(): void {
    if (this.db?.open) this.db.close();
  }
}

/** NULL would make every key distinct in SQLite's primary key, so "no limit" is stored as 0. */
function keyParams(key: CacheKey): [string, string, number, number] {
  return [key.model, key.pooling, key.normalize ? 1 : 0, key.maxLength ?? 0];
}
