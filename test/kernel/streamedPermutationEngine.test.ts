import { describe, expect, it } from 'vitest';
import { concatRows, type Matrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { medianHeuristic } from '../../src/twosample/kernels/bandwidth.js';
import { buildPooledMatrix } from '../../src/twosample/kernels/pooledMatrix.js';
import {
  energyWeights,
  mmdWeights,
  quadraticPermutationTest,
  type PermutationOutcome,
} from '../../src/twosample/kernels/permutationEngine.js';
import {
  BLOCK_BUFFERS,
  planStreamedBlocks,
  streamedQuadraticTest,
} from '../../src/twosample/kernels/streamedPermutationEngine.js';
import { createPermutationDesign, referenceRowsOf } from '../../src/twosample/permutationDesign.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';
import { directEnergy, directMmd2, gaussianSample, pooledRows } from './fixtures.js';

/** Every statistic within `rel` of the in-memory engine's scale (its tie tolerance is 1e-7 of it), same p-value. */
function expectSameTest(streamed: PermutationOutcome, memory: PermutationOutcome, rel = 2e-6): void {
  const tol = (memory.tieTolerance / 1e-7) * rel;
  expect(Math.abs(streamed.observed - memory.observed)).toBeLessThan(tol);
  expect(streamed.permuted.length).toBe(memory.permuted.length);
  let worst = 0;
  for (let p = 0; p < memory.permuted.length; p++)
    worst = Math.max(worst, Math.abs(streamed.permuted[p] - memory.permuted[p]));
  expect(worst).toBeLessThan(tol);
  expect(streamed.atLeast).toBe(memory.atLeast);
  expect(streamed.pValue).toBe(memory.pValue);
  expect(Math.abs(streamed.tieTolerance / memory.tieTolerance - 1)).toBeLessThan(1e-5);
  for (const key of ['withinX', 'withinY', 'across'] as const)
    expect(streamed.observedMeans[key]).toBeCloseTo(memory.observedMeans[key], 5);
}

describe('streamed permutation engine (no N×N matrix)', () => {
  // More pooled rows than the centring estimate's 256 sample rows, so the estimate is a real subsample.
  const x = gaussianSample(170, 12, 11);
  const y = gaussianSample(140, 12, 12, 0.35);
  const pooled = concatRows(x, y);
  const n = pooled.rows;
  const sigma = 3.5;
  const P = 199;

  for (const blockRows of [1, 37, 256, n]) {
    it(`MMD²: same statistics and p-value as the in-memory engine (blocks of ${blockRows} rows)`, async () => {
      const memory = await quadraticPermutationTest(
        await buildPooledMatrix(pooled, { kind: 'gaussian', sigma }),
        x.rows,
        mmdWeights(x.rows, y.rows),
        { permutations: P, rng: createRng(21) },
      );
      const streamed = await streamedQuadraticTest(
        pooled,
        x.rows,
        { kind: 'gaussian', sigma },
        mmdWeights(x.rows, y.rows),
        { permutations: P, rng: createRng(21), blockRows },
      );
      expect(streamed.plan.blockRows).toBe(blockRows);
      expectSameTest(streamed, memory);
      expect(streamed.observed).toBeCloseTo(directMmd2(x, y, sigma), 6);
    });
  }

  it('energy distance: same statistics and p-value, several passes over the matrix when the budget is small', async () => {
    const memory = await quadraticPermutationTest(
      await buildPooledMatrix(pooled, { kind: 'distance' }),
      x.rows,
      energyWeights(x.rows, y.rows),
      { permutations: P, rng: createRng(5) },
    );
    // Room for ~24 labellings per pass: 9 passes, each recomputing the distances.
    const memoryBytes = 2 * 4 * n * 25;
    const fractions: number[] = [];
    const streamed = await streamedQuadraticTest(pooled, x.rows, { kind: 'distance' }, energyWeights(x.rows, y.rows), {
      permutations: P,
      rng: createRng(5),
      memoryBytes,
      onProgress: (f) => fractions.push(f),
    });
    expect(streamed.plan.labellingsPerPass).toBe(24);
    expect(streamed.plan.passes).toBe(Math.ceil((P + 1) / 24));
    expect(streamed.plan.bytes).toBeLessThanOrEqual(memoryBytes);
    expectSameTest(streamed, memory);
    expect(streamed.observed).toBeCloseTo(directEnergy(x, y), 4);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThan(fractions[i - 1]);
  });

  it('a shared grouped design: every labelling equals the in-memory engine and the direct MMD² at its own sizes', async () => {
    const a = gaussianSample(31, 5, 3);
    const b = gaussianSample(26, 5, 4, 0.5);
    const ids = (count: number, per: number) => Array.from({ length: count }, (_, i) => Math.floor(i / per));
    const design = createPermutationDesign(31, 26, 60, createRng(6), { reference: ids(31, 3), target: ids(26, 4) });
    const options = { permutations: 60, rng: createRng(8), design, weightsFor: mmdWeights };
    const both = concatRows(a, b);
    const memory = await quadraticPermutationTest(
      await buildPooledMatrix(both, { kind: 'gaussian', sigma: 2 }),
      31,
      mmdWeights(31, 26),
      options,
    );
    const streamed = await streamedQuadraticTest(both, 31, { kind: 'gaussian', sigma: 2 }, mmdWeights(31, 26), {
      ...options,
      rng: createRng(8),
      blockRows: 10,
    });
    expectSameTest(streamed, memory);
    const sizes = new Set<number>();
    for (let p = 1; p <= 60; p++) {
      const inX = referenceRowsOf(design, p);
      sizes.add(inX.length);
      const set = new Set(inX);
      const rest = Array.from({ length: 57 }, (_, i) => i).filter((i) => !set.has(i));
      expect(streamed.permuted[p - 1]).toBeCloseTo(directMmd2(pooledRows(a, b, inX), pooledRows(a, b, rest), 2), 5);
    }
    expect(sizes.size).toBeGreaterThan(2);
  });

  it('real embeddings (SpamAssassin easy-ham-1 vs hard-ham-1, wordvec): same MMD² null and p-value', async () => {
    const ham = await loadRealEmbeddings('easy-ham-1');
    const hard = await loadRealEmbeddings('hard-ham-1');
    const take = (m: Matrix, rows: number, from: number): Matrix => ({
      rows,
      cols: m.cols,
      data: m.data.slice(from * m.cols, (from + rows) * m.cols),
    });
    const ref = take(ham, 120, 0);
    const tgt = take(hard, 100, 0);
    const both = concatRows(ref, tgt);
    const { sigma: s } = await medianHeuristic(both, createRng(1));
    const memory = await quadraticPermutationTest(
      await buildPooledMatrix(both, { kind: 'gaussian', sigma: s }),
      120,
      mmdWeights(120, 100),
      { permutations: 99, rng: createRng(2) },
    );
    const streamed = await streamedQuadraticTest(both, 120, { kind: 'gaussian', sigma: s }, mmdWeights(120, 100), {
      permutations: 99,
      rng: createRng(2),
      blockRows: 64,
    });
    expectSameTest(streamed, memory);
  });

  it('refuses what the in-memory engine refuses', async () => {
    const run = (n1: number, permutations: number) =>
      streamedQuadraticTest(pooled, n1, { kind: 'distance' }, energyWeights(n1, n - n1), {
        permutations,
        rng: createRng(1),
      });
    await expect(run(1, 10)).rejects.toThrow(/≥ 2 rows per group/);
    await expect(run(10, 0)).rejects.toThrow(/permutations must be an integer/);
    const design = createPermutationDesign(10, 5, 5, createRng(1));
    await expect(
      streamedQuadraticTest(pooled, x.rows, { kind: 'distance' }, energyWeights(x.rows, y.rows), {
        permutations: 5,
        rng: createRng(1),
        design,
      }),
    ).rejects.toThrow(/design is for 10 \+ 5 rows/);
  });
});

describe('streamed memory plan', () => {
  it('25,000 vs 25,000 with 1001 labellings in the default 1 GiB: one pass, ~1000-row blocks, within the budget', () => {
    const budget = 1024 ** 3;
    const plan = planStreamedBlocks(50_000, 1001, budget);
    expect(plan.passes).toBe(1);
    expect(plan.labellingsPerPass).toBe(1001);
    expect(plan.bytes).toBeLessThanOrEqual(budget);
    expect(plan.blockRows).toBeGreaterThan(900);
    // The block is as large as the budget allows: one more row would not fit.
    const columns = plan.labellingsPerPass + 1;
    expect(4 * (50_000 * columns + (plan.blockRows + 1) * (BLOCK_BUFFERS * 50_000 + 2 * columns))).toBeGreaterThan(
      budget,
    );
  });

  it('splits the labellings into passes when their indicators exceed half the budget, and never exceeds it', () => {
    for (const [n, labellings, budget] of [
      [200_000, 10_001, 2 * 1024 ** 3],
      [50_000, 1001, 128 * 1024 ** 2],
      [1000, 50, 1024 ** 3],
      [30_000, 5001, 256 * 1024 ** 2],
    ]) {
      const plan = planStreamedBlocks(n, labellings, budget);
      expect(plan.bytes).toBeLessThanOrEqual(budget);
      expect(4 * n * (plan.labellingsPerPass + 1)).toBeLessThanOrEqual(budget / 2);
      expect(plan.passes).toBe(Math.ceil(labellings / plan.labellingsPerPass));
      expect(plan.blockRows).toBeGreaterThanOrEqual(1);
      expect(plan.blockRows).toBeLessThanOrEqual(n);
    }
    // Small N: one pass, blocks of 512 rows (at least 512, else about N/8 so the upper triangle saves work).
    expect(planStreamedBlocks(1000, 50, 1024 ** 3)).toMatchObject({ passes: 1, blockRows: 512 });
    expect(planStreamedBlocks(300, 50, 1024 ** 3)).toMatchObject({ passes: 1, blockRows: 300 });
    expect(planStreamedBlocks(40_000, 50, 8 * 1024 ** 3).blockRows).toBe(5000);
    expect(planStreamedBlocks(200_000, 10_001, 2 * 1024 ** 3).passes).toBe(8);
    expect(() => planStreamedBlocks(0, 10, 1e9)).toThrow(RangeError);
    expect(() => planStreamedBlocks(10, 10, 0)).toThrow(RangeError);
  });
});
