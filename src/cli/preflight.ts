/**
 * What every command checks before reading a row: the output folder can take the outputs, and the cache folder
 * can take what the model needs to store there. A run that would fail at the end fails here, in a second.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { checkOutputFile, checkOutputFolder } from '../result/outputFolder.js';
import { checkCacheFolder, defaultCacheDir } from '../embed/cacheDir.js';
import { sg100dTablePath } from '../embed/wordvec/tableStore.js';
import type { EmbeddingCliFlags, InputCliFlags } from './sharedFlags.js';
import { InputError } from '../core/errors.js';

const VECTOR_FORMATS = new Set(['npy', 'embeddings-jsonl']);
const PARQUET_EXTENSIONS = new Set(['.parquet', '.pq']);

export async function preflight(
  flags: Pick<InputCliFlags, 'reference' | 'target' | 'inputFormat' | 'vectorField' | 'encoding' | 'textColumn'> &
    EmbeddingCliFlags & { out: string },
  outKind: 'folder' | 'file' = 'folder',
): Promise<void> {
  if (outKind === 'folder') checkOutputFolder(flags.out);
  else checkOutputFile(flags.out);
  if (flags.cacheDir !== undefined && flags.cacheDir.trim() === '') {
    throw new InputError('--cache-dir is empty: name a folder, or leave the option out for the default');
  }
  const sides = await Promise.all([flags.reference, flags.target].map((source) => holdsVectors(source, flags)));
  const vectorsOnly = sides.every(Boolean);
  if (vectorsOnly || flags.model.trim() === 'precomputed') return;
  // Mirrors the registry: derived files (table, downloads) go to --cache-dir, with or without --no-cache.
  const dir = flags.cacheDir ?? defaultCacheDir();
  const kind = flags.model.trim().split(':')[0];
  if (kind === 'wordvec') {
    // A converted table already there is only read: a read-only cache folder is fine then.
    if (!existsFile(sg100dTablePath(dir))) checkCacheFolder(dir);
  } else if (flags.cache) {
    checkCacheFolder(dir);
  }
}

/** Whether a source is precomputed vectors (no model runs for it): .npy, a vector format, embeddings JSONL or Parquet. */
async function holdsVectors(
  source: string,
  flags: Pick<InputCliFlags, 'inputFormat' | 'vectorField' | 'encoding' | 'textColumn'>,
): Promise<boolean> {
  const ext = path.extname(source).toLowerCase();
  // The readers are loaded for the inputs that need them, not by every command line.
  if (flags.inputFormat === 'parquet' || (flags.inputFormat === undefined && PARQUET_EXTENSIONS.has(ext))) {
    const { parquetHoldsVectors } = await import('../ingest/parquet.js');
    return parquetHoldsVectors(source, flags);
  }
  if (flags.inputFormat !== undefined) return VECTOR_FORMATS.has(flags.inputFormat);
  if (ext === '.npy') return true;
  if (ext !== '.jsonl' && ext !== '.ndjson') return false;
  try {
    const { looksLikeEmbeddingsJsonl } = await import('../ingest/embeddingsJsonl.js');
    return await looksLikeEmbeddingsJsonl(source, {
      vectorField: flags.vectorField,
      encoding: flags.encoding,
      seed: 0,
    });
  } catch {
    return false; // Unreadable or malformed: loading it reports that, naming the line.
  }
}

function existsFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
