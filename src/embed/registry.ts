/**
 * createEmbedder(spec, options): the one entry the pipeline calls to get an Embedder from a model spec
 * "<kind>:<name>". Every backend is one entry of MODEL_BACKENDS; the CLI's --model help, the unknown-spec message
 * and docs/models.md list them from here.
 *   wordvec:sg100d                      pooled GloVe word vectors (offline default)
 *   transformers:<hub id | local dir>   a Hugging Face model through @huggingface/transformers (ONNX, CPU)
 *   openai:<model>                      any OpenAI-compatible /v1/embeddings server (OpenAI, Ollama, TEI, vLLM, …)
 *   precomputed                         vectors carried by the dataset: see embedPrecomputed in precomputed.ts
 */
import { InputError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import type { Embedder, Pooling } from './embedder.js';
import type { EmbeddingBackend } from './backend.js';
import { createBatchedEmbedder } from './batchedEmbedder.js';
import { EmbeddingCache } from './cache/embeddingCache.js';
import { defaultCacheDir } from './cacheDir.js';
import { MODEL_KINDS, modelSpecUsage, type ModelKind } from './modelKinds.js';
import { type EmbedEndpointOptions, resolveEndpoint } from './openai/endpointOptions.js';
import { resolveModelSource } from './transformers/modelSource.js';
import { loadSg100dTable } from './wordvec/tableStore.js';
import { createWordvecBackend } from './wordvec/wordvecBackend.js';

export interface EmbedderOptions {
  pooling?: Pooling;
  /** Token limit per text (transformers); default: the model's max positions, capped at 512. */
  maxLength?: number;
  /** Texts per model call (openai: inputs per request). */
  batchSize?: number;
  normalize?: boolean;
  /** Where the embedding cache (and by default tables and models) live; undefined = defaultCacheDir(); null disables the embedding cache. */
  cacheDir?: string | null;
  /** Where the word-vector table and downloaded models live; default: cacheDir, or defaultCacheDir() when that is null. */
  artifactsDir?: string;
  /** openai:<model>: the server, key variable, dimensions and request limits. */
  endpoint?: EmbedEndpointOptions;
  /**
   * transformers:<model>: worker threads, each with its own model session (default 1, in this thread); 'auto' =
   * the cores, capped (see transformers/parallelBackend.ts). The vectors do not depend on it.
   */
  workers?: number | 'auto';
  progress?: Progress;
}

/** What a backend entry gets to build its backend. */
interface BackendContext {
  /** The whole spec as given, trimmed ("transformers:Xenova/all-MiniLM-L6-v2"). */
  spec: string;
  /** The part after the colon. */
  name: string;
  options: EmbedderOptions;
  normalize: boolean;
  artifactsDir: string;
  /** The embedding cache when this backend uses one and it opened; null otherwise. */
  cache: EmbeddingCache | null;
}

export interface ModelBackendEntry extends ModelKind {
  /** What the spec and options alone can show wrong (a name, a missing folder or key): thrown before any work. */
  check(context: Pick<BackendContext, 'spec' | 'name' | 'options'>): void;
  /** What only a look outside can show (a hub model that cannot be fetched), before any data is read; optional. */
  reach?(context: Pick<BackendContext, 'name' | 'artifactsDir'>): Promise<void>;
  create(context: BackendContext): Promise<{ backend: EmbeddingBackend; batchSize: number }>;
}

export const WORDVEC_MODELS = ['sg100d'] as const;
export const DEFAULT_MODEL_SPEC = 'wordvec:sg100d';
const DEFAULT_BATCH_SIZE = 32;
const WORDVEC_BATCH_SIZE = 256;

export const MODEL_BACKENDS: readonly ModelBackendEntry[] = [
  {
    ...MODEL_KINDS.wordvec,
    check({ spec, name }) {
      if (!(WORDVEC_MODELS as readonly string[]).includes(name)) {
        throw new InputError(
          `unknown word-vector model "${name}" in --model ${spec}; available: ${WORDVEC_MODELS.map((m) => `wordvec:${m}`).join(', ')}`,
        );
      }
    },
    async create({ spec, options, normalize, artifactsDir }) {
      const table = await loadSg100dTable(artifactsDir, options.progress);
      return {
        backend: createWordvecBackend(table, { id: spec, pooling: options.pooling ?? 'mean', normalize }),
        batchSize: options.batchSize ?? WORDVEC_BATCH_SIZE,
      };
    },
  },
  {
    ...MODEL_KINDS.transformers,
    check({ name }) {
      if (name === '')
        throw new InputError(
          `--model transformers: needs a model, e.g. transformers:Xenova/all-MiniLM-L6-v2 or transformers:/path/to/folder`,
        );
      // A local folder must exist with its files, a hub id must look like one (reach then fetches its config).
      resolveModelSource(name);
    },
    async reach({ name, artifactsDir }) {
      const { checkHubModelReachable } = await import('./transformers/hubReach.js');
      await checkHubModelReachable(name, artifactsDir);
    },
    async create({ spec, name, options, normalize, artifactsDir, cache }) {
      // Loaded lazily: the transformers library is heavy and not needed for word vectors.
      const { resolveWorkerCount, createParallelTransformersBackend } = await import(
        './transformers/parallelBackend.js'
      );
      const settings = {
        id: spec,
        pooling: options.pooling ?? 'mean',
        normalize,
        maxLength: options.maxLength,
        modelCacheDir: artifactsDir,
        // The cache key names the weights' SHA-256, remembered in the cache database by the file's stamp.
        fileDigest: cache ? (file: string) => cache.fileDigest(file) : undefined,
      };
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      const workers = resolveWorkerCount(options.workers, name);
      if (workers > 1) {
        // Each embedder batch keeps every worker busy twice over; workers get the one-thread backend's batches.
        const backend = await createParallelTransformersBackend(name, settings, { workers, chunkSize: batchSize });
        return { backend, batchSize: batchSize * workers * 2 };
      }
      const { createTransformersBackend } = await import('./transformers/transformersBackend.js');
      const backend = await createTransformersBackend(name, { ...settings, progress: options.progress });
      return { backend, batchSize };
    },
  },
  {
    ...MODEL_KINDS.openai,
    check({ spec, name, options }) {
      if (name === '') {
        throw new InputError(
          "--model openai: needs the server's model name, e.g. openai:text-embedding-3-small (or openai:nomic-embed-text with --embed-url http://127.0.0.1:11434/v1)",
        );
      }
      if (options.pooling !== undefined || options.maxLength !== undefined) {
        throw new InputError(
          `--${options.pooling !== undefined ? 'pooling' : 'max-length'} does not apply to ${spec}: the server pools and truncates`,
        );
      }
      // The key variable and the request limits, as createOpenAIEmbedding resolves them.
      resolveEndpoint({
        ...options.endpoint,
        maxInputsPerRequest: options.endpoint?.maxInputsPerRequest ?? options.batchSize,
      });
    },
    async create({ spec, name, options, normalize, cache }) {
      const { createOpenAIEmbedding } = await import('./openai/createOpenAIEmbedding.js');
      return createOpenAIEmbedding({ spec, model: name, options, normalize, cache });
    },
  },
];

export { modelSpecUsage } from './modelKinds.js';

/**
 * Everything the model spec and options alone can show wrong, thrown as one-line InputErrors before any work:
 * createEmbedder runs it first, and the CLI's preflight before any data is read. Returns the backend entry.
 */
export function checkModelSpec(
  spec: string,
  options: Omit<EmbedderOptions, 'progress'> = {},
): { entry: ModelBackendEntry; trimmed: string; name: string } {
  const trimmed = spec.trim();
  const colon = trimmed.indexOf(':');
  const kind = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const name = colon < 0 ? '' : trimmed.slice(colon + 1);
  if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
    throw new InputError(`batch size must be a positive integer, got ${options.batchSize}`);
  }
  if (options.maxLength !== undefined && !(Number.isInteger(options.maxLength) && options.maxLength > 0)) {
    throw new InputError(`max length must be a positive integer, got ${options.maxLength}`);
  }
  if (kind === 'precomputed') {
    throw new InputError(
      '--model precomputed applies to datasets that carry vectors (.npy, .parquet, embeddings JSONL); for text data choose a model',
    );
  }
  const entry = MODEL_BACKENDS.find((b) => b.kind === kind);
  if (!entry) {
    throw new InputError(`unknown model spec "${spec}"; use ${modelSpecUsage(', ')}, or precomputed`);
  }
  if (options.endpoint !== undefined && entry.kind !== 'openai' && hasEndpointSettings(options.endpoint)) {
    throw new InputError(`the --embed-* options apply to openai:<model> only, not to ${trimmed}`);
  }
  entry.check({ spec: trimmed, name, options });
  return { entry, trimmed, name };
}

