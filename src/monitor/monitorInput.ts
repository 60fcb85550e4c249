/**
 * The reference and the stream of a monitor run. The reference is a bundle (src/bundle: `--bundle ref.shiftlens`,
 * read and checked by the caller) or a source embedded now (`--reference <source> --model <m>`, built into the same
 * bundle in memory by buildReference); the stream is embedded with the bundle's model, checked to be the same model
 * (pipeline/check.ts embedTarget), and each window is tested through the bundle's `testWindow`.
 *
 * The time column travels through ingestion as the rows' id column (so its cells stay aligned with the rows kept
 * after empty texts are dropped); the user's own --id-column, when given too, comes from a second, text-only read.
 */
import crypto from 'node:crypto';
import type { Matrix } from '../core/matrix.js';
import { InputError, isInputError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { Dataset } from '../ingest/dataset.js';
import type { EmbedderInfo } from '../embed/embedder.js';
import type { LoadedBundle, ReferenceBundle } from '../bundle/referenceBundle.js';
import { buildReference } from '../pipeline/buildReference.js';
import { checkCompareOptions, embedTarget, testWindow as testBundleWindow } from '../pipeline/check.js';
import { defaultCompareOptions, type SideOptions, type TestName } from '../pipeline/compareOptions.js';
import { loadSide, type InputOptions } from '../pipeline/prepareEmbeddings.js';
import type { SuiteOptions, SuiteOutcome } from '../pipeline/testSuite.js';
import type { FamilyCorrection, MinEffect } from '../twosample/suite.js';

export interface MonitorReference {
  /** What the reference is, as the user named it: the bundle file, or the reference's source spec. */
  source: string;
  /**
   * SHA-256 (hex) of the model id and the reference embeddings: identifies the reference in the history, the same
   * whether it came from a bundle or was embedded now from the same rows.
   */
  checksum: string;
  /** The bundle file's own SHA-256 when the reference came from one. */
  bundleSha256: string | null;
  bundle: ReferenceBundle;
  vectors: Matrix;
  model: Omit<EmbedderInfo, 'description'>;
}

export interface MonitorStream {
  dataset: Dataset;
  vectors: Matrix;
  /** The --time-column's cells, aligned with the rows; null without a time column. */
  timeCells: string[] | null;
  /** The user's --id-column values, aligned with the rows; null without one. */
  ids: string[] | null;
  warnings: string[];
}

export interface MonitorInputOptions extends Omit<InputOptions, 'reference'> {
  /** --reference: embedded now. Exactly one of `reference` and `bundle`. */
  reference?: SideOptions;
  /** --bundle, already read (readBundle). */
  bundle?: ReferenceBundle | LoadedBundle;
  timeColumn?: string;
  /** The suite's settings (a reference embedded now fits the bundle's suite with them). */
  tests: TestName[];
  permutations: number | null;
  alpha: number;
  correction: FamilyCorrection;
  minEffect: MinEffect;
}

/** Loads the reference (bundle or embedded now) and the stream, embedded with the reference's model. */
export async function loadMonitorInput(
  options: MonitorInputOptions,
  progress: Progress,
): Promise<{ reference: MonitorReference; stream: MonitorStream }> {
  const warnings: string[] = [];
  let bundle: ReferenceBundle | LoadedBundle;
  if (options.bundle) bundle = options.bundle;
  else if (options.reference) {
    const built = await buildReference(
      {
        ...options,
        reference: options.reference,
        labelMap: null,
        permutations: options.permutations ?? 999,
        tests: options.tests,
      },
      progress,
    );
    bundle = built.bundle;
    warnings.push(...built.warnings);
  } else {
    throw new InputError('monitor needs a reference: --bundle <file.shiftlens> or --reference <source>');
  }
  const { reference: _reference, ...defaults } = defaultCompareOptions(
    { source: bundle.reference.dataset.source },
    options.target,
  );
  // The stream is read and embedded as check reads a target: the bundle's model, the user's cache and limits.
  const compareOptions = checkCompareOptions(bundle, {
    ...defaults,
    batchSize: options.batchSize,
    cacheDir: options.cacheDir,
    endpoint: options.endpoint,
    embedWorkers: options.embedWorkers,
    vectorField: options.vectorField,
    encoding: options.encoding,
    maxRows: options.maxRows,
    seed: options.seed,
  });
  const userIdColumn = options.target.idColumn;
  const withTimes = { ...compareOptions, target: { ...options.target, idColumn: options.timeColumn ?? userIdColumn } };
  let dataset: Dataset;
  try {
    dataset = await loadSide(withTimes, 'target', progress);
  } catch (error) {
    throw options.timeColumn !== undefined ? asTimeColumnError(error, options.timeColumn) : error;
  }
  let ids: string[] | null = options.timeColumn === undefined ? (dataset.ids ?? null) : null;
  if (options.timeColumn !== undefined && userIdColumn !== undefined) {
    const again = await loadSide({ ...compareOptions, target: options.target }, 'target', progress);
    if (again.origins.length !== dataset.origins.length || again.origins.some((o, i) => o !== dataset.origins[i])) {
      throw new InputError(`${options.target.source} changed while it was read: run the monitor again`);
    }
    ids = again.ids ?? null;
  }
  const embedded = await embedTarget(bundle, dataset, compareOptions, progress);
  warnings.push(...embedded.warnings);
  return {
    reference: monitorReference(bundle),
    stream: {
      dataset,
      vectors: embedded.target.vectors,
      timeCells: options.timeColumn !== undefined ? (dataset.ids ?? null) : null,
      ids,
      warnings,
    },
  };
}

/** A bundle (read from a file or built in memory) as the monitor's reference. */
export function monitorReference(bundle: ReferenceBundle | LoadedBundle): MonitorReference {
  const { description: _description, ...model } = bundle.model.info;
  const vectors = bundle.reference.vectors;
  return {
    source: 'file' in bundle ? bundle.file.path : bundle.reference.dataset.source,
    checksum: referenceChecksum(model.id, vectors),
    bundleSha256: 'file' in bundle ? bundle.file.checksum : null,
    bundle,
    vectors,
    model,
  };
}

/** One window against the reference: the bundle's suite (its stored rows and fitted states) at the per-window level. */
export function testWindow(
  reference: MonitorReference,
  vectors: Matrix,
  options: SuiteOptions,
  rng: Rng,
  progress: Progress,
): Promise<SuiteOutcome> {
  return testBundleWindow(reference.bundle, vectors, options, rng, progress);
}

export function referenceChecksum(modelId: string, vectors: Matrix): string {
  const hash = crypto.createHash('sha256');
  hash.update(`shiftlens-reference\0${modelId}\0${vectors.rows}x${vectors.cols}\0`);
  hash.update(Buffer.from(vectors.data.buffer, vectors.data.byteOffset, vectors.data.byteLength));
  return hash.digest('hex');
}

/** The ingestion layer names the id column; for the monitor's time column, the user's flag is --time-column. */
function asTimeColumnError(error: unknown, column: string): unknown {
  if (!isInputError(error)) return error;
  if (!error.message.includes('--id-column')) return error;
  return new InputError(
    error.message
      .replaceAll(`--id-column "${column}"`, `--time-column "${column}"`)
      .replaceAll('--id-column', '--time-column'),
  );
}
