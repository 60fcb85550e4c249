/**
 * Plain-JS float32 matrix product for products too small for an onnxruntime call to pay off (a session run costs
 * tens of microseconds). Loops are ordered so the innermost one walks contiguous memory for every transpose
 * combination; the output row is accumulated in place (float32, as BLAS does).
 */
export function jsGemm(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  transposeA: boolean,
  transposeB: boolean,
): Float32Array {
  const c = new Float32Array(m * n);
  if (transposeB) {
    // C[i,j] = Σ_p A(i,p)·B[j,p]: rows of B are contiguous; A(i,·) is gathered once per row when transposed.
    const rowA = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      if (transposeA) for (let p = 0; p < k; p++) rowA[p] = a[p * m + i];
      else for (let p = 0; p < k; p++) rowA[p] = a[i * k + p];
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += rowA[p] * b[bj + p];
        c[ci + j] = s;
      }
    }
    return c;
  }
  // C[i,·] += A(i,p)·B[p,·]: axpy over contiguous rows of B and C, in blocks of p so B's rows stay in cache.
  const BLOCK = 64;
  for (let p0 = 0; p0 < k; p0 += BLOCK) {
    const p1 = Math.min(k, p0 + BLOCK);
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = p0; p < p1; p++) {
        const aip = transposeA ? a[p * m + i] : a[i * k + p];
        if (aip === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      }
    }
  }
  return c;
}
