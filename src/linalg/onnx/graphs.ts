/**
 * The dense-kernel graphs shiftlens runs through onnxruntime (one InferenceSession per kind, shapes symbolic):
 *  - gemm:   Y = op(A)·op(B), op = optional transpose (ONNX Gemm's transA/transB, so no transposed copy is made);
 *  - sqdist: Y = max(‖a‖² + ‖b‖² − 2·A·Bᵀ, 0), norms passed in (computed once per matrix in float64 by the caller);
 *  - gauss:  Y = exp(−γ·sqdist), γ passed as a 1-element input so one session serves every bandwidth;
 *  - sqdist-rank: Y = ‖b‖² − 2·A·Bᵀ, one Gemm and no elementwise pass: per row of A it orders the columns as the
 *    squared distances do (they differ by the row's own ‖a‖², which the caller adds to the few values it keeps).
 */
import type { GraphSpec } from './onnxGraph.js';

export type GraphKind = 'gemm' | 'gemm-tA' | 'gemm-tB' | 'gemm-tAtB' | 'sqdist' | 'gauss' | 'sqdist-rank';

export function gemmKind(transposeA: boolean, transposeB: boolean): GraphKind {
  if (transposeA && transposeB) return 'gemm-tAtB';
  if (transposeA) return 'gemm-tA';
  if (transposeB) return 'gemm-tB';
  return 'gemm';
}

export function graphSpec(kind: GraphKind): GraphSpec {
  switch (kind) {
    case 'gemm':
    case 'gemm-tA':
    case 'gemm-tB':
    case 'gemm-tAtB': {
      const tA = kind === 'gemm-tA' || kind === 'gemm-tAtB';
      const tB = kind === 'gemm-tB' || kind === 'gemm-tAtB';
      return {
        name: kind,
        inputs: [
          { name: 'A', dims: tA ? ['K', 'M'] : ['M', 'K'] },
          { name: 'B', dims: tB ? ['N', 'K'] : ['K', 'N'] },
        ],
        outputs: [{ name: 'Y', dims: ['M', 'N'] }],
        nodes: [
          {
            opType: 'Gemm',
            inputs: ['A', 'B'],
            outputs: ['Y'],
            attributes: { transA: { int: tA ? 1 : 0 }, transB: { int: tB ? 1 : 0 } },
          },
        ],
      };
    }
    case 'sqdist-rank':
      return {
        name: kind,
        inputs: [
          { name: 'A', dims: ['M', 'D'] },
          { name: 'B', dims: ['N', 'D'] },
          { name: 'Bn', dims: [1, 'N'] },
        ],
        outputs: [{ name: 'Y', dims: ['M', 'N'] }],
        nodes: [
          {
            opType: 'Gemm',
            inputs: ['A', 'B', 'Bn'],
            outputs: ['Y'],
            attributes: { alpha: { float: -2 }, beta: { float: 1 }, transB: { int: 1 } },
          },
        ],
      };
    case 'sqdist':
    case 'gauss': {
      const inputs = [
        { name: 'A', dims: ['M', 'D'] },
        { name: 'B', dims: ['N', 'D'] },
        { name: 'An', dims: ['M', 1] },
        { name: 'Bn', dims: [1, 'N'] },
      ];
      const nodes: GraphSpec['nodes'] = [
        {
          opType: 'Gemm',
          inputs: ['A', 'B', 'An'],
          outputs: ['T'],
          attributes: { alpha: { float: -2 }, beta: { float: 1 }, transB: { int: 1 } },
        },
        { opType: 'Add', inputs: ['T', 'Bn'], outputs: ['S'] },
        { opType: 'Relu', inputs: ['S'], outputs: [kind === 'sqdist' ? 'Y' : 'D2'] },
      ];
      if (kind === 'gauss') {
        inputs.push({ name: 'NegGamma', dims: [1] });
        nodes.push({ opType: 'Mul', inputs: ['D2', 'NegGamma'], outputs: ['E'] });
        nodes.push({ opType: 'Exp', inputs: ['E'], outputs: ['Y'] });
      }
      return { name: kind, inputs, outputs: [{ name: 'Y', dims: ['M', 'N'] }], nodes };
    }
  }
}
