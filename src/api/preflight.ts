/**
 * What the library checks before any work, as the CLI's preflight does: the output folder (when one is given)
 * can take the outputs, the model spec and its options are usable, the cache folder can take what the model
 * stores there, and a Hugging Face Hub model's config can be had (from its download cache or the Hub). The
 * library's sides are rows in memory, so there are no file headers to check columns in. Also: which Progress to
 * use.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { assertWritableFolder } from '../core/folderCheck.js';
import { createProgress, silentProgress, type Progress } from '../core/progress.js';
import { defaultCacheDir } from '../embed/cacheDir.js';
import type { EmbedderOptions } from '../embed/registry.js';
import { sg100dTablePath } from '../embed/wordvec/tableStore.js';
import { DEFAULT_MODEL } from '../pipeline/compareOptions.js';
import { checkOutputFolder } from '../result/outputFolder.js';

/** `pooling`, `maxLength`, `batchSize`, `endpoint`: the options the model will run with, checked with its spec. */
export async function checkBeforeWork(
  options: {
    outDir?: string;
    /** Whether a model will run (texts); vectors need no model and no cache. */
    texts: boolean;
    model?: string;
    cacheDir?: string | null;
  } & Pick<EmbedderOptions, 'pooling' | 'maxLength' | 'batchSize' | 'endpoint'>,
): Promise<void> {
  if (options.outDir !== undefined) checkOutputFolder(options.outDir, 'outDir');
  if (!options.texts) return;
  const model = (options.model ?? DEFAULT_MODEL).trim();
  // The registry is loaded here, not by every module that imports this one (the CLI's preflight does).
  const { checkModelReachable, checkModelSpec } = await import('../embed/registry.js');
  const { pooling, maxLength, batchSize, endpoint, cacheDir } = options;
  checkModelSpec(model, { pooling, maxLength, batchSize, endpoint });
  // As the registry does: without a cache, derived files (the word-vector table, downloads) use the default folder.
  checkModelCacheFolder(model, cacheDir ?? defaultCacheDir(), cacheDir !== null, 'cacheDir');
  // Last, the one check that may look outside: a hub model's config, from its download cache or the Hub.
  await checkModelReachable(model, { pooling, maxLength, batchSize, endpoint, cacheDir });
}

/**
 * The cache folder a model run needs (the library's checkBeforeWork and the CLI's preflight): word vectors convert
 * their table into it unless it is already there (then the folder is only read: read-only is fine); other models
 * store their embeddings there when the embedding cache is on.
 */
export function checkModelCacheFolder(model: string, dir: string, embeddingCache: boolean, flag: string): void {
  const needsWrite = model.split(':')[0] === 'wordvec' ? !isFile(sg100dTablePath(dir)) : embeddingCache;
  if (needsWrite) assertWritableFolder(path.resolve(dir), flag, 'cache folder');
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
