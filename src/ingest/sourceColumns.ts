/**
 * The columns a side asks for, checked from the source's header alone — a CSV/TSV header row, a JSONL file's
 * first record, a bundled corpus's fixed columns (and its group or site names) — so a wrong column name is refused
 * before any side is read, embedded or fitted (Parquet, embeddings and Sentiment140 files: by their loaders). The
 * messages are the loaders' own (columns.ts); what only the rows can show (a bad cell, a record without the field)
 * is left to the loaders.
 */
import { requireColumn, resolveTextColumn } from './columns.js';
import type { InputFormat, LoadOptions } from './dataset.js';
import { CORPUS_PREFIXES, fileFormat } from './fileFormats.js';
import { requireNonEmptyFile } from './sourceFile.js';

// The readers' pieces each check needs are imported by that check: the preflight loads no reader it does not use.

/** One side's source and the columns it names (monitor's stream also has a time column). */
export interface ColumnRequest {
  source: string;
  format?: InputFormat;
  textColumn?: string;
  labelColumn?: string;
  idColumn?: string;
  groupColumn?: string;
  timeColumn?: string;
}

export async function checkSourceColumns(
  side: ColumnRequest,
  options: Pick<LoadOptions, 'vectorField' | 'encoding'>,
): Promise<void> {
  const corpus = /^([a-z][a-z0-9-]+):(.*)$/.exec(side.source);
  if (corpus && (CORPUS_PREFIXES as readonly string[]).includes(corpus[1])) {
    await checkCorpus(corpus[1], corpus[2], side);
    return;
  }
  const format = fileFormat(side.source, side.format);
  if (format !== 'csv' && format !== 'tsv' && format !== 'jsonl') return;
  await requireNonEmptyFile(side.source);
  if (format !== 'jsonl') {
    const columns = await delimitedHeader(side.source, format === 'csv' ? ',' : '\t', options);
    if (columns) requireNamed(columns, side, side.source);
    return;
  }
  const first = await firstRecord(side.source, options);
  const { DEFAULT_VECTOR_FIELD } = await import('./embeddingsJsonl.js');
  // Embeddings (the vector field in the first record, format not forced): the loader names its fields itself.
  if (!first || (side.format === undefined && Array.isArray(first.record[options.vectorField ?? DEFAULT_VECTOR_FIELD])))
    return;
  requireNamed(Object.keys(first.record), side, first.where);
}

/** The text column (default "text") and every other column the side names, in the loaders' order and words. */
function requireNamed(columns: string[], side: ColumnRequest, where: string): void {
  resolveTextColumn(columns, side.textColumn, where);
  const named = [
    ['--label-column', side.labelColumn],
    ['--id-column', side.idColumn],
    ['--group-column', side.groupColumn],
    ['--time-column', side.timeColumn],
  ] as const;
  for (const [flag, column] of named) if (column !== undefined) requireColumn(columns, column, flag, where);
}

/** A bundled corpus: its name list (groups, sites) and its fixed columns, none of them a time column. */
async function checkCorpus(prefix: string, rest: string, side: ColumnRequest): Promise<void> {
  if (rest.trim() === '') return; // The loader says what is missing, with an example.
  const spec = side.source;
  let columns: readonly string[];
  if (prefix === 'spam-assassin') {
    const { checkSpamAssassinSpec, SPAM_ASSASSIN_COLUMNS } = await import('./corpora/spamAssassin.js');
    checkSpamAssassinSpec(spec, rest, side);
    columns = SPAM_ASSASSIN_COLUMNS;
  } else if (prefix === 'uci-sentiment') {
    const { checkUciSentimentSpec, UCI_COLUMNS } = await import('./corpora/uciSentiment.js');
    checkUciSentimentSpec(spec, rest, side);
    columns = UCI_COLUMNS;
  } else if (prefix === 'sotu') {
    const { SOTU_COLUMNS } = await import('./corpora/sotu.js');
    const { corpusColumnIndices } = await import('./corpora/corpusColumns.js');
    corpusColumnIndices(spec, SOTU_COLUMNS, side, null);
    columns = SOTU_COLUMNS;
  } else return;
  if (side.timeColumn !== undefined) requireColumn(columns, side.timeColumn, '--time-column', spec);
}

/** The header row of a CSV/TSV file (null: only blank lines; the loader says so). */
async function delimitedHeader(
  file: string,
  delimiter: ',' | '\t',
  options: Pick<LoadOptions, 'encoding'>,
): Promise<string[] | null> {
  let header: string[] | null = null;
  try {
    const handler = {
      header: (columns: string[]) => {
        header = columns;
        throw new HeaderRead();
      },
      row: () => {},
    };
    const { readDelimited } = await import('./delimited.js');
    await readDelimited(file, { delimiter, encoding: options.encoding ?? 'utf8' }, handler);
  } catch (error) {
    if (!(error instanceof HeaderRead)) throw error;
  }
  return header;
}

/** Stops a read once the header is in. */
class HeaderRead extends Error {}

async function firstRecord(
  file: string,
  options: Pick<LoadOptions, 'encoding'>,
): Promise<{ record: Record<string, unknown>; where: string } | null> {
  const { readLines } = await import('./lines.js');
  const { parseJsonObjectLine } = await import('./jsonl.js');
  for await (const { text, line } of readLines(file, options.encoding ?? 'utf8')) {
    if (text.trim() === '') continue;
    const where = `${file} line ${line}`;
    return { record: parseJsonObjectLine(text, where), where };
  }
  return null;
}
