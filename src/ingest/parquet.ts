/**
 * Apache Parquet files (hyparquet), read one row group at a time, only the columns asked for. A file is texts
 * (--text-column, default "text") or, when it has the vector column (--vector-field, default "embedding") and no
 * --text-column is given, precomputed embeddings: list<float>, list<double> or fixed_size_list<float>, one
 * dimension for the file. --label-column, --id-column and --group-column take any one-value-per-row column. Every column's type
 * and the compression codecs are checked from the footer before any row is read. Origins "data.parquet row 17".
 */
import {
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type SchemaTree,
} from 'hyparquet';
import { InputError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { TextCollector } from './collector.js';
import { listColumns } from './columns.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { DEFAULT_VECTOR_FIELD } from './embeddingsJsonl.js';
import { parquetColumnType, requireColumnKind } from './parquetColumns.js';
import { displayName, requireNonEmptyFile } from './sourceFile.js';
import { VectorCollector } from './vectorCollector.js';

/** Codecs hyparquet decodes without extra packages. */
const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);

interface ParquetPlan {
  metadata: FileMetaData;
  /** Column names to read, by role. */
  text: string | null;
  vector: string | null;
  label: string | null;
  id: string | null;
  group: string | null;
}

export async function loadParquet(
  file: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  await requireNonEmptyFile(file);
  const buffer = await asyncBufferFromFile(file);
  const plan = await planRead(file, buffer, options);
  const total = Number(plan.metadata.num_rows);
  const task = progress.start(`reading ${displayName(file)}`, total);
  const name = displayName(file);
  const columns = [plan.text, plan.vector, plan.label, plan.id, plan.group].filter((c): c is string => c !== null);
  const texts = plan.text !== null ? new TextCollector(plan.label !== null, options) : null;
  const vectors = plan.vector !== null ? new VectorCollector(plan.label !== null, options) : null;
  let rowStart = 0;
  try {
    for (const group of plan.metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      let rows: Record<string, unknown>[] = [];
      await parquetRead({
        file: buffer,
        metadata: plan.metadata,
        columns,
        rowStart,
        rowEnd,
        rowFormat: 'object',
        onComplete: (r) => {
          rows = r;
        },
      });
      for (let k = 0; k < rows.length; k++) {
        const row = rowStart + k + 1;
        const record = rows[k];
        const label = plan.label !== null ? scalarText(record[plan.label], file, row, plan.label) : null;
        const id = plan.id !== null ? scalarText(record[plan.id], file, row, plan.id) : null;
        const group = plan.group !== null ? scalarText(record[plan.group], file, row, plan.group) : null;
        if (texts && plan.text !== null) {
          texts.add(scalarText(record[plan.text], file, row, plan.text), label, row, id, group);
        } else if (vectors && plan.vector !== null) {
          const where = `${file} row ${row}`;
          vectors.add(toVector(record[plan.vector], where, plan.vector), label, row, where, id, group);
        }
      }
      task.increment(rows.length);
      rowStart = rowEnd;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      `${file}: cannot decode the Parquet data near row ${rowStart + 1} (${(error as Error).message})`,
    );
  } finally {
    task.done();
  }
  if (texts) return texts.finish(file, (row) => `${name} row ${row}`);
  return (vectors as VectorCollector).finish(file, (row) => `${name} row ${row}`);
}

/** The one rule: a Parquet file is read as vectors unless a text column is named, when a vector column is named or present. */
function readsVectors(
  options: Pick<LoadOptions, 'textColumn' | 'vectorField'>,
  columns: Map<string, unknown>,
): boolean {
  return options.textColumn === undefined && (options.vectorField !== undefined || columns.has(DEFAULT_VECTOR_FIELD));
}

/** Whether loading this file would give vectors (no model runs for it); false when its footer cannot be read. */
export async function parquetHoldsVectors(
  file: string,
  options: Pick<LoadOptions, 'textColumn' | 'vectorField'>,
): Promise<boolean> {
  try {
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
    const columns = new Map(parquetSchema(metadata).children.map((c) => [c.element.name, c]));
    return readsVectors(options, columns);
  } catch {
    return false; // Unreadable: loading it reports that, naming the file.
  }
}

