/**
 * Before any data is read: a Hugging Face Hub id's config.json, from the library's download cache (offline, when
 * the model was downloaded before) or from the Hub (the first file a load fetches, a few hundred bytes). A hub model
 * that cannot load (no network, an unknown id) then fails in about a second, with the load's own one-line error,
 * rather than after the rows have been read. A local folder is checked by resolveModelSource alone.
 */
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { hubLoadMessage, resolveModelSource } from './modelSource.js';

export async function checkHubModelReachable(name: string, modelCacheDir: string): Promise<void> {
  const source = resolveModelSource(name);
  if (source.kind !== 'hub') return;
  // Loaded here only: the library is heavy, and a run with another model never needs it.
  const { AutoConfig, env } = await import('@huggingface/transformers');
  env.cacheDir = path.join(modelCacheDir, 'models');
  env.allowRemoteModels = true;
  try {
    await AutoConfig.from_pretrained(source.id);
  } catch (error) {
    throw new InputError(hubLoadMessage(source.id, error));
  }
}
