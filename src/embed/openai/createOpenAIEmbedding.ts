/**
 * Building the openai:<model> backend for the registry: read the key from its environment variable, learn the
 * model's dimension (from the embedding cache when a previous run stored it, else from one probe request that
 * also checks URL, key, model and --embed-dimensions before any long work), and size the embedder's batches so
 * each one fills `concurrency` requests.
 */
import type { Progress } from '../../core/progress.js';
import type { EmbeddingBackend } from '../backend.js';
import type { CacheKey, EmbeddingCache } from '../cache/embeddingCache.js';
import { textHash } from '../cache/embeddingCache.js';
import type { EmbedderOptions } from '../registry.js';
import { EmbeddingsClient } from './embeddingsClient.js';
import { type RetryEvent, resolveEndpoint } from './endpointOptions.js';
import { createOpenAIBackend, DIMENSION_PROBE_TEXT, openAICacheIdentity, probeDimension } from './openaiBackend.js';
import { ServiceError } from './serviceError.js';

export async function createOpenAIEmbedding(args: {
  spec: string;
  model: string;
  options: EmbedderOptions;
  normalize: boolean;
  cache: EmbeddingCache | null;
}): Promise<{ backend: EmbeddingBackend; batchSize: number }> {
  const { options } = args;
  const endpoint = resolveEndpoint({
    ...options.endpoint,
    maxInputsPerRequest: options.endpoint?.maxInputsPerRequest ?? options.batchSize,
    onRetry: options.endpoint?.onRetry ?? retryNotes(args.model, options.progress),
  });
  const client = new EmbeddingsClient(endpoint, args.model);
  const identity = openAICacheIdentity({ model: args.model, endpoint });
  const probeKey: CacheKey = {
    model: `${identity}#dimension-probe`,
    pooling: 'mean',
    normalize: false,
    maxLength: null,
  };
  const probeHash = textHash(DIMENSION_PROBE_TEXT);
  let dim = args.cache?.get(probeKey, probeHash)?.vector.length ?? 0;
  if (dim === 0 || (endpoint.dimensions !== undefined && dim !== endpoint.dimensions)) {
    dim = await probeDimension(client, endpoint.dimensions);
    if (endpoint.dimensions !== undefined && dim !== endpoint.dimensions) {
      throw new ServiceError(`${client.where} returned ${dim}-d vectors for --embed-dimensions ${endpoint.dimensions}`);
    }
    // The probe entry records only the dimension (its vector is never used as an embedding).
    args.cache?.putBatch(probeKey, [
      { hash: probeHash, vector: new Float32Array(dim), stats: { truncated: false, nKnown: 0, nOov: 0 } },
    ]);
  }
  const backend = createOpenAIBackend(
    { id: args.spec, model: args.model, endpoint, normalize: args.normalize },
    dim,
    client,
  );
  return { backend, batchSize: endpoint.maxInputsPerRequest * endpoint.concurrency };
}

/** Retries as progress notes: the first three, then every 20th, so a rate-limited run says so without flooding. */
function retryNotes(model: string, progress: Progress | undefined): ((event: RetryEvent) => void) | undefined {
  if (!progress) return undefined;
  let n = 0;
  return (event) => {
    n++;
    if (n > 3 && n % 20 !== 0) return;
    const wait = `${(event.delayMs / 1000).toFixed(1)} s${event.fromRetryAfter ? ' (Retry-After)' : ''}`;
    progress.note(
      `${model}: ${event.reason}; retry ${event.attempt} in ${wait}${n === 3 ? '; further retries noted every 20th' : ''}`,
    );
  };
}
