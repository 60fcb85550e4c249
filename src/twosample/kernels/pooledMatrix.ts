/**
 * The N×N matrix of a quadratic two-sample statistic over the pooled sample (Gaussian kernel values for MMD,
 * Euclidean distances for energy), computed once, in row blocks of bounded size, each block one onnxruntime run.
 * Its size is the exact tests' memory bound: POOLED_MATRIX_MAX_ROWS rows give a ~0.9 GB float32 matrix.
 */
import { InputError } from '../../core/errors.js';
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { gaussianKernel, squaredDistances, squaredNorms } from '../../linalg/distances.js';
import { rowRange } from '../../linalg/rowRange.js';

/** Largest pooled N for which an N×N float32 matrix is built: 15000² × 4 bytes = 0.9 GB. */
export const POOLED_MATRIX_MAX_ROWS = 15_000;

/** Floats per computed block (16 MB), so the transient memory stays small next to the matrix itself. */
const BLOCK_FLOATS = 4 * 1024 * 1024;

export type PooledEntry = { kind: 'gaussian'; sigma: number } | { kind: 'distance' };

export async function buildPooledMatrix(
  pooled: Matrix,
  entry: PooledEntry,
  onBlock?: (rowsDone: number) => void,
): Promise<Matrix> {
  const n = pooled.rows;
  if (n > POOLED_MATRIX_MAX_ROWS) {
    throw new InputError(
      `${n} pooled samples exceed the exact test's limit of ${POOLED_MATRIX_MAX_ROWS} (its N×N matrix would need ${((n * n * 4) / 1e9).toFixed(1)} GB); use the linear-time MMD or subsample`,
    );
  }
  const out = createMatrix(n, n);
  const norms = squaredNorms(pooled);
  const blockRows = Math.max(1, Math.floor(BLOCK_FLOATS / n));
  for (let r0 = 0; r0 < n; r0 += blockRows) {
    const r1 = Math.min(n, r0 + blockRows);
    const rows = rowRange(pooled, r0, r1);
    const options = { aNorms: norms.subarray(r0, r1), bNorms: norms };
    const block =
      entry.kind === 'gaussian'
        ? await gaussianKernel(rows, pooled, entry.sigma, options)
        : await squaredDistances(rows, pooled, options);
    if (entry.kind === 'distance') {
      const b = block.data;
      for (let i = 0; i < b.length; i++) b[i] = Math.sqrt(b[i]);
    }
    out.data.set(block.data, r0 * n);
    onBlock?.(r1);
  }
  return out;
}
