/** In-place L2 normalisation of each row; all-zero rows stay zero (there is no direction to keep). */
import type { Matrix } from '../core/matrix.js';

export function l2NormalizeRows(m: Matrix): void {
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) {
    const start = i * cols;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += data[start + j] * data[start + j];
    if (sum === 0) continue;
    const inv = 1 / Math.sqrt(sum);
    for (let j = 0; j < cols; j++) data[start + j] *= inv;
  }
}
