/**
 * The monitor's false-alarm control and its detection on real streams (easy-ham-1 → spam-2), through monitorStream:
 * a reference of 200 random easy-ham-1 mails, windows of 40 rows, mmd + c2st + centroid with 199 shared
 * permutations, α = 0.05 over a horizon of N = 5 windows (each window at α/N = 0.01).
 * - Null streams (5 windows of other easy-ham-1 mails in random order): P(any alarm in a horizon) ≤ α by Bonferroni.
 *   12 streams: a rule at 0.05 gives ≥ 3 alarmed streams with probability ≈ 0.02. (What testing every window at α
 *   without the adjustment does on the same windows is measured in bench/monitor.ts.)
 * - Change-point streams (3 null windows, then 3 windows of spam-2): the first shifted window alarms (delay 0).
 * The full figures (more streams, the default suite, three change types) are bench/monitor.ts's, in docs/BENCHMARKS.md.
 */
import { describe, expect, it } from 'vitest';
import { concatRows, selectRows, type Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { monitorStream } from '../../src/monitor/runMonitor.js';
import { parseWindowSpec } from '../../src/monitor/windowSpec.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';
import { vectorReference } from '../../src/monitor/vectorReference.js';

const REFERENCE = 200;
const WINDOW = 40;
const HORIZON = 5;
const ALPHA = 0.05;

async function streamPValues(
  reference: Matrix,
  windows: Matrix[],
  seed: number,
): Promise<{ p: number[]; alarms: boolean[] }> {
  const vectors = windows.reduce((a, b) => concatRows(a, b));
  const run = await monitorStream(
    await vectorReference('easy-ham-1 reference', reference),
    {
      source: 'stream',
      vectors,
      texts: null,
      origins: Array.from({ length: vectors.rows }, (_, i) => `row ${i + 1}`),
      ids: null,
      times: null,
      timeColumn: null,
      timeFormat: null,
      nRead: vectors.rows,
      nEmpty: 0,
    },
    {
      window: parseWindowSpec(`${WINDOW}rows`),
      minWindowRows: WINDOW,
      alpha: ALPHA,
      horizon: HORIZON,
      permutations: 199,
      tests: ['mmd', 'c2st', 'centroid'],
      correction: 'holm',
      minEffect: null,
      topSamples: 0,
      seed,
    },
    silentProgress,
  );
  return { p: run.result.windows.map((w) => w.combinedPValue ?? 1), alarms: run.result.windows.map((w) => w.alarm) };
}

const windowsOf = (m: Matrix, rows: Uint32Array, k: number) =>
  Array.from({ length: k }, (_, i) => selectRows(m, rows.subarray(i * WINDOW, (i + 1) * WINDOW)));

describe('monitor: false alarms over a horizon and detection after a change point (real streams)', () => {
  it('keeps P(any false alarm in N windows) at α on null streams', async () => {
    const ham = await loadRealEmbeddings('easy-ham-1');
    const rng = createRng(1111);
    let alarmed = 0;
    for (let s = 0; s < 12; s++) {
      const rows = rng.permutation(ham.rows);
      const { p, alarms } = await streamPValues(
        selectRows(ham, rows.subarray(0, REFERENCE)),
        windowsOf(ham, rows.subarray(REFERENCE), HORIZON),
        s,
      );
      // The alarm flag is exactly the per-window level applied to the window's family-wise p-value.
      expect(alarms).toEqual(p.map((x) => x <= ALPHA / HORIZON));
      if (alarms.some(Boolean)) alarmed++;
    }
    expect(alarmed).toBeLessThanOrEqual(2);
  });

  it('alarms in the first window after easy-ham-1 turns into spam-2, and not before', async () => {
    const ham = await loadRealEmbeddings('easy-ham-1');
    const spam = await loadRealEmbeddings('spam-2');
    const rng = createRng(2222);
    let preAlarms = 0;
    for (let s = 0; s < 4; s++) {
      const rows = rng.permutation(ham.rows);
      const { alarms } = await streamPValues(
        selectRows(ham, rows.subarray(0, REFERENCE)),
        [...windowsOf(ham, rows.subarray(REFERENCE), 3), ...windowsOf(spam, rng.permutation(spam.rows), 3)],
        s,
      );
      if (alarms.slice(0, 3).some(Boolean)) preAlarms++;
      expect(alarms.slice(3)).toEqual([true, true, true]);
    }
    expect(preAlarms).toBeLessThanOrEqual(1);
  });
});
