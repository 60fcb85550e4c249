/**
 * Dense row-major float32 matrices: the one shape every embedding, projection and kernel block takes.
 * Heavy arithmetic lives in src/linalg; this module only creates, slices and joins.
 */
import type { Rng } from './random.js';
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values, length rows * cols. */
  readonly data: Float32Array;
}

export function createMatrix(rows: number, cols: number, data?: Float32Array): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`invalid matrix shape ${rows}x${cols}`);
  }
  const values = data ?? new Float32Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new RangeError(`matrix data has ${values.length} values, expected ${rows}x${cols}=${rows * cols}`);
  }
  return { rows, cols, data: values };
}

/** A view (no copy) of row i. */
export function rowView(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

export function fromRows(rows: ArrayLike<number>[], cols?: number): Matrix {
  const width = cols ?? (rows.length > 0 ? rows[0].length : 0);
  const out = createMatrix(rows.length, width);
  rows.forEach((r, i) => {
    if (r.length !== width) throw new RangeError(`row ${i} has ${r.length} values, expected ${width}`);
    out.data.set(r, i * width);
  });
  return out;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(rowView(m, i)));
  return out;
}

/** Copy the given rows (in order) into a new matrix. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = createMatrix(indices.length, m.cols);
  for (let k = 0; k < indices.length; k++) out.data.set(rowView(m, indices[k]), k * m.cols);
  return out;
}

/** Stack a on top of b. */
export function concatRows(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.cols) throw new RangeError(`cannot stack ${a.cols}-d and ${b.cols}-d rows`);
  const out = createMatrix(a.rows + b.rows, a.cols);
  out.data.set(a.data, 0);
  out.data.set(b.data, a.data.length);
  return out;
}

/** First index of a non-finite value, or -1. */
export function firstNonFinite(m: Matrix): number {
  const d = m.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return i;
  return -1;
}

/** Column c as float64 (a copy). */
export function columnOf(m: Matrix, c: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + c];
  return out;
}

/** At most `max` rows of m: a seeded random subset kept in original order, or m itself when it is small enough. */
export function sampleRows(m: Matrix, max: number, rng: Rng): Matrix {
  return m.rows > max ? selectRows(m, rng.sample(m.rows, max).sort()) : m;
}
