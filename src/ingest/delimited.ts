/**
 * Streaming CSV/TSV records through csv-parse, with the header handled here so every error can name the file
 * and the data row. Blank lines are not records; rows with the wrong number of fields are errors. Line numbers
 * (which differ from rows when quoted fields span lines) are worked out only when an error needs one: tracking
 * them for every record would cost a third of the parse time.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { Options as CsvOptions } from 'csv-parse';
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

export interface DelimitedHandler {
  /** Called once with the column names, before any row. May throw (e.g. a missing column). */
  header(columns: string[]): void;
  /** Called per data row; `row` counts data rows from 1 (header not counted). */
  row(fields: string[], row: number): void;
}

function csvOptions(delimiter: string): CsvOptions {
  // Field counts are checked here, where the data row can be named.
  return { delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, bom: true };
}

export async function readDelimited(
  file: string,
  options: DelimitedOptions,
  handler: DelimitedHandler,
  task?: ProgressTask,
): Promise<void> {
  const decoded = openDecoded(file, options.encoding, task);
  const parser = decoded.pipe(parse(csvOptions(options.delimiter)));
  decoded.on('error', (error) => parser.destroy(error));
  const hasHeader = options.columns === undefined;
  let columns: string[] | null = options.columns ? [...options.columns] : null;
  if (columns) handler.header(columns);
  let record = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      record++;
      if (columns === null) {
        checkDecoded(decoded, fields.join(''), `${file} header (line 1)`);
        columns = fields.map((c) => c.trim());
        handler.header(columns);
        continue;
      }
      const row = hasHeader ? record - 1 : record;
      if (fields.length !== columns.length) {
        throw new InputError(
          `${await where(file, options, row)}: ${fields.length} fields, expected ${columns.length} (${columns.join(', ')}); check quoting and the delimiter`,
        );
      }
      for (const field of fields) {
        if (decoded.sawInvalidBytes && field.includes('\uFFFD'))
          checkDecoded(decoded, field, await where(file, options, row));
      }
      handler.row(fields, row);
    }
  } catch (error) {
    parser.destroy();
    if ((error as { code?: unknown }).code === 'CSV_QUOTE_NOT_CLOSED') {
      // csv-parse names the end of the file; the user needs the line where the quote opens.
      throw await unclosedQuoteError(file, options, hasHeader ? record : record + 1);
    }
    throw toInputError(error, file, options.delimiter);
  }
  if (columns === null) throw new InputError(`${file}: no header row (the file has only blank lines)`);
}

/** "file row N (line L)": re-reads the file up to data row N to find the line where that record ends. */
async function where(file: string, options: DelimitedOptions, row: number): Promise<string> {
  const target = options.columns === undefined ? row + 1 : row;
  const parser = createReadStream(file).pipe(
    parse({ ...csvOptions(options.delimiter), encoding: options.encoding === 'utf8' ? 'utf8' : 'latin1', info: true }),
  );
  let line = -1;
  try {
    for await (const item of parser as AsyncIterable<{ info: { lines: number; records: number } }>) {
      if (item.info.records === target) {
        line = item.info.lines;
        break;
      }
    }
  } catch {
    // The line number is a courtesy: the row number alone still names the record.
  } finally {
    parser.destroy();
  }
  return line > 0 ? `${file} row ${row} (line ${line})` : `${file} row ${row}`;
}

/**
 * The quote that is never closed: scans the file as the parser reads it (a quote opens a field only at the field's
 * start, "" inside a quoted field is a literal quote, quotes inside an unquoted field are literal) and names the
 * line of the last opening quote still open at the end, with the data row it begins.
 */
async function unclosedQuoteError(file: string, options: DelimitedOptions, row: number): Promise<InputError> {
  const kind = options.delimiter === '\t' ? 'TSV' : 'CSV';
  const line = await unclosedQuoteLine(file, options);
  const where = line > 0 ? `${file} row ${row} (line ${line})` : `${file} row ${row}`;
  return new InputError(
    `${where}: malformed ${kind}: a quoted field opens here and is never closed; close it with a " (a quote inside a quoted field is written "")`,
  );
}

async function unclosedQuoteLine(file: string, options: DelimitedOptions): Promise<number> {
  const stream = createReadStream(file, { encoding: options.encoding === 'utf8' ? 'utf8' : 'latin1' });
  let line = 1;
  let fieldStart = true;
  let inQuote = false;
  let quoteLine = -1;
  let pendingQuote = false; // inside a quoted field, a " was the chunk's last character
  let afterCr = false;
  let first = true;
  for await (const chunk of stream as AsyncIterable<string>) {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (first) {
        first = false;
        if (ch === '\uFEFF') continue;
      }
      if (pendingQuote) {
        pendingQuote = false;
        if (ch === '"') continue; // "" — a literal quote, still inside
        inQuote = false;
      }
      if (ch === '\n') {
        if (!afterCr) line++;
        afterCr = false;
        if (!inQuote) fieldStart = true;
        continue;
      }
      afterCr = ch === '\r';
      if (afterCr) {
        line++;
        if (!inQuote) fieldStart = true;
        continue;
      }
      if (inQuote) {
        if (ch === '"') {
          if (i + 1 < chunk.length) {
            if (chunk[i + 1] === '"') i++;
            else inQuote = false;
          } else pendingQuote = true;
        }
        continue;
      }
      if (ch === options.delimiter) fieldStart = true;
      else if (fieldStart && ch === '"') {
        inQuote = true;
        quoteLine = line;
        fieldStart = false;
      } else fieldStart = false;
    }
  }
  if (pendingQuote) inQuote = false;
  return inQuote ? quoteLine : -1;
}

function toInputError(error: unknown, file: string, delimiter: string): Error {
  if (error instanceof InputError) return error;
  const e = error as { code?: unknown; message?: unknown; lines?: unknown };
  if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
    const hint =
      delimiter === '\t'
        ? 'is it really tab-separated?'
        : 'check quoting, or use --input-format tsv for tab-separated files';
    return new InputError(
      `${file} line ${String(e.lines)}: malformed ${delimiter === '\t' ? 'TSV' : 'CSV'} (${String(e.message)}); ${hint}`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
