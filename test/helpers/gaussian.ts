import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import type { Rng } from '../../src/core/random.js';

/** n × d standard normal rows, the first `shiftedDims` coordinates moved by `shift`. */
export function gaussian(n: number, d: number, rng: Rng, shift = 0, shiftedDims = d): Matrix {
  const m = createMatrix(n, d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) m.data[i * d + j] = rng.normal() + (j < shiftedDims ? shift : 0);
  return m;
}
