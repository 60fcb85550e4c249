/**
 * The first half of every command: load both sides, embed them with one model (or take their precomputed
 * vectors), and check the vectors are usable (same dimension, finite).
 */
import { firstNonFinite, type Matrix } from '../core/matrix.js';
import { InputError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { loadDataset } from '../ingest/loadDataset.js';
import { sampleCount, type Dataset } from '../ingest/dataset.js';
import { readCappedPair } from '../ingest/wholeGroupCap.js';
import { createEmbedder } from '../embed/registry.js';
import type { Embedder, EmbedderInfo, EmbeddingResult } from '../embed/embedder.js';
import type { CompareOptions, SideOptions } from './compareOptions.js';

export type InputOptions = Pick<
  CompareOptions,
  | 'reference'
  | 'target'
  | 'model'
  | 'pooling'
  | 'maxLength'
  | 'batchSize'
  | 'normalize'
  | 'cacheDir'
  | 'artifactsDir'
  | 'endpoint'
  | 'embedWorkers'
  | 'vectorField'
  | 'encoding'
  | 'maxRows'
  | 'seed'
>;

/** The model options every command shares, as the embedding registry takes them. */
export type ModelOptions = Pick<
  CompareOptions,
  | 'model'
  | 'pooling'
  | 'maxLength'
  | 'batchSize'
  | 'normalize'
  | 'cacheDir'
  | 'artifactsDir'
  | 'endpoint'
  | 'embedWorkers'
>;

/** The embedder for a command's model options (compare, probe, embed). */
export function createModelEmbedder(options: ModelOptions, progress: Progress): Promise<Embedder> {
  return createEmbedder(options.model, {
    pooling: options.pooling,
    maxLength: options.maxLength,
    batchSize: options.batchSize,
    normalize: options.normalize,
    cacheDir: options.cacheDir,
    artifactsDir: options.artifactsDir,
    endpoint: options.endpoint,
    workers: options.embedWorkers,
    progress,
  });
}

/** What "the model" is when the user gave vectors (dim: theirs). */
export const PRECOMPUTED_INFO: Omit<EmbedderInfo, 'dim'> = {
  id: 'precomputed',
  backend: 'precomputed',
  pooling: 'precomputed',
  normalize: false,
  maxTokens: null,
  description: 'Vectors supplied by the user (precomputed embeddings); no model was run.',
};

export interface EmbeddedPair {
  referenceVectors: Matrix;
  targetVectors: Matrix;
  info: EmbedderInfo;
  reference: Pick<EmbeddingResult, 'nTruncated' | 'oovRate'>;
  target: Pick<EmbeddingResult, 'nTruncated' | 'oovRate'>;
  /** What the embedder wants the user told (e.g. a corrupt embedding cache moved aside and rebuilt). */
  warnings?: string[];
}

type Timer = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/** Both sides already as Datasets (the library's in-memory inputs, src/api): loading is skipped, nothing else. */
export interface DatasetPair {
  reference: Dataset;
  target: Dataset;
}

export async function loadAndEmbed(
  options: InputOptions,
  progress: Progress,
  time: Timer = (_name, work) => work(),
  given?: DatasetPair,
): Promise<{ reference: Dataset; target: Dataset; embedded: EmbeddedPair }> {
  const { reference, target } = given ?? (await loadBoth(options, progress, time));
  const embedded = await time('embedMs', () => embedBoth(reference, target, options, progress));
  if (embedded.referenceVectors.cols !== embedded.targetVectors.cols) {
    throw new InputError(
      `reference vectors have ${embedded.referenceVectors.cols} dimensions but target vectors have ${embedded.targetVectors.cols}: both sides must come from the same model`,
    );
  }
  for (const [side, data, m] of [
    ['reference', reference, embedded.referenceVectors],
    ['target', target, embedded.targetVectors],
  ] as const) {
    const bad = firstNonFinite(m);
    if (bad >= 0) {
      throw new InputError(
        `${side} embedding of ${data.origins[Math.floor(bad / m.cols)]} contains NaN or Infinity (dimension ${bad % m.cols}): fix or drop that row`,
      );
    }
  }
  return { reference, target, embedded };
}

/** Both sides read from their sources, --max-rows by whole groups over both when either has a group column. */
function loadBoth(options: InputOptions, progress: Progress, time: Timer): Promise<DatasetPair> {
  const grouped = options.reference.groupColumn !== undefined || options.target.groupColumn !== undefined;
  return readCappedPair({ maxRows: options.maxRows, seed: options.seed, grouped }, async (maxRows) => {
    const read = { ...options, maxRows };
    const reference = await time('ingestReferenceMs', () => loadSide(read, 'reference', progress));
    return [reference, await time('ingestTargetMs', () => loadSide(read, 'target', progress))];
  });
}

/** One side read from its source (also `reference build`, which has only the reference, and `check`, only the target). */
export async function loadSide<S extends 'reference' | 'target'>(
  options: Omit<InputOptions, 'reference' | 'target'> & Record<S, SideOptions>,
  side: S,
  progress: Progress,
): Promise<Dataset> {
  const s: SideOptions = options[side];
  const dataset = await loadDataset(
    s.source,
    {
      textColumn: s.textColumn,
      labelColumn: s.labelColumn,
      idColumn: s.idColumn,
      groupColumn: s.groupColumn,
      vectorField: options.vectorField,
      encoding: options.encoding,
      maxRows: options.maxRows,
      seed: options.seed,
      format: s.format,
    },
    progress,
  );
  if (sampleCount(dataset) < 2) {
    throw new InputError(
      `${side} ${s.source} has ${sampleCount(dataset)} usable sample(s): at least 2 are needed on each side`,
    );
  }
  return dataset;
}

async function embedBoth(
  reference: Dataset,
  target: Dataset,
  options: InputOptions,
  progress: Progress,
): Promise<EmbeddedPair> {
  if (reference.vectors || target.vectors) {
    if (!reference.vectors || !target.vectors) {
      const textSide = reference.vectors ? 'target' : 'reference';
      throw new InputError(
        `${textSide} ${options[textSide].source} holds texts but the other side holds precomputed vectors: give both sides as vectors, or both as texts`,
      );
    }
    const none = { nTruncated: 0, oovRate: null };
    return {
      referenceVectors: reference.vectors,
      targetVectors: target.vectors,
      info: { ...PRECOMPUTED_INFO, dim: reference.vectors.cols },
      reference: none,
      target: none,
    };
  }
  const embedder = await createModelEmbedder(options, progress);
  try {
    const ref = await embedder.embed(reference.texts as string[], {
      progress,
      label: 'embedding reference',
      origins: reference.origins,
    });
    const tgt = await embedder.embed(target.texts as string[], {
      progress,
      label: 'embedding target',
      origins: target.origins,
    });
    return {
      referenceVectors: ref.vectors,
      targetVectors: tgt.vectors,
      info: embedder.info,
      reference: ref,
      target: tgt,
      warnings: [...(embedder.warnings ?? [])],
    };
  } finally {
    await embedder.dispose();
  }
}
