/**
 * Vectors that come with the dataset (.npy, embeddings JSONL): validated (shape, finiteness, matching dims)
 * and passed through, optionally L2-normalised, with the same EmbeddingResult shape the text backends give.
 */
import { InputError } from '../core/errors.js';
import { createMatrix, type Matrix } from '../core/matrix.js';
import type { EmbedderInfo, EmbeddingResult } from './embedder.js';
import { l2NormalizeRows } from './normalize.js';

export interface PrecomputedOptions {
  normalize?: boolean;
  /** The other side's dimension, when known: a mismatch is an input error. */
  expectedDim?: number;
  /** Per-row origins ("vectors.npy row 3") for error messages. */
  origins?: string[];
}

export function precomputedInfo(dim: number, normalize: boolean): EmbedderInfo {
  return {
    id: 'precomputed',
    backend: 'precomputed',
    dim,
    pooling: 'precomputed',
    normalize,
    maxTokens: null,
    description: `Precomputed ${dim}-d vectors supplied with the data (model unknown to shiftlens)${normalize ? ', L2-normalised' : ''}.`,
  };
}

/** Validate and pass through precomputed vectors; `label` names the side/file in error messages. */
export function embedPrecomputed(vectors: Matrix, label: string, options: PrecomputedOptions = {}): EmbeddingResult {
  if (vectors.rows === 0) throw new InputError(`${label}: no vectors; give at least 2 rows`);
  if (vectors.cols === 0) throw new InputError(`${label}: vectors have 0 dimensions`);
  if (options.expectedDim !== undefined && vectors.cols !== options.expectedDim) {
    throw new InputError(
      `${label}: vectors are ${vectors.cols}-d but the other side's are ${options.expectedDim}-d; both sides must come from the same model`,
    );
  }
  const { data, cols } = vectors;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / cols);
      const where = options.origins?.[row] ?? `row ${row + 1}`;
      throw new InputError(
        `${label}: ${where} has a non-finite value (${data[i]}) in dimension ${(i % cols) + 1}; remove or fix that row`,
      );
    }
  }
  const out = createMatrix(vectors.rows, cols, new Float32Array(data));
  if (options.normalize) l2NormalizeRows(out);
  return { vectors: out, nTruncated: 0, oovRate: null, nNoKnownToken: 0, nCached: 0 };
}
