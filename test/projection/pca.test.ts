import { describe, expect, it } from 'vitest';
import { fitPca, fitPcaSync, projectRows } from '../../src/analysis/pca.js';
import { centroidDistances } from '../../src/analysis/centroid.js';
import { createMatrix, fromRows, type Matrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';

/** Deterministic data Python rebuilds exactly (float32 storage), for numpy.linalg.svd golden values. */
function formulaData(n: number, d: number): Matrix {
  const m = createMatrix(n, d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      m.data[i * d + j] =
        Math.sin(0.7 * i * (j + 1) + j) * (1 + 2 * (j === 0 ? 1 : 0)) + 0.3 * Math.cos(1.3 * i + j * j);
    }
  }
  return m;
}

function expectArrayClose(actual: ArrayLike<number>, expected: number[], digits: number): void {
  expect(actual.length).toBeGreaterThanOrEqual(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

describe('fitPca', () => {
  it('matches numpy SVD on the covariance path (n > d)', async () => {
    const x = formulaData(50, 6);
    const model = await fitPca(x, 3);
    expect(model.nComponents).toBe(3);
    expectArrayClose(model.explainedVariance, [4.519738744500983, 0.8301522365855937, 0.7392256081251286], 10);
    expectArrayClose(model.explainedVarianceRatio, [0.6152883172254261, 0.11301161451226058, 0.10063344502525454], 10);
    expectArrayClose(
      model.components.subarray(0, 6),
      [
        0.99983503449432, -0.008939941208447155, -0.008021530446148334, -0.0073363300643750394, -0.00484368826625629,
        0.010409286402014899,
      ],
      9,
    );
    const projected = await model.project(x);
    expect(projected.rows).toBe(50);
    expect(projected.cols).toBe(3);
    expectArrayClose(
      projected.data.subarray(0, 3),
      [0.10729313774272699, 0.0058570361145943994, 1.1215866993188306],
      5,
    );
  });

  it('matches numpy SVD on the Gram path (n ≤ d)', async () => {
    const x = formulaData(5, 8);
    const model = await fitPca(x, 6);
    // Only n − 1 = 4 directions carry variance; the rest are filled with orthonormal axes of zero variance.
    expect(model.nComponents).toBe(6);
    expectArrayClose(
      model.explainedVariance,
      [2.5468558253825324, 1.6806157058714108, 1.0786666320352145, 0.5703794085293001, 0, 0],
      9,
    );
    expectArrayClose(
      model.explainedVarianceRatio,
      [0.4333954241192579, 0.285988374123308, 0.1835554167672516, 0.0970607849901824],
      9,
    );
    expectArrayClose(
      model.components.subarray(0, 8),
      [
        0.5118276030942948, -0.47410941155709524, 0.21723092165690752, -0.19597976042553755, 0.5104946062108943,
        -0.16584249235257797, 0.2139793157331219, -0.3062022337632884,
      ],
      8,
    );
    const projected = await model.project(x);
    expectArrayClose(
      projected.data.subarray(0, 4),
      [-1.7461361378204028, -1.3792936518101138, 0.8724071273120496, 0.30701621348823904],
      5,
    );
    // All 6 axes orthonormal.
    for (let p = 0; p < 6; p++) {
      for (let q = 0; q < 6; q++) {
        let dot = 0;
        for (let j = 0; j < 8; j++) dot += model.components[p * 8 + j] * model.components[q * 8 + j];
        expect(dot).toBeCloseTo(p === q ? 1 : 0, 10);
      }
    }
  });

  it('recovers planted axes and variances, with projections of the planted variance', async () => {
    // Axis-aligned Gaussian rotated by 45° in the (0, 1) plane: variances 9, 4, 1.
    const rng = createRng(3);
    const n = 20_000;
    const x = createMatrix(n, 3);
    for (let i = 0; i < n; i++) {
      const a = 3 * rng.normal();
      const b = 2 * rng.normal();
      const c = rng.normal();
      x.data[i * 3] = (a - b) * Math.SQRT1_2 + 5;
      x.data[i * 3 + 1] = (a + b) * Math.SQRT1_2 - 1;
      x.data[i * 3 + 2] = c;
    }
    const model = await fitPca(x, 3);
    expect(model.explainedVariance[0]).toBeCloseTo(9, 0);
    expect(model.explainedVariance[1]).toBeCloseTo(4, 0);
    expect(model.explainedVariance[2]).toBeCloseTo(1, 1);
    expect(model.totalVariance).toBeCloseTo(14, 0);
    expect(model.mean[0]).toBeCloseTo(5, 1);
    // Sign convention: largest-magnitude loading positive; first axis ≈ (1, 1, 0)/√2.
    expect(Math.abs(model.components[0] - Math.SQRT1_2)).toBeLessThan(0.02);
    expect(Math.abs(model.components[1] - Math.SQRT1_2)).toBeLessThan(0.02);
    const projected = await model.project(x);
    let mean = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) mean += projected.data[i * 3];
    mean /= n;
    for (let i = 0; i < n; i++) ss += (projected.data[i * 3] - mean) ** 2;
    expect(mean).toBeCloseTo(0, 4);
    expect(ss / (n - 1)).toBeCloseTo(model.explainedVariance[0], 4);
  });

  it('is deterministic in sign: negating the data flips projections, not axes', async () => {
    const x = formulaData(40, 5);
    const neg = createMatrix(
      40,
      5,
      x.data.map((v) => -v),
    );
    const a = await fitPca(x, 2);
    const b = await fitPca(neg, 2);
    for (let j = 0; j < 10; j++) expect(b.components[j]).toBeCloseTo(a.components[j], 10);
  });

  it('handles zero-variance data and caps k at d', async () => {
    const constant = fromRows([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    const model = await fitPca(constant, 10);
    expect(model.nComponents).toBe(3);
    expect(Array.from(model.explainedVarianceRatio)).toEqual([0, 0, 0]);
    expect(model.totalVariance).toBe(0);
    const p = await model.project(constant);
    for (const v of p.data) expect(v).toBe(0);
    await expect(fitPca(constant, 0)).rejects.toThrow(RangeError);
  });
});

describe('fitPca through Gemm (large inputs)', () => {
  function lowRankPlusNoise(n: number, d: number, seed: number): Matrix {
    const rng = createRng(seed);
    const basis = Float64Array.from({ length: 4 * d }, () => rng.normal());
    const m = createMatrix(n, d);
    for (let i = 0; i < n; i++) {
      const z = [3 * rng.normal(), 2 * rng.normal(), 1.5 * rng.normal(), rng.normal()];
      for (let j = 0; j < d; j++) {
        let v = 0.3 * rng.normal() + 1;
        for (let r = 0; r < 4; r++) v += z[r] * basis[r * d + j];
        m.data[i * d + j] = v;
      }
    }
    return m;
  }

  const agree = (fast: Awaited<ReturnType<typeof fitPca>>, slow: ReturnType<typeof fitPcaSync>, k: number) => {
    for (let c = 0; c < k; c++) {
      expect(fast.explainedVariance[c] / slow.explainedVariance[c]).toBeCloseTo(1, 4);
      let dot = 0;
      for (let j = 0; j < fast.dim; j++) dot += fast.components[c * fast.dim + j] * slow.components[c * slow.dim + j];
      expect(dot).toBeCloseTo(1, 4); // same axis, same sign
    }
    expect(fast.totalVariance / slow.totalVariance).toBeCloseTo(1, 5);
  };

  it('covariance path: matches the float64 JS fit; Gemm projection matches the JS projection', async () => {
    const x = lowRankPlusNoise(20_000, 64, 1);
    const fast = await fitPca(x, 4);
    agree(fast, fitPcaSync(x, 4), 4);
    const projected = await fast.project(x); // 20000·64·4 ≥ 1e7: Gemm
    const reference = projectRows(fast, x);
    let worst = 0;
    for (let i = 0; i < projected.data.length; i++)
      worst = Math.max(worst, Math.abs(projected.data[i] - reference.data[i]));
    expect(worst).toBeLessThan(1e-3);
  });

  it('Gram path (n ≤ d): matches the float64 JS fit', async () => {
    const x = lowRankPlusNoise(300, 400, 2);
    agree(await fitPca(x, 4), fitPcaSync(x, 4), 4);
  });
});

describe('fitPca on near-duplicate rows', () => {
  it('keeps explained-variance ratios in [0, 1] with a sum ≤ 1 when the float32 scatter overshoots the trace', async () => {
    // Two points repeated 1000 times each with 1e-5 noise: all variance on one axis; through float32 Gemm the first
    // eigenvalue came out 2e-7 above the float64 trace before the fix (result.json then failed its schema).
    const n = 2000;
    const d = 100;
    const rng = createRng(5);
    const a = Array.from({ length: d }, () => rng.next() - 0.5);
    const b = Array.from({ length: d }, () => rng.next() - 0.5);
    const m = createMatrix(n, d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) m.data[i * d + j] = (i < n / 2 ? a[j] : b[j]) * 3 + 1e-5 * (rng.next() - 0.5);
    const pca = await fitPca(m, 5);
    const ratios = Array.from(pca.explainedVarianceRatio);
    for (const r of ratios) {
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThanOrEqual(1);
    }
    expect(ratios.reduce((s, r) => s + r, 0)).toBeLessThanOrEqual(1);
    expect(ratios[0]).toBeGreaterThan(0.999);
  });
});

describe('centroidDistances', () => {
  it('computes cosine and Euclidean distances of the means', () => {
    const a = fromRows([
      [1, 0],
      [3, 0],
    ]); // mean (2, 0)
    const b = fromRows([
      [0, 1],
      [0, 3],
    ]); // mean (0, 2)
    const r = centroidDistances(a, b);
    expect(r.cosineDistance).toBeCloseTo(1, 12);
    expect(r.euclideanDistance).toBeCloseTo(Math.sqrt(8), 12);
    const c = fromRows([[1, 1]]);
    const d = fromRows([
      [2, 0],
      [2, 4],
    ]); // mean (2, 2): same direction
    expect(centroidDistances(c, d).cosineDistance).toBeCloseTo(0, 12);
    expect(centroidDistances(c, d).euclideanDistance).toBeCloseTo(Math.SQRT2, 12);
  });
  it('defines the zero-centroid cases instead of NaN', () => {
    const zero = fromRows([
      [1, -1],
      [-1, 1],
    ]);
    expect(centroidDistances(zero, zero).cosineDistance).toBe(0);
    expect(centroidDistances(zero, fromRows([[1, 0]])).cosineDistance).toBe(1);
  });
});
