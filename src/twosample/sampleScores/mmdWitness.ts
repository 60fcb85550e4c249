/**
 * MMD witness function at each target sample: f(y) = mean_{y' ≠ y} k(y, y') − mean_x k(y, x) with the Gaussian
 * kernel of bandwidth σ (the MMD test's). Positive: y sits where the target is denser than the reference (the
 * samples that drive the shift); negative: a reference-like sample. Same σ as the test, so the ranking explains
 * the statistic that was reported. Target rows are processed in blocks so memory stays at block × (n + m) floats.
 */
import { checkTwoSamples } from '../../analysis/validateSamples.js';
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { gaussianKernel, squaredNorms } from '../../linalg/distances.js';
import { rowRange } from '../../linalg/rowRange.js';

/** Kernel entries held at once (block rows × (n + m)): 4M floats = 16 MB. */
const BLOCK_ENTRIES = 4_000_000;

export async function mmdWitness(reference: Matrix, target: Matrix, sigma: number): Promise<Float64Array> {
  checkTwoSamples(reference, target, 'mmd witness');
  if (!(sigma > 0) || !Number.isFinite(sigma))
    throw new RangeError(`mmdWitness: σ must be positive and finite, got ${sigma}`);
  const [ref, tgt] = centredCopies(reference, target);
  const n = ref.rows;
  const m = tgt.rows;
  const refNorms = squaredNorms(ref);
  const tgtNorms = squaredNorms(tgt);
  const out = new Float64Array(m);
  const blockRows = Math.max(1, Math.floor(BLOCK_ENTRIES / (n + m)));
  for (let start = 0; start < m; start += blockRows) {
    const end = Math.min(m, start + blockRows);
    const block = rowRange(tgt, start, end);
    const blockNorms = tgtNorms.subarray(start, end);
    const toTarget = await gaussianKernel(block, tgt, sigma, { aNorms: blockNorms, bNorms: tgtNorms });
    const toReference = await gaussianKernel(block, ref, sigma, { aNorms: blockNorms, bNorms: refNorms });
    for (let i = 0; i < end - start; i++) {
      let sumTarget = 0;
      const rowT = i * m;
      for (let j = 0; j < m; j++) sumTarget += toTarget.data[rowT + j];
      // Leave y out of its own mean: drop the computed diagonal entry (≈ 1, as rounded by the same product).
      sumTarget -= toTarget.data[rowT + start + i];
      let sumReference = 0;
      const rowR = i * n;
      for (let j = 0; j < n; j++) sumReference += toReference.data[rowR + j];
      out[start + i] = sumTarget / (m - 1) - sumReference / n;
    }
  }
  return out;
}

/** Both samples minus their pooled mean: distances are unchanged, float32 cancellation in ‖a‖² + ‖b‖² − 2ab shrinks. */
function centredCopies(reference: Matrix, target: Matrix): [Matrix, Matrix] {
  const d = reference.cols;
  const mean = new Float64Array(d);
  for (const m of [reference, target]) for (let k = 0; k < m.data.length; k++) mean[k % d] += m.data[k];
  for (let j = 0; j < d; j++) mean[j] /= reference.rows + target.rows;
  return [reference, target].map((m) => {
    const out = createMatrix(m.rows, d);
    for (let k = 0; k < m.data.length; k++) out.data[k] = m.data[k] - mean[k % d];
    return out;
  }) as [Matrix, Matrix];
}
