/**
 * The k smallest ranking distances of each query row in one onnxruntime graph, so the M×N distance block never
 * leaves onnxruntime and the selection runs in C++ on its threads instead of a JavaScript scan:
 *   T = ‖b‖² − 2·A·Bᵀ   (Gemm, alpha −2, beta 1: the same node as linalg's sqdist-rank graph, so the same float32
 *                        values; per row of A it orders the rows of B as the squared distances do)
 *   V, I = TopK(T, k, axis 1, smallest first)   (values and their column indices, int64)
 * The caller adds each query's ‖a‖² (float64) to the values it keeps. Which of several equal values TopK returns
 * does not matter to callers that keep values: equal values are interchangeable (the leave-one-out caller uses the
 * indices only to drop the query's own column, which is exact under ties: see knnConformal.ts).
 */
import ort from 'onnxruntime-node';
import type { Matrix } from '../../core/matrix.js';
import { encodeModel, type GraphSpec } from '../../linalg/onnx/onnxGraph.js';
import { cachedSession } from '../../linalg/onnx/sessions.js';

/** The graph (exported for bench/scale.ts, which times it under other session options). */
export const NEAREST_GRAPH: GraphSpec = {
  name: 'nearest-topk',
  inputs: [
    { name: 'A', dims: ['M', 'D'] },
    { name: 'B', dims: ['N', 'D'] },
    { name: 'Bn', dims: [1, 'N'] },
    { name: 'K', dims: [1], type: 'int64' },
  ],
  outputs: [
    { name: 'V', dims: ['M', 'k'] },
    { name: 'I', dims: ['M', 'k'], type: 'int64' },
  ],
  nodes: [
    {
      opType: 'Gemm',
      inputs: ['A', 'B', 'Bn'],
      outputs: ['T'],
      attributes: { alpha: { float: -2 }, beta: { float: 1 }, transB: { int: 1 } },
    },
    {
      opType: 'TopK',
      inputs: ['T', 'K'],
      outputs: ['V', 'I'],
      attributes: { axis: { int: 1 }, largest: { int: 0 }, sorted: { int: 1 } },
    },
  ],
};

const sessions = new Map<'nearest-topk', Promise<ort.InferenceSession>>();

/** The k smallest values of ‖p‖² − 2 q·p over a fixed set of points, for blocks of query rows. */
export interface NearestSearch {
  /** Rows of `queries` from `start` to `end`: values (rows×k, ascending per row) and their point indices. */
  smallest(queries: Matrix, start: number, end: number): Promise<{ values: Float32Array; indices: BigInt64Array }>;
  /** k per row (≤ the number of points). */
  readonly k: number;
}

/** `points` rows from..to with their squared norms (float64, rounded to float32 as the Gemm's C input). */
export function nearestSearch(
  points: Matrix,
  from: number,
  to: number,
  norms: ArrayLike<number>,
  k: number,
): NearestSearch {
  const n = to - from;
  const d = points.cols;
  if (!(Number.isInteger(k) && k >= 1 && k <= n)) throw new RangeError(`nearestSearch: k = ${k} for ${n} points`);
  const b = new ort.Tensor('float32', points.data.subarray(from * d, to * d), [n, d]);
  const bn = new ort.Tensor('float32', Float32Array.from(norms), [1, n]);
  const kk = new ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]);
  return {
    k,
    async smallest(queries, start, end) {
      // Runs of ~8M entries take tens of ms: threads that sleep between them cost nothing measurable and, on
      // shared cores, save a quarter of the CPU (docs/BENCHMARKS.md, 100k section; bench/scale.ts measures it).
      const session = await cachedSession(sessions, 'nearest-topk', () => encodeModel(NEAREST_GRAPH), {
        spinning: false,
      });
      const a = new ort.Tensor('float32', queries.data.subarray(start * d, end * d), [end - start, d]);
      const out = await session.run({ A: a, B: b, Bn: bn, K: kk });
      return { values: out.V.data as Float32Array, indices: out.I.data as BigInt64Array };
    },
  };
}
