import { describe, expect, it } from 'vitest';
import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { InputError } from '../../src/core/errors.js';
import { fitPca } from '../../src/analysis/pca.js';
import { ksPcaDetector } from '../../src/twosample/ksPca.js';
import { frechetDetector, frechetDistanceGaussians } from '../../src/twosample/frechet.js';
import { centroidDetector } from '../../src/twosample/centroidDistance.js';
import { ksTwoSample } from '../../src/twosample/pvalues/ks.js';

/** n rows of independent normals with per-dimension means and standard deviations. */
function gaussian(rng: Rng, n: number, means: number[], sds: number[]): Matrix {
  const d = means.length;
  const m = createMatrix(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m.data[i * d + j] = means[j] + sds[j] * rng.normal();
  return m;
}

const input = (reference: Matrix, target: Matrix, seed = 1) => ({
  reference,
  target,
  rng: createRng(seed),
  progress: silentProgress,
});

describe('ks-pca detector', () => {
  const col = (m: Matrix, c: number) => Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + c]);

  it.each(['pooled', 'reference'] as const)(
    'tests each PC (fit on %s) with KS and Bonferroni-combines them',
    async (fitOn) => {
      const rng = createRng(1);
      const ref = gaussian(rng, 80, [0, 0, 0, 0], [3, 2, 1, 0.5]);
      const tgt = gaussian(rng, 60, [0, 0, 0.8, 0], [3, 2, 1, 0.5]);
      const r = await ksPcaDetector.run(input(ref, tgt), { fitOn, correction: 'bonferroni' });
      expect(r.name).toBe('ks-pca');
      expect(r.details.components).toBe(4);
      expect(r.details.fitOn).toBe(fitOn);
      // Independent recomputation: PCA on the same rows, KS per column.
      const pooled = createMatrix(140, 4);
      pooled.data.set(ref.data, 0);
      pooled.data.set(tgt.data, ref.data.length);
      const pca = await fitPca(fitOn === 'pooled' ? pooled : ref, 4);
      const pr = await pca.project(ref);
      const pt = await pca.project(tgt);
      const per = [0, 1, 2, 3].map((c) => ksTwoSample(col(pr, c), col(pt, c)));
      const perComponent = r.details.perComponent as { statistic: number; pValue: number }[];
      per.forEach((k, c) => {
        expect(perComponent[c].statistic).toBeCloseTo(k.statistic, 12);
        expect(perComponent[c].pValue).toBeCloseTo(k.pValue, 12);
      });
      expect(r.pValue).toBeCloseTo(Math.min(1, 4 * Math.min(...per.map((k) => k.pValue))), 12);
      expect(r.statistic).toBeCloseTo(Math.max(...per.map((k) => k.statistic)), 12);
      expect(r.pValue).toBeLessThan(0.01); // the third axis is shifted by 0.8 sd
      const bh = await ksPcaDetector.run(input(ref, tgt), { correction: 'bh', fitOn });
      expect(bh.pValue as number).toBeLessThanOrEqual(r.pValue as number);
    },
  );

  it('uses k = min(32, d, n_fit − 1) and gives p = 1 for identical samples', async () => {
    const rng = createRng(2);
    const ref = gaussian(rng, 20, Array(40).fill(0), Array(40).fill(1));
    const r = await ksPcaDetector.run(input(ref, ref));
    expect(r.details.components).toBe(32); // pooled fit: 40 rows, 40 dimensions
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
    const onReference = await ksPcaDetector.run(input(ref, ref), { fitOn: 'reference' });
    expect(onReference.details.components).toBe(19);
    expect(onReference.pValue).toBe(1);
  });

  it('rejects bad input with an InputError', async () => {
    const one = createMatrix(1, 3);
    await expect(ksPcaDetector.run(input(one, createMatrix(5, 3)))).rejects.toThrow(InputError);
    await expect(ksPcaDetector.run(input(createMatrix(5, 3), createMatrix(5, 4)))).rejects.toThrow(/dimensions/);
    const nan = createMatrix(3, 2, Float32Array.from([1, 2, 3, Number.NaN, 5, 6]));
    await expect(ksPcaDetector.run(input(nan, createMatrix(3, 2)))).rejects.toThrow(/row 1/);
  });
});

