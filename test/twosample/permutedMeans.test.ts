import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { subsetMoments, weightedColumnSums } from '../../src/twosample/kernels/permutedMeans.js';

describe('weighted column sums by float64 Gemm (permutations and bootstrap replicates)', () => {
  it('equal the row loop for 0/1 and multiplicity weights, across Gemm blocks, with fills in order', async () => {
    const n = 2500;
    const width = 7;
    const rng = createRng(3);
    const z = Float64Array.from({ length: n * width }, () => rng.normal() * 1e3);
    const count = 600; // more than one block of 256
    const weights: Float64Array[] = [];
    const filled: number[] = [];
    const draw = createRng(9);
    const got: Float64Array[] = [];
    await weightedColumnSums(
      z,
      n,
      width,
      count,
      (p, w) => {
        filled.push(p);
        for (let i = 0; i < n; i++) w[i] = p % 2 === 0 ? (draw.next() < 0.5 ? 1 : 0) : draw.int(3);
        weights[p] = Float64Array.from(w);
      },
      (p, sums) => {
        got[p] = Float64Array.from(sums);
      },
    );
    expect(filled).toEqual(Array.from({ length: count }, (_, p) => p));
    for (const p of [0, 1, 255, 256, 599]) {
      for (let j = 0; j < width; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += weights[p][i] * z[i * width + j];
        expect(got[p][j]).toBeCloseTo(s, 8);
        expect(Math.abs(got[p][j] - s)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(s)) * 1e3);
      }
    }
  });

  it('subset moments: row sum and the upper triangle of Σ z zᵀ of the chosen rows', async () => {
    const n = 300;
    const k = 4;
    const rng = createRng(1);
    const z = Float64Array.from({ length: n * k }, () => rng.normal());
    const chosen = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === 0);
    await subsetMoments(
      z,
      n,
      k,
      1,
      (_p, w) => {
        for (const i of chosen) w[i] = 1;
      },
      (_p, sum, second) => {
        for (let a = 0; a < k; a++) {
          expect(sum[a]).toBeCloseTo(
            chosen.reduce((s, i) => s + z[i * k + a], 0),
            10,
          );
          for (let b = 0; b < k; b++) {
            const expected = b >= a ? chosen.reduce((s, i) => s + z[i * k + a] * z[i * k + b], 0) : 0;
            expect(second[a * k + b]).toBeCloseTo(expected, 10);
          }
        }
      },
    );
  });
});
