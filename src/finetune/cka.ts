/**
 * Linear centred kernel alignment (Kornblith et al., ICML 2019) between two representations of the same rows:
 *   CKA(X, Y) = ‖Yᶜᵀ Xᶜ‖²_F / (‖Xᶜᵀ Xᶜ‖_F ‖Yᶜᵀ Yᶜ‖_F),  Xᶜ, Yᶜ column-centred.
 * 1 when Y is an orthogonal transform and isotropic scaling of X (up to translation); invariant to those, not
 * to arbitrary linear maps. Computed in float64 through the d×d cross products (cheap for n ≫ d).
 */
import type { Matrix } from '../core/matrix.js';

export function linearCka(x: Matrix, y: Matrix): number {
  if (x.rows !== y.rows) throw new RangeError(`CKA needs the same rows: ${x.rows} vs ${y.rows}`);
  const xc = centred(x);
  const yc = centred(y);
  const xy = crossNormSquared(xc, x.cols, yc, y.cols, x.rows);
  const xx = Math.sqrt(crossNormSquared(xc, x.cols, xc, x.cols, x.rows));
  const yy = Math.sqrt(crossNormSquared(yc, y.cols, yc, y.cols, x.rows));
  if (xx === 0 || yy === 0) return 0;
  return xy / (xx * yy);
}

function centred(m: Matrix): Float64Array {
  const out = Float64Array.from(m.data);
  for (let j = 0; j < m.cols; j++) {
    let mean = 0;
    for (let i = 0; i < m.rows; i++) mean += out[i * m.cols + j];
    mean /= Math.max(1, m.rows);
    for (let i = 0; i < m.rows; i++) out[i * m.cols + j] -= mean;
  }
  return out;
}

/** ‖Aᵀ B‖²_F for row-major A (n × p) and B (n × q). */
function crossNormSquared(a: Float64Array, p: number, b: Float64Array, q: number, n: number): number {
  const c = new Float64Array(p * q);
  for (let i = 0; i < n; i++) {
    for (let u = 0; u < p; u++) {
      const au = a[i * p + u];
      if (au === 0) continue;
      const row = u * q;
      for (let v = 0; v < q; v++) c[row + v] += au * b[i * q + v];
    }
  }
  let s = 0;
  for (let i = 0; i < c.length; i++) s += c[i] * c[i];
  return s;
}
