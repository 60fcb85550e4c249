/**
 * Loads the sg100d table from the cache dir, converting the package JSON once when the table is missing,
 * stale (other package version/size) or unreadable. Concurrent processes coordinate through a lock file so the
 * ~10 s conversion runs once; the table itself is written atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Progress } from '../../core/progress.js';
import {
  decodeTable,
  encodeTable,
  readTableFile,
  TABLE_FORMAT_VERSION,
  TableFormatError,
  writeFileAtomic,
  type TableMetadata,
  type WordTable,
} from './tableFormat.js';
import { locateWinkPackage, readWinkJson } from './winkSource.js';

/** A conversion lock older than this is taken to be left by a killed process. */
const STALE_LOCK_MS = 5 * 60_000;
const POLL_MS = 200;

export function sg100dTablePath(cacheDir: string): string {
  return path.join(cacheDir, 'wordvec', `sg100d.v${TABLE_FORMAT_VERSION}.bin`);
}

const loaded = new Map<string, WordTable>();

/** The sg100d table, from memory, from the cache dir, or converted now from the npm package (and stored). */
export async function loadSg100dTable(cacheDir: string, progress?: Progress): Promise<WordTable> {
  const file = sg100dTablePath(cacheDir);
  const memo = loaded.get(file);
  if (memo) return memo;
  const source = locateWinkPackage();
  const table = await loadOrBuildTable(file, {
    isCurrent: (m) =>
      m.source === source.metadata.source &&
      m.sourceVersion === source.metadata.sourceVersion &&
      m.sourceBytes === source.metadata.sourceBytes,
    build: () => {
      progress?.note(
        `converting ${source.metadata.source} ${source.metadata.sourceVersion} to a binary table in ${file} (once, ~10 s)`,
      );
      return { ...readWinkJson(source.jsonPath), metadata: source.metadata };
    },
  });
  return remember(file, table);
}

export interface TableBuilder {
  /** Whether a stored table still matches its source. */
  isCurrent(metadata: TableMetadata): boolean;
  build(): { words: string[]; dim: number; vectors: Float32Array; metadata: TableMetadata };
}

/**
 * Read `file` if it holds a current, intact table; otherwise build it under a lock file (other processes wait
 * for it instead of converting too) and write it atomically.
 */
export async function loadOrBuildTable(file: string, builder: TableBuilder): Promise<WordTable> {
  const readCurrent = () => {
    const t = tryRead(file);
    return t && builder.isCurrent(t.metadata) ? t : null;
  };
  const existing = readCurrent();
  if (existing) return existing;
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  while (!tryAcquire(lock)) {
    await sleep(POLL_MS);
    const ready = readCurrent();
    if (ready) return ready;
    if (isStale(lock)) fs.rmSync(lock, { force: true });
  }
  try {
    const again = readCurrent();
    if (again) return again;
    const { words, dim, vectors, metadata } = builder.build();
    const bytes = encodeTable(words, dim, vectors, metadata);
    writeFileAtomic(file, bytes);
    return decodeTable(bytes);
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function remember(file: string, table: WordTable): WordTable {
  loaded.set(file, table);
  return table;
}

function tryRead(file: string): WordTable | null {
  try {
    return readTableFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || error instanceof TableFormatError || error instanceof SyntaxError) return null;
    throw error;
  }
}

function tryAcquire(lock: string): boolean {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
