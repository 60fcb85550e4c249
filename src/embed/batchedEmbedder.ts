/**
 * Turns an EmbeddingBackend into an Embedder: splits texts into batches, serves what the embedding cache holds,
 * embeds the rest, normalises, stores each batch in one transaction, reports progress per batch, and sums the
 * per-text statistics into an EmbeddingResult.
 */
import { InputError } from '../core/errors.js';
import { createMatrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Embedder, EmbeddingResult } from './embedder.js';
import type { EmbeddingBackend, TextStats } from './backend.js';
import { type CacheKey, type EmbeddingCache, textHash } from './cache/embeddingCache.js';
import { l2NormalizeRows } from './normalize.js';

export interface BatchedEmbedderOptions {
  batchSize: number;
  /** null = no cache. */
  cache: EmbeddingCache | null;
  /** Default progress when embed() is called without one. */
  progress?: Progress;
}

export function createBatchedEmbedder(backend: EmbeddingBackend, options: BatchedEmbedderOptions): Embedder {
  const { info } = backend;
  const batchSize = Math.max(1, Math.floor(options.batchSize));
  const cache = options.cache;
  const key: CacheKey = {
    model: backend.cacheIdentity,
    pooling: info.pooling,
    normalize: info.normalize,
    maxLength: info.maxTokens,
  };

  return {
    info,
    get warnings() {
      return cache ? cache.warnings : [];
    },
    async embed(texts, embedOptions = {}): Promise<EmbeddingResult> {
      const progress = embedOptions.progress ?? options.progress;
      const task = progress?.start(embedOptions.label ?? `embedding (${info.id})`, texts.length);
      const vectors = createMatrix(texts.length, info.dim);
      const totals = { nTruncated: 0, nKnown: 0, nOov: 0, nNoKnownToken: 0, nCached: 0 };
      const rejected: { index: number; reason: string }[] = [];
      const count = (stats: TextStats) => {
        if (stats.truncated) totals.nTruncated++;
        totals.nKnown += stats.nKnown;
        totals.nOov += stats.nOov;
        if (backend.countsOov && stats.nKnown === 0) totals.nNoKnownToken++;
      };
      try {
        for (let start = 0; start < texts.length; start += batchSize) {
          const batch = texts.slice(start, start + batchSize);
          const hashes = cache ? batch.map(textHash) : [];
          const missing: number[] = [];
          for (let i = 0; i < batch.length; i++) {
            const hit = cache ? cache.get(key, hashes[i]) : null;
            if (hit && hit.vector.length === info.dim) {
              vectors.data.set(hit.vector, (start + i) * info.dim);
              count(hit.stats);
              totals.nCached++;
            } else {
              missing.push(i);
            }
          }
          if (missing.length > 0) {
            const out = await backend.embedBatch(missing.map((i) => batch[i]));
            if (out.vectors.rows !== missing.length || out.vectors.cols !== info.dim) {
              throw new Error(
                `${info.id} returned ${out.vectors.rows}x${out.vectors.cols} for ${missing.length} texts of ${info.dim}-d`,
              );
            }
            if (info.normalize) l2NormalizeRows(out.vectors);
            const refused = new Set<number>();
            for (const r of out.rejected ?? []) {
              refused.add(r.index);
              rejected.push({ index: start + missing[r.index], reason: r.reason });
            }
            const kept = missing.map((i, k) => ({ i, k })).filter(({ k }) => !refused.has(k));
            for (const { i, k } of kept) {
              vectors.data.set(out.vectors.data.subarray(k * info.dim, (k + 1) * info.dim), (start + i) * info.dim);
              count(out.stats[k]);
            }
            cache?.putBatch(
              key,
              kept.map(({ i, k }) => ({
                hash: hashes[i],
                vector: out.vectors.data.subarray(k * info.dim, (k + 1) * info.dim),
                stats: out.stats[k],
              })),
            );
          }
          task?.increment(batch.length);
        }
      } finally {
        task?.done();
      }
      if (rejected.length > 0) throw rejectedTextsError(info.id, rejected, embedOptions.origins);
      const tokens = totals.nKnown + totals.nOov;
      return {
        vectors,
        nTruncated: totals.nTruncated,
        oovRate: backend.countsOov ? (tokens > 0 ? totals.nOov / tokens : 0) : null,
        nNoKnownToken: totals.nNoKnownToken,
        nCached: totals.nCached,
      };
    },
    async dispose() {
      cache?.close();
      await backend.dispose();
    },
  };
}

/**
 * One line naming the texts the service refused (every batch was still embedded and cached, so a rerun after
 * fixing those rows only pays for them).
 */
function rejectedTextsError(
  model: string,
  rejected: { index: number; reason: string }[],
  origins: readonly string[] | undefined,
): InputError {
  const shown = rejected
    .slice(0, 3)
    .map((r) => `${origins?.[r.index] ?? `text ${r.index + 1}`} (${r.reason})`)
    .join('; ');
  const more = rejected.length > 3 ? `; and ${rejected.length - 3} more` : '';
  const n = rejected.length;
  return new InputError(
    `${model} refused ${n} text${n === 1 ? '' : 's'}: ${shown}${more}; shorten or drop ${n === 1 ? 'that row' : 'those rows'} and rerun (the others are cached)`,
  );
}
