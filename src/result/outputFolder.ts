/**
 * The output folder, checked before any work: named (not ""), a folder of its own (not the current folder, one
 * above it, the home folder or a file system root: the writer replaces the folder as a whole), not an existing
 * file or below one, and writable. What a killed earlier run left beside it is finished or removed first.
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertWritableFolder } from '../core/folderCheck.js';
import { InputError } from '../core/errors.js';
import { recoverOutputFolder, resolveLink } from './writeOutputs.js';

/** Returns the absolute output folder. */
export function checkOutputFolder(outDir: string, flag = '--out'): string {
  if (outDir.trim() === '') {
    throw new InputError(`${flag} is empty: name a folder for the outputs, e.g. ${flag} shiftlens-out`);
  }
  const target = path.resolve(outDir);
  const cwd = process.cwd();
  const reserved =
    target === path.parse(target).root
      ? 'a file system root'
      : target === path.resolve(os.homedir())
        ? 'your home folder'
        : target === cwd
          ? 'the current folder'
          : isInside(cwd, target)
            ? 'a folder above the current one'
            : null;
  if (reserved) {
    throw new InputError(
      `${flag} ${outDir} is ${reserved}: shiftlens replaces its output folder as a whole, so name a folder of its own, e.g. ${flag} shiftlens-out`,
    );
  }
  const real = resolveLink(target);
  assertWritableFolder(real, flag, 'output folder');
  // The new set is staged beside the folder and renamed in: its parent must take new entries too.
  assertWritableFolder(path.dirname(real), flag, 'output folder');
  recoverOutputFolder(real);
  return real;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** An output file (`embed --out vectors.parquet`), checked before any work: named, not a folder, its folder writable. */
export function checkOutputFile(file: string, flag = '--out'): string {
  if (file.trim() === '') throw new InputError(`${flag} is empty: name the output file, e.g. ${flag} vectors.parquet`);
  const target = path.resolve(file);
  let isDir = false;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    // Absent (or unreadable: the folder check below says why).
  }
  if (isDir) throw new InputError(`${flag} ${file} is a folder: give a file path, e.g. ${flag} vectors.parquet`);
  assertWritableFolder(path.dirname(target), flag, 'folder for the output file');
  return target;
}
