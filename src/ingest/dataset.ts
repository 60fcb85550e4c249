/**
 * What every ingestion source produces: texts (or precomputed vectors), optional labels, and honest counts of
 * what was read, dropped as empty, or found duplicated.
 */
import type { Matrix } from '../core/matrix.js';

export interface DatasetCounts {
  /** Records read from the source before any filtering or sampling. */
  nRead: number;
  /** Records whose text was empty or whitespace only (dropped, counted). */
  nEmpty: number;
  /** Records whose text exactly repeats an earlier record of the same side (kept, counted). */
  nDuplicate: number;
  /** Records left out by --max-rows sampling. */
  nSampledOut: number;
  /** Records skipped for another stated reason (e.g. undecodable charset), with the reason. */
  skipped: { reason: string; count: number }[];
}

export interface Dataset {
  /** The user's source spec, e.g. "data/train.csv" or "spam-assassin:easy-ham-1". */
  source: string;
  /** One entry per sample; absent when the source carries precomputed vectors only. */
  texts: string[] | null;
  /** Precomputed embeddings (rows align with samples); null for text sources. */
  vectors: Matrix | null;
  /** Labels as strings, aligned with samples; null when the source has none. Missing label in a row = ''. */
  labels: string[] | null;
  /** A label mapping the source suggests (e.g. Sentiment140 {"0":"negative","4":"positive","2":"neutral"}). */
  defaultLabelMap?: Record<string, string>;
  /** Per-sample origin for messages: e.g. "data.csv row 17". Same length as samples. */
  origins: string[];
  /** The user's own ids from --id-column, aligned with samples (missing id = ''); absent without one. */
  ids?: string[];
  /**
   * Group (cluster) id of every sample from --group-column (rows of one document, thread or conversation share
   * one; missing = ''), aligned with samples; absent without one. The tests then move whole groups.
   */
  groups?: string[];
  counts: DatasetCounts;
}

/** Every --input-format; src/ingest/loadDataset.ts maps each to its reader (FILE_READERS). */
export const INPUT_FORMATS = [
  'csv',
  'tsv',
  'jsonl',
  'text',
  'sentiment140',
  'npy',
  'embeddings-jsonl',
  'parquet',
] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export interface LoadOptions {
  textColumn?: string;
  labelColumn?: string;
  /** Column/field holding each record's own id, carried to the outputs (CSV, TSV, JSONL, embeddings JSONL). */
  idColumn?: string;
  /** Column/field holding each record's group id (--group-column): rows that belong together. */
  groupColumn?: string;
  /** Vector field for JSONL embeddings (default "embedding"). */
  vectorField?: string;
  encoding?: 'utf8' | 'latin1';
  /** Keep at most this many samples: a seeded reservoir sample, or whole groups with `groupColumn` (wholeGroupCap.ts). */
  maxRows?: number;
  seed: number;
  /** Force a format instead of guessing from the extension. */
  format?: InputFormat;
}

export function sampleCount(d: Dataset): number {
  return d.vectors ? d.vectors.rows : (d.texts?.length ?? 0);
}

/** Number of distinct groups of a dataset with group ids (null without). */
export function groupCount(d: Dataset): number | null {
  return d.groups ? new Set(d.groups).size : null;
}
