/**
 * `shiftlens reference build`: read the reference, embed it, fit the suite's reference-side states, and keep what a
 * later check needs to give compare's full outputs without the reference being read or embedded again. Compare
 * goes through `referenceFromEmbedded` too (in memory, every row kept), so a check of a bundle equals the compare
 * of the same data and seed.
 */
import { firstNonFinite, selectRows, type Matrix } from '../core/matrix.js';
import { InputError } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { createRng } from '../core/random.js';
import type { Dataset } from '../ingest/dataset.js';
import { wholeGroupRows } from '../ingest/wholeGroupCap.js';
import type { EmbedderInfo } from '../embed/embedder.js';
import { BUNDLE_MAX_REFERENCE_ROWS, type ReferenceBundle } from '../bundle/referenceBundle.js';
import { FINGERPRINT_TEXTS } from '../bundle/modelCompatibility.js';
import { probeOptions, type CompareOptions } from './compareOptions.js';
import { createModelEmbedder, loadSide, PRECOMPUTED_INFO } from './prepareEmbeddings.js';
import { fitReferenceSuite } from './referenceSuite.js';
import { fitReferenceProbe } from '../probe/runProbe.js';
import { TOOL_VERSION } from './toolVersion.js';

/** What building a reference is told: compare's options without the target. */
export type BuildReferenceOptions = Pick<
  CompareOptions,
  | 'reference'
  | 'model'
  | 'pooling'
  | 'maxLength'
  | 'batchSize'
  | 'normalize'
  | 'cacheDir'
  | 'endpoint'
  | 'embedWorkers'
  | 'vectorField'
  | 'encoding'
  | 'maxRows'
  | 'seed'
  | 'labelMap'
  | 'tests'
  | 'permutations'
  | 'alpha'
  | 'correction'
  | 'minEffect'
  | 'probeMaxFitRows'
> & {
  /**
   * Keep at most this many reference rows (a seeded sample; with group ids about this many, in whole groups, by the
   * rule of --max-rows); default BUNDLE_MAX_REFERENCE_ROWS.
   */
  maxStoredRows?: number;
};

/** The reference side embedded: rows, vectors, the model's report, and its fingerprint (null for vectors). */
export interface EmbeddedReference {
  dataset: Dataset;
  vectors: Matrix;
  embedding: { nTruncated: number; oovRate: number | null };
  info: EmbedderInfo;
  fingerprint: Matrix | null;
  warnings: string[];
}

/** Build a bundle in memory (writeBundle saves it). `given`: the reference as a Dataset built in memory (src/api). */
export async function buildReference(
  options: BuildReferenceOptions,
  progress: Progress,
  given?: { reference: Dataset },
): Promise<{ bundle: ReferenceBundle; warnings: string[]; timings: Record<string, number> }> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[name] = Math.round(performance.now() - started);
    }
  };
  const dataset = given
    ? given.reference
    : await timed('ingestReferenceMs', () => loadSide(options, 'reference', progress));
  const embedded = await timed('embedMs', () => embedReference(dataset, options, progress));
  const max = options.maxStoredRows ?? BUNDLE_MAX_REFERENCE_ROWS;
  const bundle = await timed('fitMs', () => referenceFromEmbedded(embedded, options, progress, max));
  const warnings = [...embedded.warnings];
  if (bundle.reference.nEmbedded > bundle.reference.vectors.rows) {
    warnings.push(
      `The bundle keeps a seeded sample of ${bundle.reference.vectors.rows} of the ${bundle.reference.nEmbedded} reference rows${bundle.reference.dataset.groups ? ', in whole groups' : ''} (the tests' fitted states describe that sample; the probe was fitted on every labelled row, up to its own 20,000-row cap).`,
    );
  }
  return { bundle, warnings, timings };
}

/** The reference embedded with the options' model (or its own vectors), checked finite. */
export async function embedReference(
  dataset: Dataset,
  options: BuildReferenceOptions,
  progress: Progress,
): Promise<EmbeddedReference> {
  if (dataset.vectors) {
    assertFinite(dataset, dataset.vectors);
    return {
      dataset,
      vectors: dataset.vectors,
      embedding: { nTruncated: 0, oovRate: null },
      info: { ...PRECOMPUTED_INFO, dim: dataset.vectors.cols },
      fingerprint: null,
      warnings: [],
    };
  }
  const embedder = await createModelEmbedder(options, progress);
  try {
    const result = await embedder.embed(dataset.texts as string[], {
      progress,
      label: 'embedding reference',
      origins: dataset.origins,
    });
    assertFinite(dataset, result.vectors);
    const fingerprint = await embedder.embed(FINGERPRINT_TEXTS, { progress: silentProgress });
    return {
      dataset,
      vectors: result.vectors,
      embedding: { nTruncated: result.nTruncated, oovRate: result.oovRate },
      info: embedder.info,
      fingerprint: fingerprint.vectors,
      warnings: [...(embedder.warnings ?? [])],
    };
  } finally {
    await embedder.dispose();
  }
}

