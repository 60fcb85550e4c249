/**
 * Streaming CSV/TSV records through csv-parse, with the header handled here so every error can name the file,
 * the data row and the line. Blank lines are not records; rows with the wrong number of fields are errors.
 */
import { parse } from 'csv-parse';
import { InputError } from '../core/errors.js';
import type { ProgressTask } from '../core/progress.js';
import type { TextEncodingName } from './sourceFile.js';
import { checkDecoded, openDecoded } from './sourceFile.js';

export interface DelimitedOptions {
  delimiter: ',' | '\t';
  encoding: TextEncodingName;
  /** Fixed column names for headerless files (Sentiment140); otherwise the first record is the header. */
  columns?: readonly string[];
}

export interface DelimitedRow {
  fields: string[];
  /** 1-based data row (header not counted). */
  row: number;
  /** Line of the file where the record ends (1-based, header counted). */
  line: number;
}

export interface DelimitedFile {
  columns: string[];
  rows: AsyncGenerator<DelimitedRow>;
}

/** The header (or the fixed columns) plus a generator of rows; `file` is the path shown in messages. */
export async function readDelimited(file: string, options: DelimitedOptions, task?: ProgressTask): Promise<DelimitedFile> {
  const decoded = openDecoded(file, options.encoding, task);
  const parser = decoded.pipe(
    // Field counts are checked below, where the data row can be named.
    parse({ delimiter: options.delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, info: true, bom: true }),
  );
  decoded.on('error', (error) => parser.destroy(error));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;

  const next = async (): Promise<IteratorResult<{ record: string[]; info: { lines: number } }>> => {
    try {
      return await records.next();
    } catch (error) {
      throw toInputError(error, file, options.delimiter);
    }
  };

  let columns: string[];
  let pending: { record: string[]; info: { lines: number } } | null = null;
  if (options.columns) {
    columns = [...options.columns];
  } else {
    const first = await next();
    if (first.done) throw new InputError(`${file}: no header row (the file has only blank lines)`);
    checkDecoded(decoded, first.value.record.join(''), `${file} header (line 1)`);
    columns = first.value.record.map((c) => c.trim());
  }
  if (options.columns) {
    const first = await next();
    pending = first.done ? null : first.value;
    if (pending === null) throw new InputError(`${file}: no data rows`);
  }

  async function* rows(): AsyncGenerator<DelimitedRow> {
    let row = 0;
    for (;;) {
      let item: { record: string[]; info: { lines: number } };
      if (pending) {
        item = pending;
        pending = null;
      } else {
        const step = await next();
        if (step.done) return;
        item = step.value;
      }
      row++;
      const where = `${file} row ${row} (line ${item.info.lines})`;
      if (item.record.length !== columns.length) {
        throw new InputError(`${where}: ${item.record.length} fields, expected ${columns.length} (${columns.join(', ')}); check quoting and the delimiter`);
      }
      for (const field of item.record) checkDecoded(decoded, field, where);
      yield { fields: item.record, row, line: item.info.lines };
    }
  }
  return { columns, rows: rows() };
}

function toInputError(error: unknown, file: string, delimiter: string): Error {
  if (error instanceof InputError) return error;
  const e = error as { code?: unknown; message?: unknown; lines?: unknown };
  if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
    const hint = delimiter === '\t' ? 'is it really tab-separated?' : 'check quoting, or use --format tsv for tab-separated files';
    return new InputError(`${file} line ${String(e.lines)}: malformed ${delimiter === '\t' ? 'TSV' : 'CSV'} (${String(e.message)}); ${hint}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
