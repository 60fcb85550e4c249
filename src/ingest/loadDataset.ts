/**
 * `loadDataset(spec, options)`: the one entry point the pipeline calls. A spec is either a corpus
 * (`spam-assassin:<groups>`, `sotu:<from>-<to>`, `uci-sentiment:<sites>`, `sentiment140:<path>`) or a file whose
 * extension (or options.format) picks the reader:
 *   .csv → CSV, .tsv/.tab → TSV, .jsonl/.ndjson → JSONL texts, or embeddings when the first record has the
 *   vector field, .txt → one text per line, .npy → float32 matrix, .parquet → texts or embeddings (by column).
 * Each file format is one entry of FILE_READERS; --input-format's choices and the unknown-type message come from it.
 */
import path from 'node:path';
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { InputError } from '../core/errors.js';
import type { Dataset, InputFormat, LoadOptions } from './dataset.js';
import { loadSotu } from './corpora/sotu.js';
import { loadSpamAssassin } from './corpora/spamAssassin.js';
import { loadUciSentiment } from './corpora/uciSentiment.js';
import { loadDelimited } from './csv.js';
import { loadEmbeddingsJsonl, looksLikeEmbeddingsJsonl } from './embeddingsJsonl.js';
import { loadJsonl } from './jsonl.js';
import { loadNpy } from './npy.js';
import { loadParquet } from './parquet.js';
import { loadPlainText } from './plainText.js';
import { loadSentiment140 } from './sentiment140.js';
import { requireNonEmptyFile } from './sourceFile.js';
import { CORPUS_PREFIXES, EXTENSION_FORMATS, FORMAT_EXTENSIONS } from './fileFormats.js';

export { CORPUS_PREFIXES } from './fileFormats.js';
type FileFormat = InputFormat;

export interface FileReader {
  /** Extensions (lower case, with the dot) that pick this reader without --input-format. */
  extensions: readonly string[];
  /** Whether records have named columns (--id-column, --label-column apply). */
  namedColumns: boolean;
  load(file: string, options: LoadOptions, progress: Progress): Promise<Dataset>;
}

export const FILE_READERS: Record<FileFormat, FileReader> = {
  csv: { extensions: FORMAT_EXTENSIONS.csv, namedColumns: true, load: (f, o, p) => loadDelimited(f, ',', o, p) },
  tsv: { extensions: FORMAT_EXTENSIONS.tsv, namedColumns: true, load: (f, o, p) => loadDelimited(f, '\t', o, p) },
  jsonl: {
    extensions: FORMAT_EXTENSIONS.jsonl,
    namedColumns: true,
    // A .jsonl is embeddings when its first record carries the vector field, unless the format was forced.
    load: async (f, o, p) =>
      o.format === undefined && (await looksLikeEmbeddingsJsonl(f, o))
        ? loadEmbeddingsJsonl(f, o, p)
        : loadJsonl(f, o, p),
  },
  text: { extensions: FORMAT_EXTENSIONS.text, namedColumns: false, load: loadPlainText },
  sentiment140: {
    extensions: FORMAT_EXTENSIONS.sentiment140,
    namedColumns: false,
    load: (f, o, p) => loadSentiment140(f, f, o, p),
  },
  npy: { extensions: FORMAT_EXTENSIONS.npy, namedColumns: false, load: loadNpy },
  'embeddings-jsonl': {
    extensions: FORMAT_EXTENSIONS['embeddings-jsonl'],
    namedColumns: true,
    load: loadEmbeddingsJsonl,
  },
  parquet: { extensions: FORMAT_EXTENSIONS.parquet, namedColumns: true, load: loadParquet },
};

