/**
 * What a backend implements: embed one batch and say, per text, what happened (truncation, token counts).
 * src/embed/batchedEmbedder.ts turns a backend into an Embedder (batches, progress, normalisation, cache),
 * so every backend gets the same batching and caching.
 */
import type { Matrix } from '../core/matrix.js';
import type { EmbedderInfo } from './embedder.js';

export interface TextStats {
  /** Cut at the backend's token limit. */
  truncated: boolean;
  /** Tokens the model could use (word-vector backends: tokens found in the vocabulary). */
  nKnown: number;
  /** Out-of-vocabulary tokens (word-vector backends; 0 otherwise). */
  nOov: number;
}

export interface BatchOutput {
  /** One row per input text, before optional L2 normalisation. */
  vectors: Matrix;
  stats: TextStats[];
  /**
   * Inputs the service refused (e.g. over its token limit), by index in the batch, with its reason. Their rows in
   * `vectors` are meaningless: the embedder neither caches nor returns them, and names them in one error.
   */
  rejected?: { index: number; reason: string }[];
}

export interface EmbeddingBackend {
  readonly info: EmbedderInfo;
  /** Identifies the exact weights and settings that change vectors, for the embedding cache key. */
  readonly cacheIdentity: string;
  /** True when nOov / nKnown count vocabulary lookups (word vectors); false for subword models. */
  readonly countsOov: boolean;
  embedBatch(texts: string[]): Promise<BatchOutput>;
  dispose(): Promise<void>;
}
