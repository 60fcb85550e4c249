/**
 * SQLite and file-system failures of a database file the user named (the embedding cache, the monitor history) as
 * one-line InputErrors that name the file and say what to do, instead of "internal error: SqliteError …".
 */
import { fsErrorToInputError, InputError } from './errors.js';

/** What SQLite's primary result codes mean for the user. */
const SQLITE_MEANING: Record<string, string> = {
  SQLITE_NOTADB: 'it is not an SQLite database',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_FULL: 'no space left on the device',
  SQLITE_READONLY: 'the file or its folder is read-only',
  SQLITE_CANTOPEN: 'the file cannot be opened (missing folder or no permission)',
  SQLITE_IOERR: 'input/output error (a full or failing disk?)',
  SQLITE_PERM: 'permission denied',
  SQLITE_BUSY: 'another process holds it locked',
  SQLITE_LOCKED: 'another process holds it locked',
};

export interface DatabaseFile {
  /** The database file's path. */
  file: string;
  /** What it is, for the sentence: "the embedding cache", "the monitor history". */
  what: string;
  /** What to do, e.g. "choose another --history file". */
  advice: string;
  /** What to do after an SQLite failure, when it differs from `advice`. */
  sqliteAdvice?: string;
}

/** `error` as an InputError naming the file when it is a file-system or SQLite failure; other errors unchanged. */
export function databaseUserError(error: unknown, action: string, db: DatabaseFile): Error {
  if (error instanceof InputError) return error;
  const fsError = fsErrorToInputError(error, { path: db.file, action: `${action} ${db.what}`, advice: db.advice });
  if (fsError) return fsError;
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && e.code.startsWith('SQLITE_')) {
    const meaning = SQLITE_MEANING[e.code.split('_').slice(0, 2).join('_')] ?? String(e.message);
    return new InputError(
      `cannot ${action} ${db.what} ${db.file}: ${meaning} (${e.code}); ${db.sqliteAdvice ?? db.advice}`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
