/**
 * One side of a comparison given in memory — texts (embedded with the model) or vectors (precomputed
 * embeddings: a Matrix, number[][] or Float32Array[]) — checked by zod with the row and column of any bad value,
 * and turned into the same Dataset the file readers build (src/ingest: TextCollector / VectorCollector), so the
 * pipeline cannot tell an in-memory side from a file.
 */
import { z } from 'zod';
import type { Matrix } from '../core/matrix.js';
import type { Dataset } from '../ingest/dataset.js';
import { TextCollector } from '../ingest/collector.js';
import { VectorCollector } from '../ingest/vectorCollector.js';
import { describe } from './validate.js';

/** Texts, or vectors with one dimension throughout. */
export type SideInput = readonly string[] | Matrix | readonly (readonly number[])[] | readonly ArrayLike<number>[];
/** One value per row (labels, ids, groups); null or '' = missing. */
export type RowValues = readonly (string | number | null)[];

export type CheckedSide =
  | { kind: 'texts'; rows: number; texts: readonly string[] }
  | { kind: 'vectors'; rows: number; dim: number; row: (i: number) => ArrayLike<number> };

interface Problem {
  message: string;
  path: (string | number)[];
}

const SIDE_SHAPES = 'texts (string[]) or vectors (number[][], Float32Array[] or a Matrix)';
/** The largest finite float32: embeddings are stored as float32, so larger values would become Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A side's texts or vectors, checked; the output says which it is. */
export const sideInputSchema = z.unknown().transform((value, ctx): CheckedSide => {
  const checked = checkSide(value);
  if ('message' in checked) {
    ctx.addIssue({ code: 'custom', message: checked.message, path: checked.path, input: value });
    return z.NEVER;
  }
  return checked;
});

/** Labels, ids or groups: one string or number (or null when missing) per row, as strings ('' = missing). */
export const rowValuesSchema = z.unknown().transform((value, ctx): string[] => {
  if (!Array.isArray(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `must be an array with one string or number per row, got ${describe(value)}`,
      input: value,
    });
    return z.NEVER;
  }
  const out = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (v === null || v === undefined) out[i] = '';
    else if (typeof v === 'string') out[i] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[i] = String(v);
    else {
      ctx.addIssue({
        code: 'custom',
        message: `must be a string, a finite number or null, got ${describe(v)}`,
        path: [i],
        input: v,
      });
      return z.NEVER;
    }
  }
  return out;
});

function checkSide(value: unknown): CheckedSide | Problem {
  if (value === undefined) return { message: `is required: give ${SIDE_SHAPES}`, path: [] };
  if (isMatrixLike(value)) return checkMatrix(value);
  if (typeof value === 'string') {
    return {
      message: `must be ${SIDE_SHAPES}, got ${describe(value)}: for a file or corpus, read it with loadDataset() or use runCompare()`,
      path: [],
    };
  }
  if (!Array.isArray(value)) return { message: `must be ${SIDE_SHAPES}, got ${describe(value)}`, path: [] };
  if (value.length === 0) return { message: 'is empty: give at least 2 texts or vectors', path: [] };
  const first: unknown = value[0];
  if (typeof first === 'string') {
    for (let i = 1; i < value.length; i++) {
      if (typeof value[i] !== 'string') {
        return {
          message: `must be a string like every entry of a list of texts, got ${describe(value[i])}`,
          path: [i],
        };
      }
    }
    return { kind: 'texts', rows: value.length, texts: value as string[] };
  }
  if (!isNumberRow(first)) {
    return {
      message: `must be a text (string) or a vector (number[] or Float32Array), got ${describe(first)}`,
      path: [0],
    };
  }
  return checkRows(value);
}

