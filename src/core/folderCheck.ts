/**
 * Checks, before any long work, that a folder the run will write into can be written: every existing part of the
 * path is a folder, and the nearest existing one accepts a new entry (tried for real, because permission bits
 * say nothing for root, read-only mounts or full disks). Throws an InputError naming the path and the flag.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fsErrorToInputError, InputError } from './errors.js';

/** `dir` (absolute) must be creatable and writable; `flag` names the option in messages ("--out"). */
export function assertWritableFolder(dir: string, flag: string, what = 'folder'): void {
  let existing = dir;
  for (;;) {
    let stat: fs.Stats | null = null;
    try {
      stat = fs.statSync(existing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw belowFile(dir, firstFileAbove(existing), flag);
      if (code !== 'ENOENT') throw asInputError(error, existing, flag, what);
    }
    if (stat) {
      if (!stat.isDirectory()) {
        if (existing === dir) throw new InputError(`${flag} ${dir} is an existing file, not a folder: choose a folder`);
        throw belowFile(dir, existing, flag);
      }
      break;
    }
    const up = path.dirname(existing);
    if (up === existing) break;
    existing = up;
  }
  try {
    fs.rmdirSync(fs.mkdtempSync(path.join(existing, '.shiftlens-check-')));
  } catch (error) {
    throw asInputError(error, existing, flag, what);
  }
}

function belowFile(dir: string, file: string, flag: string): InputError {
  return new InputError(`${flag} ${dir} is below ${file}, which is a file, not a folder: choose another ${flag}`);
}

/** The first path, from the root down to `p`, that exists and is not a folder. */
function firstFileAbove(p: string): string {
  const parts: string[] = [];
  for (let q = p; ; q = path.dirname(q)) {
    parts.unshift(q);
    if (path.dirname(q) === q) break;
  }
  for (const q of parts) {
    try {
      if (!fs.statSync(q).isDirectory()) return q;
    } catch {
      return q;
    }
  }
  return p;
}

function asInputError(error: unknown, where: string, flag: string, what: string): InputError {
  return (
    fsErrorToInputError(error, { path: where, action: 'write in', advice: `choose a writable ${what} with ${flag}` }) ??
    new InputError(`${flag}: cannot write in ${where} (${(error as Error).message}); choose a writable ${what}`)
  );
}
