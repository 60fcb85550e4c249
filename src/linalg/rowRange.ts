import { createMatrix, type Matrix } from '../core/matrix.js';

/** Rows [start, end) of m as a matrix that shares m's memory (no copy): the unit of every blockwise loop. */
export function rowRange(m: Matrix, start: number, end: number): Matrix {
  if (start < 0 || end > m.rows || start > end) throw new RangeError(`rows [${start}, ${end}) outside 0..${m.rows}`);
  return createMatrix(end - start, m.cols, m.data.subarray(start * m.cols, end * m.cols));
}

/** Rows [start, start + count) of m minus `mean` (per column), as a new float32 matrix: one chunk of a blockwise loop over centred data. */
export function centredRowRange(m: Matrix, mean: ArrayLike<number>, start: number, count: number): Matrix {
  const d = m.cols;
  const out = createMatrix(count, d);
  for (let i = 0; i < count; i++) {
    const src = (start + i) * d;
    for (let j = 0; j < d; j++) out.data[i * d + j] = m.data[src + j] - mean[j];
  }
  return out;
}
