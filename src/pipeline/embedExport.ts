/**
 * `shiftlens embed`: load one source, embed its texts (through the embedding cache, so a later compare with the
 * same model is served from it), and export the vectors with their ids — the --id-column values, else each row's
 * origin ("data.csv row 17") — to .parquet or .npy. Everything that can be checked is checked before embedding;
 * the output is written all-or-nothing.
 */
import { firstNonFinite } from '../core/matrix.js';
import { InputError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import type { EmbedderInfo } from '../embed/embedder.js';
import { exportVectors, vectorExportFor } from '../export/exportVectors.js';
import { checkModelReachable } from '../embed/registry.js';
import { loadDataset } from '../ingest/loadDataset.js';
import { checkSourceColumns } from '../ingest/sourceColumns.js';
import type { CompareOptions, SideOptions } from './compareOptions.js';
import { createModelEmbedder, type ModelOptions } from './prepareEmbeddings.js';
import { TOOL_VERSION } from './toolVersion.js';

export type EmbedExportOptions = ModelOptions &
  Pick<CompareOptions, 'encoding' | 'maxRows' | 'seed'> & {
    input: SideOptions;
    /** vectors.parquet or vectors.npy. */
    out: string;
  };

export interface EmbedExportSummary {
  source: string;
  out: string;
  /** Every file written (the .npy's sidecars too). */
  written: string[];
  rows: number;
  model: EmbedderInfo;
  nCached: number;
  nTruncated: number;
  /** "id column" when --id-column gave them, else "row origins". */
  idsFrom: 'id column' | 'row origins';
}

export async function runEmbedExport(options: EmbedExportOptions, progress: Progress): Promise<EmbedExportSummary> {
  const target = vectorExportFor(options.out);
  if (options.model.trim() === 'precomputed') {
    throw new InputError('shiftlens embed needs a model (--model), not precomputed');
  }
  const { input } = options;
  // Before any row is read, as the CLI's preflight (which the library's callers do not pass through): the columns
  // the input names, the model spec and its options, and a hub model's config.
  await checkSourceColumns(input, { encoding: options.encoding });
  await checkModelReachable(options.model, {
    pooling: options.pooling,
    maxLength: options.maxLength,
    batchSize: options.batchSize,
    endpoint: options.endpoint,
    cacheDir: options.cacheDir,
    artifactsDir: options.artifactsDir,
  });
  const dataset = await loadDataset(
    input.source,
    {
      textColumn: input.textColumn,
      labelColumn: input.labelColumn,
      idColumn: input.idColumn,
      encoding: options.encoding,
      maxRows: options.maxRows,
      seed: options.seed,
      format: input.format,
    },
    progress,
  );
  if (dataset.texts === null) {
    throw new InputError(
      `${input.source} already holds vectors; shiftlens embed reads texts (give it the text source)`,
    );
  }
  const ids = dataset.ids ?? dataset.origins;
  target.check(options.out, ids, dataset.labels);
  const embedder = await createModelEmbedder(options, progress);
  try {
    const result = await embedder.embed(dataset.texts, { progress, label: 'embedding', origins: dataset.origins });
    const bad = firstNonFinite(result.vectors);
    if (bad >= 0) {
      throw new InputError(
        `the embedding of ${dataset.origins[Math.floor(bad / result.vectors.cols)]} contains NaN or Infinity: fix or drop that row`,
      );
    }
    const info = embedder.info;
    const written = await exportVectors(options.out, {
      vectors: result.vectors,
      ids,
      labels: dataset.labels,
      metadata: {
        'shiftlens.version': TOOL_VERSION,
        'shiftlens.model': info.id,
        'shiftlens.dim': String(info.dim),
        'shiftlens.normalize': String(info.normalize),
        'shiftlens.pooling': info.pooling,
        'shiftlens.source': input.source,
      },
    });
    return {
      source: input.source,
      out: options.out,
      written,
      rows: result.vectors.rows,
      model: info,
      nCached: result.nCached,
      nTruncated: result.nTruncated,
      idsFrom: dataset.ids ? 'id column' : 'row origins',
    };
  } finally {
    await embedder.dispose();
  }
}
