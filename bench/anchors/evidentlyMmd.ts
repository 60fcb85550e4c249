/**
 * Evidently's `mmd()` embedding-drift method at its defaults (embedding_drift_methods.py, `MMDDriftMethod`):
 * - σ² = (median Euclidean distance between up to 1000 reference and up to 1000 current rows)², `np.median`
 *   (mean of the two middle values for an even count); γ = 1/σ²;
 * - RBF kernel exp(−γ‖x − y‖²) over the pooled rows, unbiased MMD²_u (diagonals left out);
 * - drift when MMD²_u > 0.015 (`threshold=0.015`, `bootstrap=None`): a fixed cut-off, no p-value.
 * The row subsample for the median is seeded here (Evidently's `random_state=0`); at n ≤ 1000 per side it is
 * every row, so the median is the same.
 */
import type { AnchorRule } from './anchorRule.js';

const THRESHOLD = 0.015;
const MEDIAN_ROWS = 1000;

export const evidentlyMmd: AnchorRule = {
  name: 'Evidently MMD',
  tool: 'Evidently',
  rule: 'mmd(): RBF γ = 1/median², unbiased MMD² > 0.015',
  async detect(input, rng) {
    const n = input.reference.rows;
    const m = input.target.rows;
    const N = n + m;
    const d2 = await input.pooledSquaredDistances();
    const refRows = n > MEDIAN_ROWS ? rng.sample(n, MEDIAN_ROWS) : Uint32Array.from({ length: n }, (_, i) => i);
    const tgtRows = m > MEDIAN_ROWS ? rng.sample(m, MEDIAN_ROWS) : Uint32Array.from({ length: m }, (_, i) => i);
    const cross = new Float64Array(refRows.length * tgtRows.length);
    let k = 0;
    for (const i of refRows) for (const j of tgtRows) cross[k++] = Math.sqrt(d2.data[i * N + n + j]);
    cross.sort();
    const half = cross.length >> 1;
    const median = cross.length % 2 === 1 ? cross[half] : (cross[half - 1] + cross[half]) / 2;
    const gamma = median > 0 ? 1 / (median * median) : 1;

    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < N; i++) {
      for (let j = i + 1; j < N; j++) {
        const kij = Math.exp(-gamma * d2.data[i * N + j]);
        if (j < n) sxx += 2 * kij;
        else if (i >= n) syy += 2 * kij;
        else sxy += kij;
      }
    }
    const mmd2u = sxx / (n * (n - 1)) + syy / (m * (m - 1)) - (2 * sxy) / (n * m);
    return { drift: mmd2u > THRESHOLD, score: Math.max(mmd2u, 0) };
  },
};
