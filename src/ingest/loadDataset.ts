/**
 * `loadDataset(spec, options)`: the one entry point the pipeline calls. A spec is either a corpus
 * (`spam-assassin:<groups>`, `sotu:<from>-<to>`, `uci-sentiment:<sites>`, `sentiment140:<path>`) or a file whose
 * extension (or options.format) picks the reader:
 *   .csv → CSV, .tsv/.tab → TSV, .jsonl/.ndjson → JSONL texts, or embeddings when the first record has the
 *   vector field, .txt → one text per line, .npy → float32 matrix.
 */
import path from 'node:path';
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { InputError } from '../core/errors.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { loadSotu } from './corpora/sotu.js';
import { loadSpamAssassin } from './corpora/spamAssassin.js';
import { loadUciSentiment } from './corpora/uciSentiment.js';
import { loadDelimited } from './csv.js';
import { loadEmbeddingsJsonl, looksLikeEmbeddingsJsonl } from './embeddingsJsonl.js';
import { loadJsonl } from './jsonl.js';
import { loadNpy } from './npy.js';
import { loadPlainText } from './plainText.js';
import { loadSentiment140 } from './sentiment140.js';
import { requireNonEmptyFile } from './sourceFile.js';

export const CORPUS_PREFIXES = ['spam-assassin', 'sotu', 'uci-sentiment', 'sentiment140'] as const;
type FileFormat = NonNullable<LoadOptions['format']>;

const EXTENSION_FORMATS: Record<string, FileFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.txt': 'text',
  '.npy': 'npy',
};

export async function loadDataset(
  spec: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  const corpus = /^([a-z][a-z0-9-]+):(.*)$/.exec(spec);
  if (options.idColumn !== undefined) requireIdColumnSupport(spec, corpus ? corpus[1] : null, options);
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
  switch (format) {
    case 'csv':
      return loadDelimited(file, ',', options, progress);
    case 'tsv':
      return loadDelimited(file, '\t', options, progress);
    case 'text':
      return loadPlainText(file, options, progress);
    case 'npy':
      return loadNpy(file, options, progress);
    case 'sentiment140':
      return loadSentiment140(file, file, options, progress);
    case 'embeddings-jsonl':
      return loadEmbeddingsJsonl(file, options, progress);
    case 'jsonl':
      // A .jsonl is embeddings when its first record carries the vector field, unless the format was forced.
      if (options.format === undefined && (await looksLikeEmbeddingsJsonl(file, options)))
        return loadEmbeddingsJsonl(file, options, progress);
      return loadJsonl(file, options, progress);
    default:
      throw new InputError(
        `${file}: unknown file type "${path.extname(file) || '(no extension)'}"; use .csv, .tsv, .jsonl, .ndjson, .txt or .npy, or pass --input-format (csv, tsv, jsonl, text, sentiment140, npy, embeddings-jsonl)`,
      );
  }
}

const ID_COLUMN_FORMATS: readonly FileFormat[] = ['csv', 'tsv', 'jsonl', 'embeddings-jsonl'];

/** --id-column needs a source with named columns; refused up front for corpora, text and .npy files. */
function requireIdColumnSupport(spec: string, prefix: string | null, options: LoadOptions): void {
  const isCorpus = prefix !== null && (CORPUS_PREFIXES as readonly string[]).includes(prefix);
  const format = isCorpus ? null : (options.format ?? EXTENSION_FORMATS[path.extname(spec).toLowerCase()]);
  if (format && ID_COLUMN_FORMATS.includes(format)) return;
  throw new InputError(
    `${spec}: --id-column "${options.idColumn}" needs a source with named columns (CSV, TSV, JSONL or embeddings JSONL); ${isCorpus ? 'bundled corpora name each sample by its origin already' : 'this source has none'}`,
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