async function planRead(
  file: string,
  buffer: Awaited<ReturnType<typeof asyncBufferFromFile>>,
  options: LoadOptions,
): Promise<ParquetPlan> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new InputError(
      `${file}: not a readable Parquet file (${(error as Error).message}); write it with pyarrow/pandas .to_parquet or polars`,
    );
  }
  const schema = parquetSchema(metadata);
  const byName = new Map<string, SchemaTree>(schema.children.map((c) => [c.element.name, c]));
  const names = [...byName.keys()];
  const lookup = (column: string, flag: string): SchemaTree => {
    const node = byName.get(column);
    if (!node) throw new InputError(`${file}: no column "${column}" (${flag}); columns found: ${listColumns(names)}`);
    return node;
  };

  const vectorField = options.vectorField ?? DEFAULT_VECTOR_FIELD;
  const wantsVectors = readsVectors(options, byName);
  let text: string | null = null;
  let vector: string | null = null;
  if (wantsVectors) {
    requireColumnKind(
      file,
      vectorField,
      '--vector-field',
      parquetColumnType(lookup(vectorField, '--vector-field')),
      'floatList',
    );
    vector = vectorField;
  } else {
    text = options.textColumn ?? 'text';
    if (options.textColumn === undefined && !byName.has('text')) {
      throw new InputError(
        `${file}: no "text" column; pass --text-column (or --vector-field for embeddings) with one of the columns found: ${listColumns(names)}`,
      );
    }
    requireColumnKind(file, text, '--text-column', parquetColumnType(lookup(text, '--text-column')), 'text');
  }
  const label = options.labelColumn ?? null;
  if (label !== null) {
    requireColumnKind(file, label, '--label-column', parquetColumnType(lookup(label, '--label-column')), 'scalar');
  }
  const id = options.idColumn ?? null;
  if (id !== null) requireColumnKind(file, id, '--id-column', parquetColumnType(lookup(id, '--id-column')), 'scalar');

  const group = options.groupColumn ?? null;
  if (group !== null) {
    requireColumnKind(file, group, '--group-column', parquetColumnType(lookup(group, '--group-column')), 'scalar');
  }

  const needed = new Set([text, vector, label, id, group].filter((c): c is string => c !== null));
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const codec = chunk.meta_data?.codec;
      const top = chunk.meta_data?.path_in_schema[0];
      if (codec && top && needed.has(top) && !READABLE_CODECS.has(codec)) {
        throw new InputError(
          `${file}: column "${top}" is compressed with ${codec}; shiftlens reads uncompressed and Snappy Parquet, so rewrite it with compression="snappy" (pyarrow, pandas and polars all take that option)`,
        );
      }
    }
  }
  if (Number(metadata.num_rows) === 0) throw new InputError(`${file}: the Parquet file has no rows`);
  return { metadata, text, vector, label, id, group };
}

/** A one-value cell as text: strings as they are, numbers/bools/bigints printed, dates in ISO form, null as ''. */
function scalarText(value: unknown, file: string, row: number, column: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  throw new InputError(`${file} row ${row}: column "${column}" holds ${describe(value)}, expected one value`);
}

function toVector(value: unknown, where: string, column: string): Float32Array {
  if (value === null || value === undefined) {
    throw new InputError(`${where}: column "${column}" is null; every row needs a vector (drop rows without one)`);
  }
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new InputError(`${where}: column "${column}" holds ${describe(value)}, expected a list of floats`);
  }
  const list = value as ArrayLike<unknown>;
  const out = new Float32Array(list.length);
  for (let k = 0; k < list.length; k++) {
    const v = list[k];
    if (typeof v !== 'number') {
      throw new InputError(
        `${where}: "${column}"[${k}] is ${v === null ? 'null' : typeof v}; vectors must hold finite numbers (no nulls)`,
      );
    }
    out[k] = v;
  }
  return out;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  return typeof value === 'object' ? 'a struct' : typeof value;
}
