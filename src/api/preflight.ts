/**
 * What the library checks before any work, as the CLI's preflight does: the output folder (when one is given)
 * can take the outputs, and the cache folder can take what the model stores there. Also: which Progress to use.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { assertWritableFolder } from '../core/folderCheck.js';
import { createProgress, silentProgress, type Progress } from '../core/progress.js';
import { defaultCacheDir } from '../embed/cacheDir.js';
import { sg100dTablePath } from '../embed/wordvec/tableStore.js';
import { DEFAULT_MODEL } from '../pipeline/compareOptions.js';
import { checkOutputFolder } from '../result/outputFolder.js';

export function checkBeforeWork(options: {
  outDir?: string;
  /** Whether a model will run (texts); vectors need no cache. */
  texts: boolean;
  model?: string;
  cacheDir?: string | null;
}): void {
  if (options.outDir !== undefined) checkOutputFolder(options.outDir, 'outDir');
  if (!options.texts) return;
  const model = (options.model ?? DEFAULT_MODEL).trim();
  // As the registry does: without a cache, derived files (the word-vector table, downloads) use the default folder.
  const dir = options.cacheDir ?? defaultCacheDir();
  if (model.split(':')[0] === 'wordvec') {
    // A converted table already there is only read: a read-only cache folder is fine then.
    if (!isFile(sg100dTablePath(dir))) assertWritableFolder(path.resolve(dir), 'cacheDir', 'cache folder');
  } else if (options.cacheDir !== null) {
    assertWritableFolder(path.resolve(dir), 'cacheDir', 'cache folder');
  }
}

/** true: bars on stderr; false: silent; a Progress: the caller's own. */
export function resolveProgress(progress: boolean | Progress): Progress {
  if (progress === true) return createProgress();
  if (progress === false) return silentProgress;
  return progress;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
