/**
 * Dense float32 matrix products: C = op(A)·op(B), op = optional transpose. Large products run on onnxruntime's
 * Gemm (MLAS, vectorised and multi-threaded) through a graph built in code (src/linalg/onnx/); products below
 * JS_MAX_WORK multiply-adds run in plain JS, where a session call would cost more than the arithmetic.
 */
import { createMatrix, type Matrix } from '../core/matrix.js';
import { jsGemm } from './jsGemm.js';
import { gemmKind } from './onnx/graphs.js';
import { runGraph } from './onnx/sessions.js';

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  /** Force a backend (tests and benchmarks); default: by size. */
  backend?: 'onnx' | 'js';
}

/**
 * Multiply-adds (m·n·k) up to which the JS loop wins. Measured on 2 cores: a session run costs ~10 µs, the JS loop
 * does ~1 GFLOP/s, and MLAS pulls ahead from square products of about 20³ (16³: JS 7.5 µs vs 10 µs; 24³: 25 vs 11).
 */
export const JS_MAX_WORK = 20 * 20 * 20;

export async function matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Promise<Matrix> {
  const tA = options.transposeA ?? false;
  const tB = options.transposeB ?? false;
  const m = tA ? a.cols : a.rows;
  const k = tA ? a.rows : a.cols;
  const kb = tB ? b.cols : b.rows;
  const n = tB ? b.rows : b.cols;
  if (k !== kb) {
    throw new RangeError(`matmul: inner dimensions differ (${shape(a, tA)} · ${shape(b, tB)})`);
  }
  if (m === 0 || n === 0 || k === 0) return createMatrix(m, n);
  const backend = options.backend ?? (m * n * k <= JS_MAX_WORK ? 'js' : 'onnx');
  if (backend === 'js') return createMatrix(m, n, jsGemm(a.data, b.data, m, n, k, tA, tB));
  const y = await runGraph(gemmKind(tA, tB), {
    A: { data: a.data, dims: [a.rows, a.cols] },
    B: { data: b.data, dims: [b.rows, b.cols] },
  });
  return createMatrix(m, n, y);
}

function shape(m: Matrix, transposed: boolean): string {
  return transposed ? `${m.rows}x${m.cols}ᵀ` : `${m.rows}x${m.cols}`;
}