/** The bundle of an embedded reference, every row kept, the suite fitted (compare calls this in memory). */
export async function referenceFromEmbedded(
  embedded: EmbeddedReference,
  options: BuildReferenceOptions,
  progress: Progress,
  maxStoredRows = Number.POSITIVE_INFINITY,
): Promise<ReferenceBundle> {
  const vectorSource = embedded.dataset.vectors !== null;
  const { dataset } = embedded;
  const probeLabelMap = options.labelMap ?? dataset.defaultLabelMap ?? null;
  // Compare's condition for a probe: reference labels with at least two (unmapped, non-empty) classes.
  const probe =
    dataset.labels && new Set(dataset.labels.filter((l) => l !== '')).size >= 2
      ? await fitReferenceProbe({
          reference: embedded.vectors,
          referenceLabels: dataset.labels,
          labelMap: probeLabelMap,
          rng: createRng(options.seed).fork('probe'),
          progress,
          options: probeOptions(options),
        })
      : null;
  // The rows the bundle keeps; the suite is fitted on exactly these (a check tests against them).
  const stored = sampleRows(embedded, maxStoredRows, options.seed);
  const suite = await fitReferenceSuite(
    stored.vectors,
    { tests: options.tests, permutations: options.permutations },
    createRng(options.seed).fork('tests'),
    progress,
  );
  return {
    tool: { name: 'shiftlens', version: TOOL_VERSION },
    createdAt: new Date().toISOString(),
    seed: options.seed,
    model: {
      spec: vectorSource ? 'precomputed' : options.model.trim(),
      pooling: vectorSource ? null : (options.pooling ?? null),
      maxLength: vectorSource ? null : (options.maxLength ?? null),
      normalize: vectorSource ? false : options.normalize,
      endpoint: { url: options.endpoint?.url ?? null, dimensions: options.endpoint?.dimensions ?? null },
      info: embedded.info,
      fingerprint: embedded.fingerprint,
    },
    reference: {
      dataset: stored.dataset,
      vectors: stored.vectors,
      embedding: embedded.embedding,
      nEmbedded: embedded.vectors.rows,
    },
    labelMap: options.labelMap,
    suite,
    probe,
  };
}

/**
 * At most `max` reference rows, a seeded sample in the rows' own order (texts, labels, ids, groups and origins
 * follow); the rows left out are counted in nSampledOut. The rows themselves when there are few enough. With group
 * ids, whole groups by the rule of --max-rows (ingest/wholeGroupCap.ts): about `max` rows, every stored group
 * complete, so the group-aware tests against the bundle move whole groups.
 */
function sampleRows(
  embedded: Pick<EmbeddedReference, 'dataset' | 'vectors'>,
  max: number,
  seed: number,
): { dataset: Dataset; vectors: Matrix } {
  const { dataset, vectors } = embedded;
  if (vectors.rows <= max) return { dataset, vectors };
  const rng = createRng(seed).fork('bundle-sample');
  const rows = dataset.groups ? wholeGroupRows(dataset, max, rng) : rng.sample(vectors.rows, max).sort();
  if (!rows) return { dataset, vectors };
  const pick = <T>(values: T[] | undefined | null): T[] | undefined =>
    values ? Array.from(rows, (i) => values[i]) : undefined;
  const kept = selectRows(vectors, rows);
  const sampled: Dataset = {
    ...dataset,
    texts: pick(dataset.texts) ?? null,
    labels: pick(dataset.labels) ?? null,
    vectors: dataset.vectors ? kept : null,
    origins: pick(dataset.origins) as string[],
    ids: pick(dataset.ids),
    groups: pick(dataset.groups),
    counts: { ...dataset.counts, nSampledOut: dataset.counts.nSampledOut + vectors.rows - rows.length },
  };
  if (!sampled.ids) delete sampled.ids;
  if (!sampled.groups) delete sampled.groups;
  return { dataset: sampled, vectors: kept };
}

function assertFinite(dataset: Dataset, m: Matrix): void {
  const bad = firstNonFinite(m);
  if (bad >= 0) {
    throw new InputError(
      `reference embedding of ${dataset.origins[Math.floor(bad / m.cols)]} contains NaN or Infinity (dimension ${bad % m.cols}): fix or drop that row`,
    );
  }
}