function checkRows(rows: unknown[]): CheckedSide | Problem {
  const dim = (rows[0] as ArrayLike<number>).length;
  if (dim === 0) return { message: 'is an empty vector', path: [0] };
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!isNumberRow(row)) {
      return {
        message: `must be a vector (number[] or Float32Array) like the first one, got ${describe(row)}`,
        path: [i],
      };
    }
    if (row.length !== dim) {
      return {
        message: `has ${row.length} values but the first vector has ${dim}: every vector must have the same dimension`,
        path: [i],
      };
    }
    const typed = ArrayBuffer.isView(row);
    for (let k = 0; k < dim; k++) {
      const x: unknown = row[k];
      if (!typed && typeof x !== 'number') return { message: `must be a number, got ${describe(x)}`, path: [i, k] };
      const bad = nonFinite(x as number);
      if (bad) return { message: `${bad}: fix or drop row ${i}`, path: [i, k] };
    }
  }
  return { kind: 'vectors', rows: rows.length, dim, row: (i) => rows[i] as ArrayLike<number> };
}

function checkMatrix(m: { rows: unknown; cols: unknown; data: unknown }): CheckedSide | Problem {
  if (!(m.data instanceof Float32Array)) {
    return { message: `must be a Float32Array (a Matrix's row-major values), got ${describe(m.data)}`, path: ['data'] };
  }
  const rows = m.rows as number;
  const cols = m.cols as number;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 0 || cols < 1) {
    return { message: `is not a valid Matrix shape: rows ${rows}, cols ${cols}`, path: [] };
  }
  if (m.data.length !== rows * cols) {
    return { message: `has ${m.data.length} values but rows × cols = ${rows * cols}`, path: ['data'] };
  }
  const data = m.data;
  for (let j = 0; j < data.length; j++) {
    const bad = nonFinite(data[j]);
    if (bad)
      return { message: `row ${Math.floor(j / cols)}, column ${j % cols} ${bad}: fix or drop that row`, path: [] };
  }
  return { kind: 'vectors', rows, dim: cols, row: (i) => data.subarray(i * cols, (i + 1) * cols) };
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'is NaN; vectors must hold finite numbers';
  if (!Number.isFinite(x)) return `is ${x}; vectors must hold finite numbers`;
  if (Math.abs(x) > FLOAT32_MAX) return `is ${x}, beyond float32's range (embeddings are float32)`;
  return null;
}

function isMatrixLike(value: unknown): value is { rows: unknown; cols: unknown; data: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'data' in value &&
    'rows' in value &&
    'cols' in value
  );
}

function isNumberRow(value: unknown): value is ArrayLike<unknown> {
  if (Array.isArray(value)) return true;
  return (
    ArrayBuffer.isView(value) &&
    !(value instanceof DataView) &&
    !(value instanceof BigInt64Array) &&
    !(value instanceof BigUint64Array)
  );
}

export interface SideExtras {
  labels?: string[];
  ids?: string[];
  groups?: string[];
}

/**
 * The Dataset a file reader would build from these rows: empty texts dropped and counted, duplicates counted,
 * maxRows by the same seeded reservoir, at least 2 samples. Origins read "reference[17]" (the index the caller
 * gave); `source` names the side in result.json and the report.
 */
export function sideDataset(
  side: 'reference' | 'target',
  input: CheckedSide,
  extras: SideExtras,
  options: { maxRows?: number; seed: number },
): Dataset {
  const source = `${side} (in memory)`;
  const collectorOptions = {
    maxRows: options.maxRows,
    seed: options.seed,
    idColumn: extras.ids ? 'ids' : undefined,
    groupColumn: extras.groups ? 'groups' : undefined,
  };
  const label = (i: number) => (extras.labels ? extras.labels[i] : null);
  const id = (i: number) => (extras.ids ? extras.ids[i] : null);
  const group = (i: number) => (extras.groups ? extras.groups[i] : null);
  const origin = (i: number) => `${side}[${i}]`;
  if (input.kind === 'texts') {
    const collector = new TextCollector(extras.labels !== undefined, collectorOptions);
    for (let i = 0; i < input.rows; i++) collector.add(input.texts[i], label(i), i, id(i), group(i));
    return collector.finish(source, origin);
  }
  const collector = new VectorCollector(extras.labels !== undefined, collectorOptions);
  for (let i = 0; i < input.rows; i++) {
    const row = input.row(i);
    // The collector keeps the vector it is given: a copy, so the caller's arrays are never aliased.
    collector.add(Float32Array.from(row), label(i), i, origin(i), id(i), group(i));
  }
  return collector.finish(source, origin);
}
