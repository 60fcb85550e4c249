import { createMatrix, type Matrix } from '../core/matrix.js';

/** Rows [start, end) of m as a matrix that shares m's memory (no copy): the unit of every blockwise loop. */
export function rowRange(m: Matrix, start: number, end: number): Matrix {
  if (start < 0 || end > m.rows || start > end) throw new RangeError(`rows [${start}, ${end}) outside 0..${m.rows}`);
  return createMatrix(end - start, m.cols, m.data.subarray(start * m.cols, end * m.cols));
}
