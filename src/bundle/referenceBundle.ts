/**
 * What a reference bundle holds, in memory: the model that embedded the reference (to embed a target the same
 * way, and to refuse another), the reference rows (embeddings plus the texts, labels, ids and groups compare's
 * outputs draw on), the fitted suite states, and the settings the reference side was fitted with. `toTree` and
 * `fromTree` map it to the Storable tree the container stores (src/bundle/bundleContainer.ts), validated on the
 * way back so a hand-edited or buggy file is refused, never half-used.
 */
import { z } from 'zod';
import type { Matrix } from '../core/matrix.js';
import type { Dataset } from '../ingest/dataset.js';
import type { EmbedderInfo, Pooling } from '../embed/embedder.js';
import type { Storable } from '../twosample/registry/storable.js';
import type { ReferenceProbe } from '../probe/runProbe.js';
import type { FittedSuite } from '../pipeline/testSuite.js';
import { BundleFormatError, type StorableValue } from './storableCodec.js';

/**
 * Above this many reference rows a bundle keeps a seeded sample of this size (about 61 MB of float32 at 768
 * dimensions; about this size, in whole groups, when the rows have group ids): the suite's states are fitted on that sample (a check tests against exactly those rows), the probe
 * on every labelled row (it caps its own training rows at the same 20,000).
 */
export const BUNDLE_MAX_REFERENCE_ROWS = 20000;

/** How to make the reference's embedder again: the model as asked for, and what it reported. */
export interface BundleModel {
  /** The --model spec as given ("wordvec:sg100d", "transformers:Xenova/all-MiniLM-L6-v2", "precomputed"). */
  spec: string;
  /** The options asked for (undefined: the backend's default, recorded as resolved in `info`). */
  pooling: Pooling | null;
  maxLength: number | null;
  normalize: boolean;
  /** openai: the server and requested dimensions (never the key). */
  endpoint: { url: string | null; dimensions: number | null };
  /** What the embedder reported: id, backend, dimension, resolved pooling, normalisation, token limit. */
  info: EmbedderInfo;
  /**
   * The model's vectors for FINGERPRINT_TEXTS (src/bundle/modelFingerprint.ts) at build time, or null (precomputed
   * vectors): a check embeds them again and refuses a model that answers differently under the same name.
   */
  fingerprint: Matrix | null;
}

export interface BundleReference {
  /**
   * The stored rows as a Dataset: texts (null for vector sources), labels, ids, groups, origins and the counts of
   * what was read (nSampledOut includes rows the bundle's own sample left out). `vectors` is set for vector sources.
   */
  dataset: Dataset;
  /** Embeddings of the stored rows. */
  vectors: Matrix;
  /** Embedding statistics of the whole reference. */
  embedding: { nTruncated: number; oovRate: number | null };
  /** Rows embedded at build time (more than vectors.rows when the bundle keeps a sample). */
  nEmbedded: number;
}

export interface ReferenceBundle {
  tool: { name: 'shiftlens'; version: string };
  createdAt: string;
  /** The --seed the reference was fitted with; a check uses it unless told another. */
  seed: number;
  model: BundleModel;
  reference: BundleReference;
  /** --label-map given at build time (null: the source's own default, if any). */
  labelMap: Record<string, string> | null;
  /** The suite fitted on the stored rows (pipeline/testSuite.ts fitSuite), or null: fitted at check time. */
  suite: BundleSuite | null;
  /**
   * The reference side of the linear probe when the reference is labelled (two classes or more): classes, k-fold
   * held-out quality, and the probe's weights, intercepts and standardisation fitted on every labelled row.
   */
  probe: ReferenceProbe | null;
}

/** The fitted suite and the --permutations it was fitted for (a check with others fits it again). */
export type BundleSuite = { permutations: number; fitted: FittedSuite };

/** A bundle read from a file: where from, and the file's SHA-256 (hex) and format version. */
export interface LoadedBundle extends ReferenceBundle {
  file: { path: string; checksum: string; formatVersion: number; bytes: number };
}

export function toTree(bundle: ReferenceBundle): StorableValue {
  const { dataset } = bundle.reference;
  return {
    kind: 'shiftlens-reference-bundle',
    tool: bundle.tool,
    createdAt: bundle.createdAt,
    seed: bundle.seed,
    model: {
      ...bundle.model,
      info: { ...bundle.model.info },
    },
    reference: {
      dataset: {
        source: dataset.source,
        texts: dataset.texts,
        vectorSource: dataset.vectors !== null,
        labels: dataset.labels,
        defaultLabelMap: dataset.defaultLabelMap ?? null,
        origins: dataset.origins,
        ids: dataset.ids ?? null,
        groups: dataset.groups ?? null,
        counts: { ...dataset.counts, skipped: dataset.counts.skipped.map((s) => ({ ...s })) },
      },
      vectors: bundle.reference.vectors,
      embedding: bundle.reference.embedding,
      nEmbedded: bundle.reference.nEmbedded,
    },
    labelMap: bundle.labelMap,
    suite: bundle.suite as unknown as Storable,
    probe: bundle.probe as unknown as Storable,
  };
}