/**
 * checkModelSpec, then what the backend can check only by looking outside (a Hugging Face Hub model's config,
 * from its download cache or the Hub): the CLI's preflight and the library's checkBeforeWork run it before any data
 * is read, so a model that cannot load fails first. Where the backend has nothing to look at, checkModelSpec alone.
 */
export async function checkModelReachable(
  spec: string,
  options: Omit<EmbedderOptions, 'progress'> = {},
): Promise<void> {
  const { entry, name } = checkModelSpec(spec, options);
  await entry.reach?.({ name, artifactsDir: artifactsDirOf(options) });
}

/** Where a backend keeps derived files: artifactsDir, else the cache folder, else the default one. */
function artifactsDirOf(options: Pick<EmbedderOptions, 'cacheDir' | 'artifactsDir'>): string {
  const cacheDir = options.cacheDir === null ? null : (options.cacheDir ?? defaultCacheDir());
  return options.artifactsDir ?? cacheDir ?? defaultCacheDir();
}

export async function createEmbedder(spec: string, options: EmbedderOptions = {}): Promise<Embedder> {
  const { entry, trimmed, name } = checkModelSpec(spec, options);
  const cacheDir = options.cacheDir === null ? null : (options.cacheDir ?? defaultCacheDir());
  const artifactsDir = artifactsDirOf(options);
  const normalize = options.normalize ?? false;
  let cache: EmbeddingCache | null = null;
  if (cacheDir !== null && entry.usesCache) {
    // A corrupt file is moved aside and rebuilt (said in cache.warnings); an unusable folder is an InputError.
    cache = EmbeddingCache.openInDir(cacheDir);
    for (const warning of cache.warnings) options.progress?.note(warning);
  }
  try {
    const { backend, batchSize } = await entry.create({ spec: trimmed, name, options, normalize, artifactsDir, cache });
    return createBatchedEmbedder(backend, { batchSize, cache, progress: options.progress });
  } catch (error) {
    cache?.close();
    throw error;
  }
}

function hasEndpointSettings(endpoint: EmbedEndpointOptions): boolean {
  return Object.entries(endpoint).some(([key, value]) => key !== 'onRetry' && value !== undefined);
}
