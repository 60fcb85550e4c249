/**
 * Writing one or more files beside each other all-or-nothing: each is written under a temporary name in its own
 * folder, and only when all are complete are they renamed into place (the main file last). A failure or a signal
 * removes the temporaries, so a failed run never leaves a partial vectors file.
 */
import { rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { registerCleanup } from '../core/cleanup.js';
import { fsErrorToInputError } from '../core/errors.js';

export interface StagedFile {
  /** Final path. */
  file: string;
  /** Writes the complete contents to `temp`. */
  write(temp: string): Promise<void> | void;
}

/** Writes every file, then renames them into place in order; returns the final paths. */
export async function writeFilesAtomically(files: StagedFile[]): Promise<string[]> {
  const stamp = `.shiftlens-tmp-${process.pid}-${Date.now()}`;
  const temps = files.map((f) => path.join(path.dirname(f.file), `.${path.basename(f.file)}${stamp}`));
  const unregister = registerCleanup(() => {
    for (const t of temps) rmSync(t, { force: true });
  });
  try {
    for (let i = 0; i < files.length; i++) await files[i].write(temps[i]);
    for (let i = 0; i < files.length; i++) await rename(temps[i], files[i].file);
    return files.map((f) => f.file);
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw fsErrorToInputError(error, { advice: 'choose another --out' }) ?? error;
  } finally {
    unregister();
  }
}
