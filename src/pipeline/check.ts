/**
 * `shiftlens check`: a target against a reference bundle — the target read and embedded with the bundle's model
 * (refused when that model now answers differently), then the same code compare runs from the embeddings on
 * (compare.ts compareWithReference), so the outputs are compare's and a check equals the compare of the same data
 * and seed. The reference is neither read nor embedded again.
 */
import { InputError } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import type { Dataset } from '../ingest/dataset.js';
import type { LoadedBundle, ReferenceBundle } from '../bundle/referenceBundle.js';
import { assertEmbedderMatches, assertFingerprintMatches, FINGERPRINT_TEXTS } from '../bundle/modelCompatibility.js';
import { type CheckOptions, checkCompareOptions } from './checkOptions.js';
import type { CompareOptions } from './compareOptions.js';
import { compareWithReference, createClock, type CompareRun, type EmbeddedTarget } from './compare.js';
import { createModelEmbedder, loadSide } from './prepareEmbeddings.js';
import { assertTargetVectors } from './referenceSuite.js';

export { testWindow } from './referenceSuite.js';
export { type CheckOptions, checkCompareOptions, checkSuiteSettings } from './checkOptions.js';

/**
 * Checks a target against `bundle`. `given`: the target as a Dataset built in memory (src/api) instead of read
 * from options.target. The result's `bundle` block names the file when the bundle came from one.
 */
export async function checkTarget(
  bundle: ReferenceBundle | LoadedBundle,
  checkOptions: CheckOptions,
  progress: Progress,
  given?: { target: Dataset },
): Promise<CompareRun> {
  const options = checkCompareOptions(bundle, checkOptions);
  const clock = createClock();
  const dataset = given
    ? given.target
    : await clock.time('ingestTargetMs', () => loadSide(options, 'target', progress));
  const { target, warnings } = await clock.time('embedMs', () => embedTarget(bundle, dataset, options, progress));
  const run = await compareWithReference(bundle, target, options, progress, { clock, warnings });
  if (bundle.reference.nEmbedded > bundle.reference.vectors.rows) {
    run.result.warnings.push(
      `The bundle keeps a seeded sample of ${bundle.reference.vectors.rows} of the ${bundle.reference.nEmbedded} reference rows: the tests and the view use that sample (the probe was fitted on every labelled row).`,
    );
  }
  if ('file' in bundle) {
    run.result.bundle = {
      file: bundle.file.path,
      sha256: bundle.file.checksum,
      formatVersion: bundle.file.formatVersion,
      createdAt: bundle.createdAt,
      toolVersion: bundle.tool.version,
      referenceRows: bundle.reference.vectors.rows,
      referenceRowsEmbedded: bundle.reference.nEmbedded,
    };
  }
  return run;
}

/**
 * The target embedded as the bundle's reference was: its own vectors when the bundle holds precomputed vectors,
 * else the bundle's model, checked to be the same model (what it reports, and its answers on fixed sentences).
 */
export async function embedTarget(
  bundle: ReferenceBundle | LoadedBundle,
  dataset: Dataset,
  options: CompareOptions,
  progress: Progress,
): Promise<{ target: EmbeddedTarget; warnings: string[] }> {
  const name = 'file' in bundle ? bundle.file.path : 'the reference bundle';
  const precomputed = bundle.model.info.backend === 'precomputed';
  if (precomputed || dataset.vectors) {
    if (!precomputed || !dataset.vectors) {
      throw new InputError(
        precomputed
          ? `target ${dataset.source} holds texts but bundle ${name} holds precomputed vectors: give the target as vectors from the same model`
          : `target ${dataset.source} holds precomputed vectors but bundle ${name} was built by embedding texts with ${bundle.model.spec}: give the target's texts`,
      );
    }
    assertTargetVectors(bundle, dataset.vectors);
    return { target: { dataset, vectors: dataset.vectors, embedding: { nTruncated: 0, oovRate: null } }, warnings: [] };
  }
  const embedder = await createModelEmbedder(options, progress);
  try {
    assertEmbedderMatches(name, bundle.model, embedder.info);
    if (bundle.model.fingerprint) {
      const now = await embedder.embed(FINGERPRINT_TEXTS, { progress: silentProgress });
      assertFingerprintMatches(name, bundle.model, now.vectors);
    }
    const result = await embedder.embed(dataset.texts as string[], {
      progress,
      label: 'embedding target',
      origins: dataset.origins,
    });
    assertTargetVectors(bundle, result.vectors, `target ${dataset.source}`);
    return {
      target: {
        dataset,
        vectors: result.vectors,
        embedding: { nTruncated: result.nTruncated, oovRate: result.oovRate },
      },
      warnings: [...(embedder.warnings ?? [])],
    };
  } finally {
    await embedder.dispose();
  }
}