export async function loadDataset(
  spec: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  const corpus = /^([a-z][a-z0-9-]+):(.*)$/.exec(spec);
  if (options.idColumn !== undefined) requireIdColumnSupport(spec, corpus ? corpus[1] : null, options);
  if (options.groupColumn !== undefined) requireGroupColumnSupport(spec, corpus ? corpus[1] : null, options);
  if (corpus && (CORPUS_PREFIXES as readonly string[]).includes(corpus[1])) {
    const [, prefix, rest] = corpus;
    if (rest.trim() === '')
      throw new InputError(`${spec}: missing the part after "${prefix}:" (e.g. ${example(prefix)})`);
    switch (prefix) {
      case 'spam-assassin':
        return loadSpamAssassin(spec, rest, options, progress);
      case 'sotu':
        return loadSotu(spec, rest, options, progress);
      case 'uci-sentiment':
        return loadUciSentiment(spec, rest, options, progress);
      default:
        return loadSentiment140(spec, rest, options, progress);
    }
  }
  return loadFile(spec, options, progress);
}

async function loadFile(file: string, options: LoadOptions, progress: Progress): Promise<Dataset> {
  await requireNonEmptyFile(file);
  const format = options.format ?? EXTENSION_FORMATS[path.extname(file).toLowerCase()];
  const reader = format === undefined ? undefined : FILE_READERS[format];
  if (!reader) {
    throw new InputError(
      `${file}: unknown file type "${path.extname(file) || '(no extension)'}"; use ${Object.keys(EXTENSION_FORMATS).join(', ')}, or pass --input-format (${Object.keys(FILE_READERS).join(', ')})`,
    );
  }
  return reader.load(file, options, progress);
}

const ID_COLUMN_FORMATS: readonly FileFormat[] = (Object.keys(FILE_READERS) as FileFormat[]).filter(
  (f) => FILE_READERS[f].namedColumns,
);

/** --id-column needs a source with named columns; refused up front for corpora, text and .npy files. */
function requireIdColumnSupport(spec: string, prefix: string | null, options: LoadOptions): void {
  const isCorpus = prefix !== null && (CORPUS_PREFIXES as readonly string[]).includes(prefix);
  const format = isCorpus ? null : (options.format ?? EXTENSION_FORMATS[path.extname(spec).toLowerCase()]);
  if (format && ID_COLUMN_FORMATS.includes(format)) return;
  throw new InputError(
    `${spec}: --id-column "${options.idColumn}" needs a source with named columns (${ID_COLUMN_FORMATS.join(', ')}); ${isCorpus ? 'bundled corpora name each sample by its origin already' : 'this source has none'}`,
  );
}

/** Sources that read --group-column: the formats with named columns and the bundled corpora that have one. */
const GROUP_COLUMN_FORMATS: readonly FileFormat[] = ID_COLUMN_FORMATS;
const GROUP_COLUMN_CORPORA = ['spam-assassin', 'sotu', 'uci-sentiment'];

function requireGroupColumnSupport(spec: string, prefix: string | null, options: LoadOptions): void {
  const isCorpus = prefix !== null && (CORPUS_PREFIXES as readonly string[]).includes(prefix);
  if (isCorpus && GROUP_COLUMN_CORPORA.includes(prefix as string)) return;
  const format = isCorpus ? null : (options.format ?? EXTENSION_FORMATS[path.extname(spec).toLowerCase()]);
  if (format && GROUP_COLUMN_FORMATS.includes(format)) return;
  throw new InputError(
    `${spec}: --group-column "${options.groupColumn}" needs a source with named columns (${GROUP_COLUMN_FORMATS.join(', ')}, or the corpora ${GROUP_COLUMN_CORPORA.join(', ')}); this source has none`,
  );
}

function example(prefix: string): string {
  const examples: Record<string, string> = {
    'spam-assassin': 'spam-assassin:easy-ham-1',
    sotu: 'sotu:1990-2021',
    'uci-sentiment': 'uci-sentiment:amazon',
    sentiment140: 'sentiment140:training.1600000.processed.noemoticon.csv',
  };
  return examples[prefix];
}
