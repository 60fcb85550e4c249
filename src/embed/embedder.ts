/**
 * One interface for every embedding backend (transformers, wordvec, precomputed).
 * Backends are created from a model spec string by src/embed/registry.ts.
 */
import type { Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';

export type Pooling = 'mean' | 'cls' | 'last' | 'sif' | 'max' | 'precomputed';

export interface EmbedderInfo {
  /** The model spec as the user gave it, e.g. "transformers:Xenova/all-MiniLM-L6-v2" or "wordvec:sg100d". */
  id: string;
  backend: 'transformers' | 'wordvec' | 'openai' | 'precomputed';
  dim: number;
  pooling: Pooling;
  normalize: boolean;
  /** Token limit per text (texts longer are truncated and counted); null if the backend has none. */
  maxTokens: number | null;
  /** A short honest description for the report's method section. */
  description: string;
}

export interface EmbeddingResult {
  vectors: Matrix;
  /** Texts cut at maxTokens. */
  nTruncated: number;
  /** Out-of-vocabulary share of tokens (word-vector backends), or null. */
  oovRate: number | null;
  /** Texts with no known token at all (embedded as the zero vector), or 0. */
  nNoKnownToken: number;
  /** Texts served from the embedding cache. */
  nCached: number;
}

export interface Embedder {
  readonly info: EmbedderInfo;
  /** `origins` (one per text, e.g. "data.csv row 17") name the rows an error is about; default "text <n>". */
  embed(
    texts: string[],
    options?: { progress?: Progress; label?: string; origins?: readonly string[] },
  ): Promise<EmbeddingResult>;
  /** Things the user should know about this run's embedding (e.g. a corrupt cache rebuilt), for result.json. */
  readonly warnings?: readonly string[];
  dispose(): Promise<void>;
}
