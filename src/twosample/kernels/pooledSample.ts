/**
 * The pooled sample of a two-sample test: reference rows then target rows, centred on the pooled mean (computed in
 * float64). Distances are translation-invariant, and centring keeps ‖x‖² small relative to ‖x − y‖², so the
 * float32 expansion ‖x‖² + ‖y‖² − 2x·y loses less to cancellation.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';

export function centredPooled(reference: Matrix, target: Matrix): Matrix {
  const d = reference.cols;
  const n = reference.rows + target.rows;
  const mean = new Float64Array(d);
  for (const m of [reference, target]) {
    for (let i = 0; i < m.rows; i++) {
      const off = i * d;
      for (let j = 0; j < d; j++) mean[j] += m.data[off + j];
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const out = createMatrix(n, d);
  let row = 0;
  for (const m of [reference, target]) {
    for (let i = 0; i < m.rows; i++, row++) {
      const src = i * d;
      const dst = row * d;
      for (let j = 0; j < d; j++) out.data[dst + j] = m.data[src + j] - mean[j];
    }
  }
  return out;
}
