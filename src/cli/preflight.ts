/**
 * What every command checks before reading a row: the output folder can take the outputs, the model spec and its
 * options are usable, every column a side names is in its file's header, the cache folder can take what the
 * model needs to store there, and a Hugging Face Hub model's config can be had (its download cache or the Hub). A
 * run that would fail later fails here, in a fraction of a second, having loaded no model, word table or data rows.
 */
import path from 'node:path';
import { checkModelCacheFolder } from '../api/preflight.js';
import { InputError } from '../core/errors.js';
import { defaultCacheDir } from '../embed/cacheDir.js';
import { checkSourceColumns, type ColumnRequest } from '../ingest/sourceColumns.js';
import { checkOutputFile, checkOutputFolder } from '../result/outputFolder.js';
import { type EmbeddingCliFlags, type InputCliFlags, toEndpointOptions } from './sharedFlags.js';

const VECTOR_FORMATS = new Set(['npy', 'embeddings-jsonl']);
const PARQUET_EXTENSIONS = new Set(['.parquet', '.pq']);

export async function preflight(
  flags: Pick<InputCliFlags, 'reference' | 'target' | 'inputFormat' | 'vectorField' | 'encoding' | 'textColumn'> &
    EmbeddingCliFlags & { out: string },
  outKind: 'folder' | 'file' = 'folder',
  sides: readonly ColumnRequest[] = [],
): Promise<void> {
  if (outKind === 'folder') checkOutputFolder(flags.out);
  else checkOutputFile(flags.out);
  if (flags.cacheDir !== undefined && flags.cacheDir.trim() === '') {
    throw new InputError('--cache-dir is empty: name a folder, or leave the option out for the default');
  }
  const holds = await Promise.all([flags.reference, flags.target].map((source) => holdsVectors(source, flags)));
  const modelRuns = !holds.every(Boolean) && flags.model.trim() !== 'precomputed';
  if (modelRuns) {
    // The model spec and its options (a name, a folder, the API key): before any side loads.
    const { checkModelSpec } = await import('../embed/registry.js');
    checkModelSpec(flags.model, {
      pooling: flags.pooling,
      maxLength: flags.maxLength,
      batchSize: flags.batchSize,
      endpoint: toEndpointOptions(flags),
    });
  }
  // Every column a side names, from the file headers (and corpora's group and site names): before any side loads.
  for (const side of sides) await checkSourceColumns(side, flags);
  // Mirrors the registry: derived files (table, downloads) go to --cache-dir, with or without --no-cache.
  if (modelRuns) {
    checkModelCacheFolder(flags.model.trim(), flags.cacheDir ?? defaultCacheDir(), flags.cache, '--cache-dir');
    // Last, the one check that may look outside: a hub model's config, from its download cache or the Hub.
    const { checkModelReachable } = await import('../embed/registry.js');
    await checkModelReachable(flags.model, {
      pooling: flags.pooling,
      maxLength: flags.maxLength,
      batchSize: flags.batchSize,
      endpoint: toEndpointOptions(flags),
      cacheDir: flags.cache ? flags.cacheDir : null,
      artifactsDir: flags.cacheDir,
    });
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
