/**
 * Float64 matrix products on onnxruntime's Gemm (MLAS DGEMM, multi-threaded): Y = A·B with A (m×k) and B (k×n)
 * row-major Float64Arrays. For sums that must match float64 JS loops to rounding (permutation statistics whose
 * p-values count ties), where float32 Gemm would move values by ~1e-7 of their size.
 */
import ort from 'onnxruntime-node';
import { encodeModel } from './onnx/onnxGraph.js';
import { ORT_THREADS } from './onnx/sessions.js';

let session: Promise<ort.InferenceSession> | null = null;

function gemm64Session(): Promise<ort.InferenceSession> {
  if (!session) {
    const created = ort.InferenceSession.create(
      encodeModel({
        name: 'gemm64',
        inputs: [
          { name: 'A', dims: ['M', 'K'], type: 'float64' },
          { name: 'B', dims: ['K', 'N'], type: 'float64' },
        ],
        outputs: [{ name: 'Y', dims: ['M', 'N'], type: 'float64' }],
        nodes: [{ opType: 'Gemm', inputs: ['A', 'B'], outputs: ['Y'] }],
      }),
      {
        intraOpNumThreads: ORT_THREADS,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      },
    );
    // A failed creation must not poison later calls.
    created.catch(() => {
      session = null;
    });
    session = created;
  }
  return session;
}

/** A (m×k) · B (k×n), float64; returns m×n row-major values owned by the caller. */
export async function matmul64(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Promise<Float64Array> {
  if (a.length !== m * k || b.length !== k * n) {
    throw new RangeError(`matmul64: ${a.length} and ${b.length} values for ${m}×${k} · ${k}×${n}`);
  }
  if (m === 0 || n === 0) return new Float64Array(m * n);
  if (k === 0) return new Float64Array(m * n);
  const s = await gemm64Session();
  const out = await s.run({ A: new ort.Tensor('float64', a, [m, k]), B: new ort.Tensor('float64', b, [k, n]) });
  return out.Y.data as Float64Array;
}
