import { describe, expect, it } from 'vitest';
import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { matmul } from '../../src/linalg/gemm.js';
import { gaussianKernel, gramMatrix, squaredDistances, squaredNorms } from '../../src/linalg/distances.js';
import { rowRange } from '../../src/linalg/rowRange.js';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = createMatrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

/** The reference: a plain triple loop in float64 on explicit (i, j, p) indexing. */
function tripleLoop(a: Matrix, b: Matrix, tA: boolean, tB: boolean): Float64Array {
  const m = tA ? a.cols : a.rows;
  const k = tA ? a.rows : a.cols;
  const n = tB ? b.rows : b.cols;
  const at = (i: number, p: number) => (tA ? a.data[p * a.cols + i] : a.data[i * a.cols + p]);
  const bt = (p: number, j: number) => (tB ? b.data[j * b.cols + p] : b.data[p * b.cols + j]);
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += at(i, p) * bt(p, j);
      c[i * n + j] = s;
    }
  return c;
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(x.length).toBe(y.length);
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i] - y[i]));
  return e;
}

describe('matmul', () => {
  const shapes = [
    { m: 3, n: 4, k: 5 },
    { m: 1, n: 7, k: 2 },
    { m: 37, n: 29, k: 61 },
    { m: 130, n: 70, k: 257 },
  ];
  for (const { m, n, k } of shapes) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      for (const backend of ['onnx', 'js'] as const) {
        it(`${m}x${k}·${k}x${n} transposeA=${tA} transposeB=${tB} on ${backend} equals the triple loop`, async () => {
          const a = tA ? randomMatrix(k, m, m * 7 + k) : randomMatrix(m, k, m * 7 + k);
          const b = tB ? randomMatrix(n, k, n * 13 + k) : randomMatrix(k, n, n * 13 + k);
          const c = await matmul(a, b, { transposeA: tA, transposeB: tB, backend });
          expect([c.rows, c.cols]).toEqual([m, n]);
          // float32 accumulation of k products of N(0,1) values: error grows like sqrt(k)·eps·|terms|.
          expect(maxAbsDiff(c.data, tripleLoop(a, b, tA, tB))).toBeLessThan(1e-5 * k);
        });
      }
    }
  }

  it('picks a backend by size and gives the same answer either way', async () => {
    const a = randomMatrix(300, 50, 1);
    const b = randomMatrix(50, 200, 2);
    const auto = await matmul(a, b);
    expect(maxAbsDiff(auto.data, tripleLoop(a, b, false, false))).toBeLessThan(1e-3);
  });

  it('reads row-range views (subarrays with an offset) without copying them first', async () => {
    const big = randomMatrix(100, 40, 3);
    const block = rowRange(big, 30, 90);
    expect(block.data.buffer).toBe(big.data.buffer);
    const b = randomMatrix(40, 33, 4);
    const c = await matmul(block, b, { backend: 'onnx' });
    expect(maxAbsDiff(c.data, tripleLoop(block, b, false, false))).toBeLessThan(1e-3);
  });

  it('rejects mismatched inner dimensions and handles empty products', async () => {
    await expect(matmul(randomMatrix(3, 4, 1), randomMatrix(5, 2, 2))).rejects.toThrow(/inner dimensions/);
    const empty = await matmul(createMatrix(0, 4), randomMatrix(4, 3, 1));
    expect([empty.rows, empty.cols]).toEqual([0, 3]);
    const zeroK = await matmul(createMatrix(2, 0), createMatrix(0, 3));
    expect(Array.from(zeroK.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('pairwise distances', () => {
  function direct(a: Matrix, b: Matrix): Float64Array {
    const out = new Float64Array(a.rows * b.rows);
    for (let i = 0; i < a.rows; i++)
      for (let j = 0; j < b.rows; j++) {
        let s = 0;
        for (let k = 0; k < a.cols; k++) s += (a.data[i * a.cols + k] - b.data[j * a.cols + k]) ** 2;
        out[i * b.rows + j] = s;
      }
    return out;
  }

  for (const backend of ['onnx', 'js'] as const) {
    it(`squaredDistances and gaussianKernel on ${backend} equal direct differences`, async () => {
      const a = randomMatrix(57, 24, 5);
      const b = randomMatrix(41, 24, 6);
      const want = direct(a, b);
      const d2 = await squaredDistances(a, b, { backend });
      expect([d2.rows, d2.cols]).toEqual([57, 41]);
      expect(maxAbsDiff(d2.data, want)).toBeLessThan(2e-4 * 48);
      const sigma = 3;
      const k = await gaussianKernel(a, b, sigma, { backend });
      expect(
        maxAbsDiff(
          k.data,
          Array.from(want, (v) => Math.exp(-v / (2 * sigma * sigma))),
        ),
      ).toBeLessThan(1e-5);
    });
  }

  it('is never negative for identical rows far from the origin (the expansion cancels)', async () => {
    const a = createMatrix(40, 16);
    for (let i = 0; i < a.data.length; i++) a.data[i] = 1000 + (i % 16) * 0.1;
    const d2 = await squaredDistances(a, a, { backend: 'onnx' });
    expect(Math.min(...d2.data)).toBeGreaterThanOrEqual(0);
    const k = await gaussianKernel(a, a, 1, { backend: 'onnx' });
    expect(Math.max(...k.data)).toBeLessThanOrEqual(1);
  });

  it('gramMatrix is A·Bᵀ and accepts precomputed norms', async () => {
    const a = randomMatrix(30, 9, 7);
    const b = randomMatrix(20, 9, 8);
    const g = await gramMatrix(a, b);
    const bt = createMatrix(9, 20);
    for (let i = 0; i < 20; i++) for (let k = 0; k < 9; k++) bt.data[k * 20 + i] = b.data[i * 9 + k];
    expect(maxAbsDiff(g.data, tripleLoop(a, bt, false, false))).toBeLessThan(1e-4);
    const d2 = await squaredDistances(a, b, { aNorms: squaredNorms(a), bNorms: squaredNorms(b), backend: 'onnx' });
    expect(maxAbsDiff(d2.data, direct(a, b))).toBeLessThan(1e-3);
  });
});
