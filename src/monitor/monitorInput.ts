/**
 * The reference and the stream of a monitor run, embedded with one model. This is the one place that knows where
 * the reference comes from: today `--reference <source> --model <m>` (embedded here through the compare path);
 * a saved reference bundle (`--bundle`) plugs in at `loadMonitorInput` and `testWindow` alone.
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
import { loadDataset } from '../ingest/loadDataset.js';
import type { EmbedderInfo } from '../embed/embedder.js';
import { loadAndEmbed, type InputOptions } from '../pipeline/prepareEmbeddings.js';
import { runTestSuite, type SuiteOptions, type SuiteOutcome } from '../pipeline/testSuite.js';

export interface MonitorReference {
  /** What the reference is, as the user named it (a source spec, or a bundle path). */
  source: string;
  /** SHA-256 (hex) that identifies the reference in the history: of the model id and the embeddings' bytes. */
  checksum: string;
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

export interface MonitorInputOptions extends InputOptions {
  timeColumn?: string;
}

/** Loads and embeds the reference and the stream (one model for both). */
export async function loadMonitorInput(
  options: MonitorInputOptions,
  progress: Progress,
): Promise<{ reference: MonitorReference; stream: MonitorStream }> {
  const userIdColumn = options.target.idColumn;
  const withTimes: InputOptions = {
    ...options,
    target: { ...options.target, idColumn: options.timeColumn ?? userIdColumn },
  };
  let loaded: Awaited<ReturnType<typeof loadAndEmbed>>;
  try {
    loaded = await loadAndEmbed(withTimes, progress);
  } catch (error) {
    throw options.timeColumn !== undefined ? asTimeColumnError(error, options.timeColumn) : error;
  }
  const { reference, target, embedded } = loaded;
  let ids: string[] | null = options.timeColumn === undefined ? (target.ids ?? null) : null;
  if (options.timeColumn !== undefined && userIdColumn !== undefined) {
    const again = await loadDataset(options.target.source, {
      textColumn: options.target.textColumn,
      idColumn: userIdColumn,
      vectorField: options.vectorField,
      encoding: options.encoding,
      maxRows: options.maxRows,
      seed: options.seed,
      format: options.target.format,
    });
    if (again.origins.length !== target.origins.length || again.origins.some((o, i) => o !== target.origins[i])) {
      throw new InputError(`${options.target.source} changed while it was read: run the monitor again`);
    }
    ids = again.ids ?? null;
  }
  const { description: _description, ...model } = embedded.info;
  return {
    reference: {
      source: reference.source,
      checksum: referenceChecksum(model.id, embedded.referenceVectors),
      vectors: embedded.referenceVectors,
      model,
    },
    stream: {
      dataset: target,
      vectors: embedded.targetVectors,
      timeCells: options.timeColumn !== undefined ? (target.ids ?? null) : null,
      ids,
      warnings: [...(embedded.warnings ?? [])],
    },
  };
}

/**
 * One window against the reference: the two-sample suite at the per-window level. With a bundle this becomes the
 * bundle's `testWindow(bundle, vectors, options, rng, progress)` (fitted states reused); the numbers must not change.
 */
export function testWindow(
  reference: MonitorReference,
  vectors: Matrix,
  options: SuiteOptions,
  rng: Rng,
  progress: Progress,
): Promise<SuiteOutcome> {
  return runTestSuite(reference.vectors, vectors, options, rng, progress);
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
