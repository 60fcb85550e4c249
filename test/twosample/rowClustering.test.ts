import { describe, expect, it } from 'vitest';
import { selectRows } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { detectRowClustering } from '../../src/twosample/rowClustering.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

describe('row-order clustering signal (serial similarity)', () => {
  it('flags SOTU passages in file order (clustered by address), not the same passages shuffled nor UCI sentences', async () => {
    const sotu = await loadRealEmbeddings('sotu:1946-1989');
    const rng = createRng('clustering');
    const first = selectRows(
      sotu,
      Array.from({ length: 600 }, (_, i) => i),
    );
    const inOrder = detectRowClustering(first, rng.fork('order'));
    expect(inOrder?.clustered).toBe(true);
    expect(inOrder?.excess).toBeGreaterThan(0.1);
    const shuffled = selectRows(sotu, rng.sample(sotu.rows, 600));
    const mixed = detectRowClustering(shuffled, rng.fork('shuffled'));
    expect(mixed?.clustered).toBe(false);
    expect(Math.abs(mixed?.excess ?? 1)).toBeLessThan(0.03);
    const yelp = await loadRealEmbeddings('uci-sentiment:yelp');
    const sentences = detectRowClustering(yelp, rng.fork('yelp'));
    expect(sentences?.clustered).toBe(false);
    console.log(
      `serial similarity excess: SOTU in order ${inOrder?.excess.toFixed(3)} (p ${inOrder?.pValue.toFixed(3)}), shuffled ${mixed?.excess.toFixed(3)}, UCI yelp ${sentences?.excess.toFixed(3)} (p ${sentences?.pValue.toFixed(3)})`,
    );
  });

  it('needs 10 rows', () => {
    const rng = createRng(1);
    expect(detectRowClustering(selectRows({ rows: 3, cols: 2, data: new Float32Array(6) }, [0, 1, 2]), rng)).toBeNull();
  });
});
