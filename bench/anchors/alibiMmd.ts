/**
 * alibi-detect `MMDDrift` at its defaults (alibi_detect/cd/pytorch/mmd.py, utils/pytorch/kernels.py):
 * - Gaussian RBF kernel k(x, y) = exp(−‖x − y‖² / (2σ²)); σ from the reference alone (`configure_kernel_from_x_ref`):
 *   `sigma_median` sorts the reference–reference squared distances (diagonal zeros included) and takes
 *   σ = √(½ · value at index n + ⌊(n² − n)/2⌋ − 1), i.e. the lower median of the off-diagonal entries;
 * - the pooled kernel matrix with its diagonal zeroed, MMD² = Σ_xx/(n(n−1)) + Σ_yy/(m(m−1)) − 2·mean(K_xy);
 * - 100 permutations of the pooled rows (`n_permutations=100`), p = share of permuted MMD² ≥ observed — no +1, so
 *   p can be 0 and the test is slightly anti-conservative (ANCHORS.md, known failure 2);
 * - drift when p < 0.05 (`p_val=.05`, strict inequality).
 * Same arithmetic here (float32 kernel and kernel-row sums through one matrix product, float64 totals);
 * permutations from the benchmark's seeded Rng.
 */
import { createMatrix } from '../../src/core/matrix.js';
import { matmul } from '../../src/linalg/gemm.js';
import { selectKth } from '../../src/twosample/kernels/selectKth.js';
import type { AnchorRule } from './anchorRule.js';

const PERMUTATIONS = 100;
const P_VAL = 0.05;

export const alibiMmd: AnchorRule = {
  name: 'alibi MMD',
  tool: 'alibi-detect',
  rule: 'MMDDrift: RBF kernel, σ² = ½ median reference distance², 100 permutations, p = share(perm ≥ obs) < 0.05',
  async detect(input, rng) {
    const n = input.reference.rows;
    const m = input.target.rows;
    const N = n + m;
    const d2 = await input.pooledSquaredDistances();

    const refBlock = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) refBlock[i * n + j] = i === j ? 0 : d2.data[i * N + j];
    const medianIndex = n + Math.floor((n * n - n) / 2) - 1;
    const twoSigmaSquared = selectKth(refBlock, medianIndex); // 2σ² = the sorted value (σ² = ½ · value)
    const gamma = twoSigmaSquared > 0 ? 1 / twoSigmaSquared : 1;

    const kernel = createMatrix(N, N);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) kernel.data[i * N + j] = i === j ? 0 : Math.exp(-gamma * d2.data[i * N + j]);

    // Labelling 0 is the observed one (targets last); 1..100 shuffle the pooled rows, the first n of each
    // shuffle being its reference sample. One product K·Y gives every row's kernel sum to each labelling's targets.
    const labellings = PERMUTATIONS + 1;
    const targets = createMatrix(N, labellings);
    const order = Uint32Array.from({ length: N }, (_, i) => i);
    for (let p = 0; p < labellings; p++) {
      if (p > 0) rng.shuffle(order);
      for (let k = n; k < N; k++) targets.data[order[k] * labellings + p] = 1;
    }
    const toTargets = await matmul(kernel, targets);
    const statistics = new Float64Array(labellings);
    let total = 0;
    for (let i = 0; i < N * N; i++) total += kernel.data[i];
    for (let p = 0; p < labellings; p++) {
      let syy = 0;
      let sxy = 0;
      for (let a = 0; a < N; a++) {
        const t = toTargets.data[a * labellings + p];
        if (targets.data[a * labellings + p] === 1) syy += t;
        else sxy += t;
      }
      const sxx = total - syy - 2 * sxy;
      statistics[p] = sxx / (n * (n - 1)) + syy / (m * (m - 1)) - (2 * sxy) / (n * m);
    }
    let atLeast = 0;
    for (let p = 1; p < labellings; p++) if (statistics[p] >= statistics[0]) atLeast++;
    const pValue = atLeast / PERMUTATIONS;
    return { drift: pValue < P_VAL, score: pValue };
  },
};