describe('Fréchet distance', () => {
  it('matches the closed form for diagonal Gaussians', () => {
    // FD = ‖μ₁ − μ₂‖² + Σ (√a − √b)²
    const a = [4, 1, 0.25];
    const b = [1, 1, 1];
    const diag = (v: number[]) => {
      const m = new Float64Array(9);
      v.forEach((x, i) => (m[i * 3 + i] = x));
      return m;
    };
    const r = frechetDistanceGaussians([1, 0, 0], diag(a), [0, 2, 0], diag(b), 3);
    expect(r.meanTerm).toBeCloseTo(5, 12);
    expect(r.covarianceTerm).toBeCloseTo((2 - 1) ** 2 + 0 + (0.5 - 1) ** 2, 12);
    expect(r.distance).toBeCloseTo(6.25, 12);
    // A singular first covariance takes the eigendecomposition path: (2−1)² + (0−1)² + (0.5−1)².
    const singular = frechetDistanceGaussians([0, 0, 0], diag([4, 0, 0.25]), [0, 0, 0], diag(b), 3);
    expect(singular.distance).toBeCloseTo(2.25, 12);
    const singularSecond = frechetDistanceGaussians([0, 0, 0], diag(b), [0, 0, 0], diag([4, 0, 0.25]), 3);
    expect(singularSecond.distance).toBeCloseTo(2.25, 12);
  });

  it('matches scipy.linalg.sqrtm for full covariances', () => {
    const A = [2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 0.5];
    const B = [1, -0.4, 0, -0.4, 3, 0.6, 0, 0.6, 0.8];
    const r = frechetDistanceGaussians([1, -2, 0.5], A, [0, 1, 1.5], B, 3);
    expect(r.distance).toBeCloseTo(12.1274195485435, 10);
    expect(r.covarianceTerm).toBeCloseTo(1.1274195485434995, 10);
    // Symmetric in its arguments.
    expect(frechetDistanceGaussians([0, 1, 1.5], B, [1, -2, 0.5], A, 3).distance).toBeCloseTo(12.1274195485435, 10);
  });

  it('estimates the closed form from samples of diagonal Gaussians (all dimensions kept)', async () => {
    const rng = createRng(3);
    const ref = gaussian(rng, 4000, [0, 0, 0], [2, 1, 0.5]);
    const tgt = gaussian(rng, 4000, [0.5, 0, 0], [1, 1, 1]);
    const r = await frechetDetector.run(input(ref, tgt), { permutations: 50, bootstrap: 50 });
    expect(r.details.components).toBe(3);
    // 0.25 + (2−1)² + 0 + (0.5−1)² = 1.5
    expect(r.statistic).toBeCloseTo(1.5, 1);
    expect(r.pValue).toBeCloseTo(1 / 51, 12);
    expect(r.interval!.lower).toBeLessThan(r.statistic);
    expect(r.interval!.upper).toBeGreaterThan(r.statistic);
    expect(r.interval!.lower).toBeGreaterThan(1.3);
    expect(r.interval!.upper).toBeLessThan(1.7);
  });

  it('gives FD 0, p = 1 and effect 0 for identical samples; uses ⌊n/4⌋ PCs for small n', async () => {
    const rng = createRng(4);
    const ref = gaussian(rng, 40, Array(50).fill(0), Array(50).fill(1));
    const r = await frechetDetector.run(input(ref, ref), { permutations: 30, bootstrap: 0 });
    expect(r.details.components).toBe(10);
    expect(r.statistic).toBeCloseTo(0, 6);
    expect(r.effectSize).toBeCloseTo(0, 6);
    expect(r.pValue).toBe(1);
    expect(r.interval).toBeUndefined();
  });

  it('is reproducible for a seed', async () => {
    const rng = createRng(5);
    const ref = gaussian(rng, 50, [0, 0], [1, 1]);
    const tgt = gaussian(rng, 50, [0.3, 0], [1, 1]);
    const a = await frechetDetector.run(input(ref, tgt, 9), { permutations: 99, bootstrap: 20 });
    const b = await frechetDetector.run(input(ref, tgt, 9), { permutations: 99, bootstrap: 20 });
    expect(a.pValue).toBe(b.pValue);
    expect(a.interval).toEqual(b.interval);
  });
});

