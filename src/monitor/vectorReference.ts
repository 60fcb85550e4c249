/**
 * A monitor reference from vectors in memory (precomputed embeddings): the bundle compare and `reference build` make,
 * fitted for `permutations` at level `alpha`. Used by the monitor's tests and its benchmark.
 */
import type { Matrix } from '../core/matrix.js';
import { silentProgress } from '../core/progress.js';
import { monitorReference, type MonitorReference } from './monitorInput.js';
import { referenceFromEmbedded } from '../pipeline/buildReference.js';
import { DEFAULT_TESTS } from '../pipeline/compareOptions.js';
import { PRECOMPUTED_INFO } from '../pipeline/prepareEmbeddings.js';

export async function vectorReference(
  source: string,
  vectors: Matrix,
  {
    permutations = 999,
    alpha = 0.05,
    groups,
  }: {
    permutations?: number;
    alpha?: number /** Group id per row (as --group-column gives them). */;
    groups?: string[];
  } = {},
): Promise<MonitorReference> {
  const origins = Array.from({ length: vectors.rows }, (_, i) => `${source} row ${i + 1}`);
  const bundle = await referenceFromEmbedded(
    {
      dataset: {
        source,
        texts: null,
        vectors,
        labels: null,
        origins,
        ...(groups ? { groups } : {}),
        counts: { nRead: vectors.rows, nEmpty: 0, nDuplicate: 0, nSampledOut: 0, skipped: [] },
      },
      vectors,
      embedding: { nTruncated: 0, oovRate: null },
      info: { ...PRECOMPUTED_INFO, dim: vectors.cols },
      fingerprint: null,
      warnings: [],
    },
    {
      reference: { source },
      model: 'precomputed',
      normalize: false,
      cacheDir: null,
      seed: 0,
      labelMap: null,
      tests: [...DEFAULT_TESTS],
      permutations,
      alpha,
      correction: 'holm',
      minEffect: null,
    },
    silentProgress,
  );
  return monitorReference(bundle);
}
