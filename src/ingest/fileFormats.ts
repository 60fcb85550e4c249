/**
 * Which reader a file gets from its extension, and the bundled corpora's prefixes, apart from the readers
 * themselves (loadDataset.ts's FILE_READERS take their extensions from here), so the CLI's preflight can tell a
 * source's format without loading every reader.
 */
import path from 'node:path';
import type { InputFormat } from './dataset.js';

export const CORPUS_PREFIXES = ['spam-assassin', 'sotu', 'uci-sentiment', 'sentiment140'] as const;

/** Extensions (lower case, with the dot) that pick each format without --input-format. */
export const FORMAT_EXTENSIONS: Record<InputFormat, readonly string[]> = {
  csv: ['.csv'],
  tsv: ['.tsv', '.tab'],
  jsonl: ['.jsonl', '.ndjson'],
  text: ['.txt'],
  sentiment140: [],
  npy: ['.npy'],
  'embeddings-jsonl': [],
  parquet: ['.parquet', '.pq'],
};

export const EXTENSION_FORMATS: Record<string, InputFormat> = Object.fromEntries(
  (Object.entries(FORMAT_EXTENSIONS) as [InputFormat, readonly string[]][]).flatMap(([format, extensions]) =>
    extensions.map((ext) => [ext, format]),
  ),
);

/** The format a file is read as: --input-format, else its extension's; undefined when neither says. */
export function fileFormat(file: string, format?: InputFormat): InputFormat | undefined {
  return format ?? EXTENSION_FORMATS[path.extname(file).toLowerCase()];
}
