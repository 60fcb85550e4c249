/**
 * Eigendecomposition of a real symmetric matrix in float64: Householder reduction to tridiagonal form followed by
 * the implicit QL algorithm (EISPACK tred2/tql2, as in JAMA). O(n³); about a second at n = 512.
 *
 * The eigenvector matrix is kept transposed (one eigenvector per row) while it is built so every inner loop walks
 * memory contiguously; that is what makes n = 1024 practical in JavaScript.
 */

export interface SymmetricEigen {
  /** Matrix order. */
  n: number;
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Row-major n×n: row i is the unit eigenvector of values[i]. */
  vectors: Float64Array;
}

const EPSILON = 2 ** -52;
const MAX_SWEEPS_PER_VALUE = 60;

/** Throws unless `a` holds a finite n×n matrix; `what` names the caller in the message. */
function checkSquareFinite(a: ArrayLike<number>, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || a.length !== n * n) {
    throw new RangeError(`${what} needs an n×n matrix, got ${a.length} values for n = ${n}`);
  }
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new RangeError(`${what}: matrix entry ${i} is not finite`);
  }
}

/**
 * Eigenvalues (descending) and orthonormal eigenvectors of the symmetric n×n row-major matrix `a`.
 * Only symmetry is assumed; the lower triangle is what the reduction reads. `a` is not modified.
 */
export function eigenSymmetric(a: ArrayLike<number>, n: number): SymmetricEigen {
  checkSquareFinite(a, n, 'eigenSymmetric');
  // w holds Vᵀ: w[c * n + r] is V[r][c]. For a symmetric input Vᵀ = V, so a plain copy starts it.
  const w = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { n, values: d, vectors: w };
  tridiagonalize(w, d, e, n, true);
  implicitQl(w, d, e, n, true);
  return sortDescending(w, d, n);
}

/**
 * Eigenvalues only (descending): the same reduction without accumulating the transformations, about four times
 * less work than eigenSymmetric.
 */
export function eigenvaluesSymmetric(a: ArrayLike<number>, n: number): Float64Array {
  checkSquareFinite(a, n, 'eigenvaluesSymmetric');
  const w = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return d;
  tridiagonalize(w, d, e, n, false);
  implicitQl(w, d, e, n, false);
  return d.sort().reverse();
}

/** V diag(f(λ)) Vᵀ for a symmetric matrix: a matrix function such as the square root (row-major n×n). */
export function applySpectralFunction(eigen: SymmetricEigen, f: (lambda: number) => number): Float64Array {
  const { n, values, vectors } = eigen;
  const out = new Float64Array(n * n);
  const scaled = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const fk = f(values[k]);
    if (fk === 0) continue;
    const vk = k * n;
    for (let j = 0; j < n; j++) scaled[j] = fk * vectors[vk + j];
    for (let i = 0; i < n; i++) {
      const vi = vectors[vk + i];
      if (vi === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) out[row + j] += vi * scaled[j];
    }
  }
  return out;
}

/** Principal square root of a symmetric positive semi-definite matrix (tiny negative eigenvalues from rounding → 0). */
export function sqrtPsd(a: ArrayLike<number>, n: number): Float64Array {
  return applySpectralFunction(eigenSymmetric(a, n), (lambda) => Math.sqrt(Math.max(lambda, 0)));
}

function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/** Householder reduction (tred2) on w = Vᵀ; leaves the diagonal in d, the sub-diagonal in e, the transform in w. */
function tridiagonalize(w: Float64Array, d: Float64Array, e: Float64Array, n: number, wantVectors: boolean): void {
  // V[r][c] = w[c*n + r]
  for (let j = 0; j < n; j++) d[j] = w[j * n + (n - 1)];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + (i - 1)];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        w[i * n + j] = f; // V[j][i] = f
        const col = j * n; // column j of V = row j of w
        g = e[j] + w[col + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = w[col + k];
          g += vkj * d[k];
          e[k] += vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const col = j * n;
        for (let k = j; k <= i - 1; k++) w[col + k] -= f * e[k] + g * d[k];
        d[j] = w[col + (i - 1)];
        w[col + i] = 0;
      }
    }
    d[i] = h;
  }
  if (!wantVectors) {
    // The reduced diagonal sits on w's diagonal (the accumulation below would only move it into d).
    for (let j = 0; j < n; j++) d[j] = w[j * n + j];
    e[0] = 0;
    return;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    w[i * n + (n - 1)] = w[i * n + i];
    w[i * n + i] = 1;
    const h = d[i + 1];
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[next + k] / h;
      for (let j = 0; j <= i; j++) {
        const col = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[next + k] * w[col + k];
        for (let k = 0; k <= i; k++) w[col + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) w[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + (n - 1)];
    w[j * n + (n - 1)] = 0;
  }
  w[(n - 1) * n + (n - 1)] = 1;
  e[0] = 0;
}

/** Implicit QL with Wilkinson-style shifts (tql2) on the tridiagonal (d, e); rotations applied to rows of w. */
function implicitQl(w: Float64Array, d: Float64Array, e: Float64Array, n: number, wantVectors: boolean): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= EPSILON * tst1) break;
      m++;
    }
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > MAX_SWEEPS_PER_VALUE) {
          throw new Error(`eigenSymmetric: QL iteration did not converge for eigenvalue ${l} of ${n}`);
        }
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (!wantVectors) continue;
          const rowI = i * n;
          const rowNext = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const vNext = w[rowNext + k];
            const vI = w[rowI + k];
            w[rowNext + k] = s * vI + c * vNext;
            w[rowI + k] = c * vI - s * vNext;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPSILON * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

function sortDescending(w: Float64Array, d: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = d[from];
    vectors.set(w.subarray(from * n, (from + 1) * n), to * n);
  });
  return { n, values, vectors };
}
