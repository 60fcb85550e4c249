import { describe, expect, it } from 'vitest';
import {
  applySpectralFunction,
  eigenSymmetric,
  eigenvaluesSymmetric,
  sqrtPsd,
} from '../../src/linalg/eigenSymmetric.js';
import { createRng, type Rng } from '../../src/core/random.js';

/**
 * Q diag(λ) Qᵀ for a random orthogonal Q made of Householder reflections H = I − 2vvᵀ, each applied in O(n²):
 * HAH = A − 2v(Av)ᵀ − 2(Av)vᵀ + 4(vᵀAv)vvᵀ.
 */
function plantedSpectrum(lambda: number[], rng: Rng, reflections = 3): Float64Array {
  const n = lambda.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = lambda[i];
  for (let r = 0; r < reflections; r++) {
    const v = new Float64Array(n);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      v[i] = rng.normal();
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] /= norm;
    const av = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
      av[i] = s;
    }
    let vav = 0;
    for (let i = 0; i < n; i++) vav += v[i] * av[i];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i * n + j] += -2 * v[i] * av[j] - 2 * av[i] * v[j] + 4 * vav * v[i] * v[j];
    }
  }
  return a;
}

function maxResidual(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): number {
  let worst = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[k * n + j];
      worst = Math.max(worst, Math.abs(s - values[k] * vectors[k * n + i]));
    }
  }
  return worst;
}

function maxOrthonormalityError(vectors: Float64Array, n: number): number {
  let worst = 0;
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += vectors[p * n + j] * vectors[q * n + j];
      worst = Math.max(worst, Math.abs(s - (p === q ? 1 : 0)));
    }
  }
  return worst;
}

describe('eigenSymmetric', () => {
  it('solves a 3×3 matrix with a known spectrum (numpy.linalg.eigh golden values)', () => {
    // [[2,-1,0],[-1,2,-1],[0,-1,2]]: eigenvalues 2+√2, 2, 2−√2.
    const a = [2, -1, 0, -1, 2, -1, 0, -1, 2];
    const { values, vectors } = eigenSymmetric(a, 3);
    expect(values[0]).toBeCloseTo(2 + Math.SQRT2, 13);
    expect(values[1]).toBeCloseTo(2, 13);
    expect(values[2]).toBeCloseTo(2 - Math.SQRT2, 13);
    // Top eigenvector ∝ (1, −√2, 1)/2 up to sign.
    const sign = Math.sign(vectors[0]);
    expect(vectors[0] * sign).toBeCloseTo(0.5, 12);
    expect(vectors[1] * sign).toBeCloseTo(-Math.SQRT1_2, 12);
    expect(vectors[2] * sign).toBeCloseTo(0.5, 12);
  });

  it('recovers a planted spectrum with repeated and negative eigenvalues', () => {
    const n = 60;
    const rng = createRng(7);
    const lambda = Array.from({ length: n }, (_, i) => (i < 5 ? 3 : i < 10 ? -2 : Math.sin(i) * 10));
    const a = plantedSpectrum(lambda, rng);
    const { values, vectors } = eigenSymmetric(a, n);
    const expected = [...lambda].sort((x, y) => y - x);
    for (let i = 0; i < n; i++) expect(values[i]).toBeCloseTo(expected[i], 10);
    expect(maxResidual(a, n, values, vectors)).toBeLessThan(1e-10);
    expect(maxOrthonormalityError(vectors, n)).toBeLessThan(1e-12);
  });

  it('handles diagonal, zero and 1×1 matrices', () => {
    expect(Array.from(eigenSymmetric([5, 0, 0, 0, -1, 0, 0, 0, 3], 3).values)).toEqual([5, 3, -1]);
    const zero = eigenSymmetric(new Float64Array(16), 4);
    expect(Array.from(zero.values)).toEqual([0, 0, 0, 0]);
    expect(maxOrthonormalityError(zero.vectors, 4)).toBeLessThan(1e-15);
    const one = eigenSymmetric([4], 1);
    expect(one.values[0]).toBe(4);
    expect(Math.abs(one.vectors[0])).toBe(1);
  });

  // At d = 512 (0.8 s; d = 1024 took 7 s for the same O(n³) code path: Householder tridiagonalisation and
  // implicit QL, which have no size-dependent branch), with clusters of eigenvalues 1e-3 apart.
  it('is accurate at d = 512', () => {
    const n = 512;
    const rng = createRng(11);
    const lambda = Array.from({ length: n }, (_, i) => 100 / (1 + i) + (i % 7) * 1e-3);
    const a = plantedSpectrum(lambda, rng);
    const { values, vectors } = eigenSymmetric(a, n);
    const expected = [...lambda].sort((x, y) => y - x);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(values[i] - expected[i]));
    expect(worst).toBeLessThan(1e-10);
    // Spot-check residuals on a few eigenpairs (the full check is O(n³)).
    for (const k of [0, 1, 250, n - 1]) {
      let r = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[k * n + j];
        r = Math.max(r, Math.abs(s - values[k] * vectors[k * n + i]));
      }
      expect(r).toBeLessThan(1e-10);
    }
  });

  it('computes matrix functions: sqrtPsd(A)² = A', () => {
    const a = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2];
    const s = sqrtPsd(a, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let v = 0;
        for (let t = 0; t < 3; t++) v += s[i * 3 + t] * s[t * 3 + j];
        expect(v).toBeCloseTo(a[i * 3 + j], 12);
      }
    }
    const inverse = applySpectralFunction(eigenSymmetric(a, 3), (l) => 1 / l);
    // numpy.linalg.inv golden: first row of inv(a).
    expect(inverse[0]).toBeCloseTo(0.2799436355096288, 12);
    expect(inverse[1]).toBeCloseTo(-0.08924377642085486, 12);
  });

  it('rejects shapes that are not square', () => {
    expect(() => eigenSymmetric([1, 2, 3], 2)).toThrow(RangeError);
  });
});

describe('eigenvaluesSymmetric', () => {
  it('gives the same eigenvalues as the full decomposition', () => {
    for (const n of [1, 2, 5, 40, 200]) {
      const rng = createRng(n);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const v = rng.normal();
          a[i * n + j] = v;
          a[j * n + i] = v;
        }
      }
      const full = eigenSymmetric(a, n).values;
      const only = eigenvaluesSymmetric(a, n);
      for (let i = 0; i < n; i++) expect(only[i]).toBeCloseTo(full[i], 10);
    }
    const lambda = [9, 4, 4, 1, -3];
    const only = eigenvaluesSymmetric(plantedSpectrum(lambda, createRng(1)), 5);
    [9, 4, 4, 1, -3].forEach((v, i) => expect(only[i]).toBeCloseTo(v, 12));
  });
});
