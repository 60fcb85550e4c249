import { describe, expect, it } from 'vitest';
import { createMatrix, concatRows } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { buildPooledMatrix } from '../../src/twosample/kernels/pooledMatrix.js';
import {
  createLabellingSampler,
  energyWeights,
  mmdWeights,
  quadraticPermutationTest,
} from '../../src/twosample/kernels/permutationEngine.js';
import { directEnergy, directMmd2, gaussianSample, pooledRows } from './fixtures.js';

describe('batched permutation engine', () => {
  const x = gaussianSample(23, 6, 1);
  const y = gaussianSample(31, 6, 2, 0.4);
  const n = x.rows + y.rows;
  const sigma = 2.5;
  const P = 60;

  /** The one-at-a-time computation: relabel, rebuild both samples, evaluate the statistic from its definition. */
  function oneAtATime(statistic: (a: typeof x, b: typeof y) => number, seed: number): Float64Array {
    const draw = createLabellingSampler(createRng(seed), n, x.rows);
    const out = new Float64Array(P);
    for (let p = 0; p < P; p++) {
      const chosen = draw();
      const inX = new Set(chosen);
      const rest = Array.from({ length: n }, (_, i) => i).filter((i) => !inX.has(i));
      out[p] = statistic(pooledRows(x, y, chosen), pooledRows(x, y, rest));
    }
    return out;
  }

  for (const batchFloats of [n * 7, 1 << 24]) {
    it(`MMD²: observed and every permuted statistic equal the direct computation (batch of ${Math.floor(batchFloats / n)})`, async () => {
      const kernel = await buildPooledMatrix(concatRows(x, y), { kind: 'gaussian', sigma });
      const outcome = await quadraticPermutationTest(kernel, x.rows, mmdWeights(x.rows, y.rows), {
        permutations: P,
        rng: createRng(9),
        batchFloats,
      });
      expect(outcome.batchSize).toBe(Math.min(P + 1, Math.floor(batchFloats / n)));
      expect(outcome.observed).toBeCloseTo(directMmd2(x, y, sigma), 6);
      const direct = oneAtATime((a, b) => directMmd2(a, b, sigma), 9);
      for (let p = 0; p < P; p++) expect(outcome.permuted[p]).toBeCloseTo(direct[p], 6);
      // The p-value formula, from the permuted statistics themselves.
      const atLeast = direct.filter((v) => v >= outcome.observed - 1e-9).length;
      expect(outcome.atLeast).toBe(atLeast);
      expect(outcome.pValue).toBe((1 + atLeast) / (1 + P));
    });
  }

  it('energy distance: same agreement on a distance matrix', async () => {
    const distances = await buildPooledMatrix(concatRows(x, y), { kind: 'distance' });
    const outcome = await quadraticPermutationTest(distances, x.rows, energyWeights(x.rows, y.rows), {
      permutations: P,
      rng: createRng(4),
      batchFloats: n * 16,
    });
    expect(outcome.observed).toBeCloseTo(directEnergy(x, y), 4);
    const direct = oneAtATime(directEnergy, 4);
    for (let p = 0; p < P; p++) expect(outcome.permuted[p]).toBeCloseTo(direct[p], 4);
    expect(outcome.observedMeans.across).toBeGreaterThan(outcome.observedMeans.withinX);
  });

  it('counts exact ties as exceedances despite float32 rounding (constant matrix: every statistic ties)', async () => {
    const m = createMatrix(10, 10);
    m.data.fill(0.37);
    const outcome = await quadraticPermutationTest(m, 4, mmdWeights(4, 6), { permutations: 99, rng: createRng(1) });
    expect(outcome.observed).toBeCloseTo(0, 12);
    expect(outcome.atLeast).toBe(99);
    expect(outcome.pValue).toBe(1);
  });

  it('draws uniform labellings: each row lands in X with probability n1/N', () => {
    const draw = createLabellingSampler(createRng(3), 10, 3);
    const hits = new Float64Array(10);
    const draws = 6000;
    for (let t = 0; t < draws; t++) for (const i of draw()) hits[i]++;
    for (const h of hits) expect(Math.abs(h / draws - 0.3)).toBeLessThan(0.025);
  });

  it('rejects a non-square matrix, a group of one, and zero permutations', async () => {
    await expect(
      quadraticPermutationTest(createMatrix(4, 5), 2, mmdWeights(2, 2), { permutations: 5, rng: createRng(1) }),
    ).rejects.toThrow(RangeError);
    await expect(
      quadraticPermutationTest(createMatrix(4, 4), 1, mmdWeights(1, 3), { permutations: 5, rng: createRng(1) }),
    ).rejects.toThrow(RangeError);
    await expect(
      quadraticPermutationTest(createMatrix(4, 4), 2, mmdWeights(2, 2), { permutations: 0, rng: createRng(1) }),
    ).rejects.toThrow(RangeError);
  });
});
