/** A monitor reference from vectors in memory: the bundle compare and `reference build` make, for tests and benches. */
import type { Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { monitorReference, type MonitorReference } from '../../src/monitor/monitorInput.js';
import { referenceFromEmbedded } from '../../src/pipeline/buildReference.js';
import { DEFAULT_TESTS } from '../../src/pipeline/compareOptions.js';
import { PRECOMPUTED_INFO } from '../../src/pipeline/prepareEmbeddings.js';

export async function vectorReference(source: string, vectors: Matrix): Promise<MonitorReference> {
  const origins = Array.from({ length: vectors.rows }, (_, i) => `${source} row ${i + 1}`);
  const bundle = await referenceFromEmbedded(
    {
      dataset: {
        source,
        texts: null,
        vectors,
        labels: null,
        origins,
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
      permutations: 999,
      alpha: 0.05,
      correction: 'holm',
      minEffect: null,
    },
    silentProgress,
  );
  return monitorReference(bundle);
}