describe('centroid detector', () => {
  it('reports the centroid distance, a scale-free effect and a permutation p-value', async () => {
    const rng = createRng(6);
    const ref = gaussian(rng, 100, [0, 0], [1, 1]);
    const tgt = gaussian(rng, 150, [0.6, 0], [1, 1]);
    const r = await centroidDetector.run(input(ref, tgt), { permutations: 999 });
    // Direct computation.
    const mean = (m: Matrix, j: number) => {
      let s = 0;
      for (let i = 0; i < m.rows; i++) s += m.data[i * 2 + j];
      return s / m.rows;
    };
    const dist = Math.hypot(mean(ref, 0) - mean(tgt, 0), mean(ref, 1) - mean(tgt, 1));
    expect(r.statistic).toBeCloseTo(dist, 10);
    expect(r.pValue).toBeCloseTo(1 / 1000, 12);
    // Scaling the data leaves effect and p-value unchanged.
    const scale = (m: Matrix) =>
      createMatrix(
        m.rows,
        m.cols,
        m.data.map((v) => v * 1000),
      );
    const scaled = await centroidDetector.run(input(scale(ref), scale(tgt)), { permutations: 999 });
    expect(scaled.effectSize).toBeCloseTo(r.effectSize, 5);
    expect(scaled.pValue).toBe(r.pValue);
  });

  it('gives effect 2 for two equal-size point masses and p = 1 for identical samples', async () => {
    const a = createMatrix(5, 2, new Float32Array(10).fill(0));
    const b = createMatrix(5, 2, new Float32Array(10).fill(3));
    const apart = await centroidDetector.run(input(a, b), { permutations: 200 });
    expect(apart.effectSize).toBeCloseTo(2, 10);
    expect(apart.statistic).toBeCloseTo(3 * Math.SQRT2, 6);
    const same = await centroidDetector.run(input(a, a), { permutations: 200 });
    expect(same.pValue).toBe(1);
    expect(same.effectSize).toBe(0);
  });
});

describe('degenerate input never yields NaN or Infinity', () => {
  const constant = (rows: number, cols: number, value: number) =>
    createMatrix(rows, cols, new Float32Array(rows * cols).fill(value));
  const finiteEverywhere = (value: unknown): boolean => {
    if (typeof value === 'number') return Number.isFinite(value);
    if (Array.isArray(value)) return value.every(finiteEverywhere);
    if (value && typeof value === 'object') return Object.values(value).every(finiteEverywhere);
    return true;
  };
  const cases: [string, Matrix, Matrix][] = [
    ['identical constants', constant(6, 3, 1), constant(6, 3, 1)],
    ['different constants', constant(6, 3, 1), constant(4, 3, 2)],
    ['one constant side', constant(6, 3, 0), gaussian(createRng(7), 6, [0, 0, 0], [1, 1, 1])],
    ['two rows per side', gaussian(createRng(8), 2, [0, 0], [1, 1]), gaussian(createRng(9), 2, [0, 0], [1, 1])],
  ];
  it.each(cases)('%s', async (_, a, b) => {
    const results = [
      await ksPcaDetector.run(input(a, b)),
      await frechetDetector.run(input(a, b), { permutations: 20, bootstrap: 20 }),
      await centroidDetector.run(input(a, b), { permutations: 20 }),
    ];
    for (const r of results) {
      expect(finiteEverywhere(r), r.name).toBe(true);
      expect(r.pValue! > 0 && r.pValue! <= 1, r.name).toBe(true);
    }
    if (_ === 'identical constants') for (const r of results) expect(r.pValue, r.name).toBe(1);
    if (_ === 'different constants') {
      expect(results[0].statistic).toBe(1);
      expect(results[1].statistic).toBeCloseTo(3, 5); // ‖(1,1,1) − (2,2,2)‖², no covariance term
      expect(results[2].statistic).toBeCloseTo(Math.sqrt(3), 5);
    }
  });
});
