/**
 * Loads the sg100d table from the cache dir, converting the package JSON once when the table is missing,
 * stale (other package version/size) or unreadable. Concurrent processes coordinate through a lock file so the
 * ~10 s conversion runs once; the table itself is written atomically.
 *
 * The lock file holds the holder's PID and host. A lock whose process is gone (killed mid-conversion: Ctrl-C
 * removes the lock itself, SIGKILL cannot) is taken over at once; a live holder is waited for, with a note
 * saying so. A lock from another host (a shared network folder), where liveness cannot be checked, counts as
 * stale after STALE_LOCK_MS. Half-written tables left by dead processes are removed by the next converter.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isProcessAlive, registerCleanup } from '../../core/cleanup.js';
import { fsErrorToInputError } from '../../core/errors.js';
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

/** A lock from another host older than this is taken to be left by a killed process (a conversion takes ~10 s). */
const STALE_LOCK_MS = 10 * 60_000;
const POLL_MS = 200;
/** While waiting for a live holder, say so again this often. */
const WAIT_NOTE_MS = 30_000;

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
    progress,
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
  /** Where to say that another process holds the conversion lock. */
  progress?: Progress;
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
  let lastNote = 0;
  const started = Date.now();
  while (!tryAcquire(lock)) {
    const holder = readLock(lock);
    if (holder && isStale(holder)) {
      takeOver(lock, holder);
      continue;
    }
    if (holder && Date.now() - lastNote >= WAIT_NOTE_MS) {
      lastNote = Date.now();
      const waited = lastNote - started >= 1000 ? ` (${Math.round((lastNote - started) / 1000)} s so far)` : '';
      builder.progress?.note(
        `waiting for process ${holder.pid}${holder.host !== os.hostname() ? ` on ${holder.host}` : ''}, which is converting the word vectors (lock ${lock})${waited}`,
      );
    }
    await sleep(POLL_MS);
    const ready = readCurrent();
    if (ready) return ready;
  }
  // Ctrl-C or SIGTERM during the conversion must not leave the lock (or a half-written table) behind.
  const unregister = registerCleanup(() => {
    removeTemporaries(file, true);
    fs.rmSync(lock, { force: true });
  });
  try {
    const again = readCurrent();
    if (again) return again;
    removeTemporaries(file, false);
    const { words, dim, vectors, metadata } = builder.build();
    const bytes = encodeTable(words, dim, vectors, metadata);
    try {
      writeFileAtomic(file, bytes);
    } catch (error) {
      // A full disk reports ENOSPC on write(), naming no file: name the table and the way out.
      throw (
        fsErrorToInputError(error, {
          path: file,
          action: 'write the word-vector table',
          advice: 'it needs ~140 MB: free some space or choose another --cache-dir',
        }) ?? error
      );
    }
    return decodeTable(bytes);
  } finally {
    unregister();
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
    fs.writeFileSync(lock, `${process.pid}\n${os.hostname()}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

interface LockHolder {
  pid: number;
  host: string;
  /** The lock file's contents, to check a take-over removes the lock it judged. */
  text: string;
  mtimeMs: number;
}

/** Who holds the lock (null when it vanished meanwhile). Older locks hold the PID alone: this host. */
function readLock(lock: string): LockHolder | null {
  try {
    const text = fs.readFileSync(lock, 'utf8');
    const [pidLine, hostLine] = text.split('\n');
    const pid = Number(pidLine.trim());
    return { pid, host: hostLine?.trim() || os.hostname(), text, mtimeMs: fs.statSync(lock).mtimeMs };
  } catch {
    return null;
  }
}

function isStale(holder: LockHolder): boolean {
  // An empty or garbled lock (a holder killed between creating and writing it) after a grace period.
  if (!Number.isSafeInteger(holder.pid) || holder.pid <= 0) return Date.now() - holder.mtimeMs > 2_000;
  if (holder.host === os.hostname()) return !isProcessAlive(holder.pid);
  return Date.now() - holder.mtimeMs > STALE_LOCK_MS;
}

/**
 * Remove a stale lock — only the one judged stale: it is renamed away first and its contents compared, so that a
 * fresh lock another waiter took meanwhile is put back rather than deleted.
 */
function takeOver(lock: string, holder: LockHolder): void {
  const moved = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, moved);
  } catch {
    return; // Someone else removed it first.
  }
  let text = '';
  try {
    text = fs.readFileSync(moved, 'utf8');
  } catch {
    // Unreadable: treat as the stale one.
  }
  if (text !== holder.text) {
    try {
      fs.linkSync(moved, lock); // Put the live lock back unless yet another one was taken meanwhile.
    } catch {
      // A lock exists again: its holder converts; we wait for it.
    }
  }
  fs.rmSync(moved, { force: true });
}

/** Half-written tables (`<file>.tmp-<pid>-…`) of dead processes, or this process's own when `own`. */
function removeTemporaries(file: string, own: boolean): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.tmp-`;
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (own ? pid === process.pid : pid !== process.pid && !isProcessAlive(pid)) {
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
