/**
 * transformers:<hub id | local folder> — a Hugging Face encoder (or GPT-style decoder) on onnxruntime-node (fp32,
 * CPU): files, config and tokenizer through @huggingface/transformers, BERT WordPiece tokenizers by our fast
 * tokenizer and encoder graphs by a session of our own on the same file (loadTransformer.ts), each giving the
 * library's ids and states; not the pipeline, so truncation is explicit and counted, and pooling reads the mask.
 */
import { InputError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import type { Pooling } from '../embedder.js';
import type { BatchOutput, EmbeddingBackend, TextStats } from '../backend.js';
import { poolTokenStates, TRANSFORMER_POOLINGS } from './hiddenPooling.js';
import { encodeTexts, loadTransformer, runTokenStates } from './loadTransformer.js';
import { type FileDigest, resolveModelSource, sourceIdentity } from './modelSource.js';

/** Longest token limit used by default (the usual trained limit of BERT-style models). */
export const DEFAULT_MAX_LENGTH_CAP = 512;
/**
 * Texts are cut to this many characters per allowed token before tokenising, so a 10 MB text costs no more than
 * a long one. Real tokens rarely span more than a few characters, so the cut only drops text the token limit
 * drops anyway; a cut text is counted as truncated.
 */
export const CHARS_PER_TOKEN_CUT = 32;

export interface TransformersBackendOptions {
  id: string;
  pooling: Pooling;
  normalize: boolean;
  maxLength?: number;
  /** Our cache dir: hub downloads go to <modelCacheDir>/models. */
  modelCacheDir: string;
  /** ONNX Runtime intra-op threads of this session (default: ONNX Runtime's, all cores). */
  intraOpThreads?: number;
  /**
   * SHA-256 of a model file for the cache key (the embedding cache's memo, EmbeddingCache.fileDigest); without it
   * the key names the files' sizes and times.
   */
  fileDigest?: FileDigest;
  progress?: Progress;
}

export interface TransformersBackend extends EmbeddingBackend {
  /** The ONNX file our session runs (null where the library runs the model). */
  readonly onnxFile: string | null;
}

export async function createTransformersBackend(
  name: string,
  options: TransformersBackendOptions,
): Promise<TransformersBackend> {
  if (!TRANSFORMER_POOLINGS.includes(options.pooling)) {
    throw new InputError(
      `pooling "${options.pooling}" does not apply to ${options.id}; use one of: ${TRANSFORMER_POOLINGS.join(', ')}`,
    );
  }
  const source = resolveModelSource(name);
  const loaded = await loadTransformer(source, options);
  const limit = loaded.tokenLimit;
  const maxLength = options.maxLength ?? Math.min(limit ?? DEFAULT_MAX_LENGTH_CAP, DEFAULT_MAX_LENGTH_CAP);
  if (limit !== null && maxLength > limit) {
    await loaded.model.dispose();
    throw new InputError(
      `max length ${maxLength} exceeds the ${limit} positions ${options.id} was built for; use at most ${limit}`,
    );
  }
  const where = source.kind === 'local' ? `local folder ${source.dir}` : `Hugging Face Hub model ${source.id}`;
  const charCut = maxLength * CHARS_PER_TOKEN_CUT;

  return {
    info: {
      id: options.id,
      backend: 'transformers',
      dim: loaded.hiddenSize,
      pooling: options.pooling,
      normalize: options.normalize,
      maxTokens: maxLength,
      description:
        `${loaded.modelType} model (${where}) run with ONNX Runtime on the CPU in fp32; ` +
        `${describePooling(options.pooling)} of the last hidden states; texts truncated at ${maxLength} tokens` +
        `${options.normalize ? '; L2-normalised' : ''}.`,
    },
    cacheIdentity: `transformers|${sourceIdentity(source, loaded.model.onnxFile, options.fileDigest)}`,
    onnxFile: loaded.model.onnxFile,
    countsOov: false,
    async embedBatch(texts: string[]): Promise<BatchOutput> {
      const cut = texts.map((t) => (t.length > charCut ? t.slice(0, charCut) : t));
      const encoded = encodeTexts(loaded, cut, maxLength);
      const stats: TextStats[] = texts.map((t, i) => ({
        truncated: t.length > charCut || encoded.truncated[i],
        nKnown: encoded.lengths[i],
        nOov: 0,
      }));
      const states = await runTokenStates(loaded, encoded);
      return { vectors: poolTokenStates(states, encoded.mask, options.pooling), stats };
    },
    async dispose() {
      await loaded.model.dispose();
    },
  };
}

function describePooling(pooling: Pooling): string {
  switch (pooling) {
    case 'mean':
      return 'attention-mask-aware mean';
    case 'cls':
      return 'first-token ([CLS]) state';
    case 'last':
      return 'last non-padding token state';
    case 'max':
      return 'attention-mask-aware element-wise max';
    default:
      return pooling;
  }
}