const matrixSchema = z.custom<Matrix>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    (v as Matrix).data instanceof Float32Array &&
    Number.isInteger((v as Matrix).rows) &&
    Number.isInteger((v as Matrix).cols),
  'a matrix',
);
const strings = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

const treeSchema = z.object({
  kind: z.literal('shiftlens-reference-bundle'),
  tool: z.object({ name: z.literal('shiftlens'), version: z.string() }),
  createdAt: z.string(),
  seed: z.number().int().nonnegative(),
  model: z.object({
    spec: z.string(),
    pooling: z.enum(['mean', 'cls', 'last', 'sif', 'max', 'precomputed']).nullable(),
    maxLength: z.number().int().positive().nullable(),
    normalize: z.boolean(),
    endpoint: z.object({ url: z.string().nullable(), dimensions: z.number().int().positive().nullable() }),
    info: z.object({
      id: z.string(),
      backend: z.enum(['transformers', 'wordvec', 'openai', 'precomputed']),
      dim: z.number().int().positive(),
      pooling: z.enum(['mean', 'cls', 'last', 'sif', 'max', 'precomputed']),
      normalize: z.boolean(),
      maxTokens: z.number().int().positive().nullable(),
      description: z.string(),
    }),
    fingerprint: matrixSchema.nullable(),
  }),
  reference: z.object({
    dataset: z.object({
      source: z.string(),
      texts: strings.nullable(),
      vectorSource: z.boolean(),
      labels: strings.nullable(),
      defaultLabelMap: stringMap.nullable(),
      origins: strings,
      ids: strings.nullable(),
      groups: strings.nullable(),
      counts: z.object({
        nRead: z.number().int().nonnegative(),
        nEmpty: z.number().int().nonnegative(),
        nDuplicate: z.number().int().nonnegative(),
        nSampledOut: z.number().int().nonnegative(),
        skipped: z.array(z.object({ reason: z.string(), count: z.number().int().nonnegative() })),
      }),
    }),
    vectors: matrixSchema,
    embedding: z.object({ nTruncated: z.number().int().nonnegative(), oovRate: z.number().nullable() }),
    nEmbedded: z.number().int().nonnegative(),
  }),
  labelMap: stringMap.nullable(),
  // The fitted states themselves are checked by testSuite.ts (format, version, the reference they were fitted on).
  suite: z
    .object({
      permutations: z.number().int().positive(),
      fitted: z.object({ format: z.literal('shiftlens-fitted-suite'), tests: strings }).passthrough(),
    })
    .nullable(),
  probe: z
    .object({
      labelMap: stringMap.nullable(),
      classes: strings,
      labels: z.instanceof(Int32Array),
      correct: z.instanceof(Int32Array),
      // The fit-row cap (null: none); bundles written before it was recorded lack it (fittedMaxFitRows).
      maxFitRows: z.number().int().min(4).nullable().optional(),
      model: z
        .object({
          classes: z.instanceof(Int32Array),
          nFeatures: z.number().int().positive(),
          weights: z.instanceof(Float64Array),
          intercepts: z.instanceof(Float64Array),
          standardizer: z.object({ mean: z.instanceof(Float64Array), scale: z.instanceof(Float64Array) }),
        })
        .passthrough(),
    })
    .passthrough()
    .nullable(),
});

export function fromTree(tree: StorableValue): ReferenceBundle {
  const parsed = treeSchema.safeParse(tree);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BundleFormatError(
      `its contents do not fit the bundle layout (${issue.path.join('.')}: ${issue.message})`,
    );
  }
  const t = parsed.data;
  const d = t.reference.dataset;
  const n = t.reference.vectors.rows;
  for (const [name, values] of [
    ['texts', d.texts],
    ['labels', d.labels],
    ['origins', d.origins],
    ['ids', d.ids],
    ['groups', d.groups],
  ] as const) {
    if (values && values.length !== n) {
      throw new BundleFormatError(`it holds ${n} reference vectors but ${values.length} ${name}`);
    }
  }
  if (t.reference.vectors.cols !== t.model.info.dim) {
    throw new BundleFormatError(
      `its vectors have ${t.reference.vectors.cols} dimensions, its model ${t.model.info.dim}`,
    );
  }
  const dataset: Dataset = {
    source: d.source,
    texts: d.texts,
    vectors: d.vectorSource ? t.reference.vectors : null,
    labels: d.labels,
    origins: d.origins,
    counts: d.counts,
    ...(d.defaultLabelMap ? { defaultLabelMap: d.defaultLabelMap } : {}),
    ...(d.ids ? { ids: d.ids } : {}),
    ...(d.groups ? { groups: d.groups } : {}),
  };
  return {
    tool: t.tool,
    createdAt: t.createdAt,
    seed: t.seed,
    model: t.model,
    reference: {
      dataset,
      vectors: t.reference.vectors,
      embedding: t.reference.embedding,
      nEmbedded: t.reference.nEmbedded,
    },
    labelMap: t.labelMap,
    suite: (t.suite ?? null) as unknown as BundleSuite | null,
    probe: (t.probe ?? null) as unknown as ReferenceProbe | null,
  };
}
