/**
 * One onnxruntime graph per row block of the streamed exact tests (streamedPermutationEngine.ts): the block's
 * rows of the pooled kernel (or distance) matrix, centred by a constant, and their product with the labelling
 * indicators, in one session run, so the kernel block is computed once and multiplied while it is hot:
 *   D² = max(‖a‖² + ‖b‖² − 2·A·Bᵀ, 0)                         (b×N; norms passed in, float64-summed by the caller)
 *   K  = exp(−γ·D²)  (gaussian)   or   √D²  (distance)
 *   C  = K − shift                                             (b×N, returned: the caller reads its diagonal)
 *   Y  = C·W                                                   (b×L, W: N×L indicator columns)
 * C is returned because the caller removes the diagonal's contribution from Y exactly (Y − C_ii·W_i·), with the
 * very values the product used.
 */
import * as ort from 'onnxruntime-node';
import { encodeModel, type GraphSpec } from '../../linalg/onnx/onnxGraph.js';
import { cachedSession } from '../../linalg/onnx/sessions.js';

export type StreamedEntry = { kind: 'gaussian'; sigma: number } | { kind: 'distance' };

function spec(kind: StreamedEntry['kind']): GraphSpec {
  const inputs = [
    { name: 'A', dims: ['M', 'D'] },
    { name: 'B', dims: ['N', 'D'] },
    { name: 'An', dims: ['M', 1] },
    { name: 'Bn', dims: [1, 'N'] },
    { name: 'Shift', dims: [1] },
    { name: 'W', dims: ['N', 'L'] },
  ];
  const nodes: GraphSpec['nodes'] = [
    {
      opType: 'Gemm',
      inputs: ['A', 'B', 'An'],
      outputs: ['T'],
      attributes: { alpha: { float: -2 }, beta: { float: 1 }, transB: { int: 1 } },
    },
    { opType: 'Add', inputs: ['T', 'Bn'], outputs: ['S'] },
    { opType: 'Relu', inputs: ['S'], outputs: ['D2'] },
  ];
  if (kind === 'gaussian') {
    inputs.push({ name: 'NegGamma', dims: [1] });
    nodes.push({ opType: 'Mul', inputs: ['D2', 'NegGamma'], outputs: ['E'] });
    nodes.push({ opType: 'Exp', inputs: ['E'], outputs: ['K'] });
  } else {
    nodes.push({ opType: 'Sqrt', inputs: ['D2'], outputs: ['K'] });
  }
  nodes.push({ opType: 'Sub', inputs: ['K', 'Shift'], outputs: ['C'] });
  nodes.push({ opType: 'Gemm', inputs: ['C', 'W'], outputs: ['Y'] });
  return {
    name: `streamed-${kind}`,
    inputs,
    outputs: [
      { name: 'C', dims: ['M', 'N'] },
      { name: 'Y', dims: ['M', 'L'] },
    ],
    nodes,
  };
}

const sessions = new Map<StreamedEntry['kind'], Promise<ort.InferenceSession>>();

function sessionFor(kind: StreamedEntry['kind']): Promise<ort.InferenceSession> {
  return cachedSession(sessions, kind, () => encodeModel(spec(kind)));
}

export interface KernelBlockInput {
  /** The block's rows (b×d, row-major) and their squared norms. */
  rows: Float32Array;
  rowNorms: Float32Array;
  /** All pooled rows (N×d) and their squared norms. */
  pooled: Float32Array;
  pooledNorms: Float32Array;
  dim: number;
  shift: number;
  /** N×L indicator columns, row-major. */
  weights: Float32Array;
  columns: number;
}

/** C = kernel(block, pooled) − shift (b×N) and Y = C·W (b×L). */
export async function kernelBlockProduct(
  entry: StreamedEntry,
  input: KernelBlockInput,
): Promise<{ centred: Float32Array; product: Float32Array }> {
  const b = input.rowNorms.length;
  const n = input.pooledNorms.length;
  const session = await sessionFor(entry.kind);
  const feeds: Record<string, ort.Tensor> = {
    A: new ort.Tensor('float32', input.rows, [b, input.dim]),
    B: new ort.Tensor('float32', input.pooled, [n, input.dim]),
    An: new ort.Tensor('float32', input.rowNorms, [b, 1]),
    Bn: new ort.Tensor('float32', input.pooledNorms, [1, n]),
    Shift: new ort.Tensor('float32', Float32Array.of(input.shift), [1]),
    W: new ort.Tensor('float32', input.weights, [n, input.columns]),
  };
  if (entry.kind === 'gaussian')
    feeds.NegGamma = new ort.Tensor('float32', Float32Array.of(-1 / (2 * entry.sigma * entry.sigma)), [1]);
  const out = await session.run(feeds);
  return { centred: out.C.data as Float32Array, product: out.Y.data as Float32Array };
}
