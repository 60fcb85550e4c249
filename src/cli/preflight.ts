/**
 * What every command checks before reading a row: the output folder can take the outputs, and the cache folder
 * can take what the model needs to store there. A run that would fail at the end fails here, in a second.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { checkOutputFolder } from '../result/outputFolder.js';
import { checkCacheFolder, defaultCacheDir } from '../embed/cacheDir.js';
import { sg100dTablePath } from '../embed/wordvec/tableStore.js';
import type { EmbeddingCliFlags, InputCliFlags } from './sharedFlags.js';

const VECTOR_FORMATS = new Set(['npy', 'embeddings-jsonl']);

export function preflight(flags: InputCliFlags & EmbeddingCliFlags & { out: string }): void {
  checkOutputFolder(flags.out);
  const vectorsOnly = [flags.reference, flags.target].every(
    (source) =>
      (flags.inputFormat !== undefined && VECTOR_FORMATS.has(flags.inputFormat)) ||
      path.extname(source).toLowerCase() === '.npy',
  );
  if (vectorsOnly || flags.model.trim() === 'precomputed') return;
  // Mirrors the registry: with --no-cache, derived files (table, downloads) go to the default folder.
  const dir = flags.cache ? (flags.cacheDir ?? defaultCacheDir()) : defaultCacheDir();
  const kind = flags.model.trim().split(':')[0];
  if (kind === 'wordvec') {
    // A converted table already there is only read: a read-only cache folder is fine then.
    if (!existsFile(sg100dTablePath(dir))) checkCacheFolder(dir);
  } else if (flags.cache) {
    checkCacheFolder(dir);
  }
}

function existsFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
