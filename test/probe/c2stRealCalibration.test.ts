/**
 * C2ST calibration on real text embeddings: random splits of one source (SpamAssassin easy-ham-1, embedded
 * with the offline default model) are a true null. 200 splits at n = 100 per side, α = 0.05.
 */
import { describe, expect, it } from 'vitest';
import { selectRows } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { runC2st } from '../../src/twosample/c2st.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

describe('C2ST on real embeddings', () => {
  it('random splits of easy-ham-1: false-positive rate within [0.02, 0.08] over 200 splits at n = 100', async () => {
    const pool = await loadRealEmbeddings('easy-ham-1');
    expect(pool.rows).toBeGreaterThanOrEqual(200);
    const rng = createRng(20261129);
    const splits = 200;
    let rejections = 0;
    let aucTotal = 0;
    for (let s = 0; s < splits; s++) {
      const rows = rng.sample(pool.rows, 200); // random order: the first half vs the second is a random split
      const { result } = await runC2st({
        reference: selectRows(pool, rows.subarray(0, 100)),
        target: selectRows(pool, rows.subarray(100)),
        rng: rng.fork(`split-${s}`),
        progress: silentProgress,
      });
      if ((result.pValue as number) <= 0.05) rejections++;
      aucTotal += result.statistic;
    }
    const fpr = rejections / splits;
    expect(fpr).toBeGreaterThanOrEqual(0.02);
    expect(fpr).toBeLessThanOrEqual(0.08);
    // Under the null the out-of-fold AUC centres on 0.5.
    expect(Math.abs(aucTotal / splits - 0.5)).toBeLessThan(0.02);
  });
});
