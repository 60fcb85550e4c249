/**
 * The monitor with grouped rows (--group-column) and an exact-test budget (--exact-budget), as compare has them:
 * SOTU 1946–1989 passages with their address as group, the reference 6 addresses, the stream 4 windows of rows from
 * other addresses. Each window's permutation tests move whole addresses (the reference's from the bundle, the
 * window's own); a window of one address cannot be tested that way and is reported as too small; a budget of 0 gives
 * the linear-time MMD, which says it ignores the groups.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import type { MonitorReference } from '../../src/monitor/monitorInput.js';
import { monitorStream, type MonitorSettings, type StreamData } from '../../src/monitor/runMonitor.js';
import { vectorReference } from '../../src/monitor/vectorReference.js';
import { parseWindowSpec } from '../../src/monitor/windowSpec.js';
import { loadSotuAddresses, type GroupedCorpus } from '../stats/groupedHelpers.js';

let corpus: GroupedCorpus;
let reference: MonitorReference;

const settings = (over: Partial<MonitorSettings> = {}): MonitorSettings => ({
  window: parseWindowSpec('24rows'),
  minWindowRows: 10,
  alpha: 0.05,
  horizon: 1,
  permutations: 99,
  tests: ['mmd', 'centroid'],
  correction: 'holm',
  minEffect: null,
  topSamples: 0,
  seed: 3,
  ...over,
});

/** `perAddress` passages of each listed address, in order (address index as group id). */
function rowsOf(addresses: number[], perAddress: number): { rows: number[]; groups: string[] } {
  const rows: number[] = [];
  const groups: string[] = [];
  for (const a of addresses) {
    for (const r of corpus.addresses[a].slice(0, perAddress)) {
      rows.push(r);
      groups.push(`address ${a}`);
    }
  }
  return { rows, groups };
}

function stream(rows: number[], groups: string[] | null): StreamData {
  return {
    source: 'stream.csv',
    vectors: selectRows(corpus.vectors, rows),
    texts: null,
    origins: rows.map((_, i) => `stream.csv row ${i + 1}`),
    ids: null,
    groups,
    times: null,
    timeColumn: null,
    timeFormat: null,
    nRead: rows.length,
    nEmpty: 0,
  };
}

beforeAll(async () => {
  corpus = await loadSotuAddresses('1946-1989');
  const ref = rowsOf([0, 1, 2, 3, 4, 5], 6);
  reference = await vectorReference('sotu:1946-1989', selectRows(corpus.vectors, ref.rows), {
    permutations: 99,
    groups: ref.groups,
  });
}, 120_000);

describe('monitor with --group-column and --exact-budget', () => {
  it('moves whole groups in every window; a window of one group is not tested', async () => {
    // Windows of 24 rows: 4 addresses × 6, 4 × 6, then one address of 24 passages.
    const a = rowsOf([10, 11, 12, 13, 14, 15, 16, 17], 6);
    const single = { rows: corpus.addresses[30].slice(0, 24), groups: Array(24).fill('address 30') as string[] };
    const run = await monitorStream(
      reference,
      stream([...a.rows, ...single.rows], [...a.groups, ...single.groups]),
      settings(),
      silentProgress,
    );
    const [first, second, third] = run.result.windows;
    for (const w of [first, second]) {
      expect(w.status).toBe('tested');
      for (const t of w.tests) expect(t.method, t.name).toMatch(/whole groups/);
    }
    expect(third.status).toBe('too-small');
    expect(third.note).toMatch(/1 group \(--group-column\)/);
  });

  it('a budget of 0 runs the linear-time MMD, which says it ignores the groups; without groups, rows', async () => {
    const a = rowsOf([10, 11, 12, 13], 6);
    const linear = await monitorStream(
      reference,
      stream(a.rows, a.groups),
      settings({ exactBudgetSeconds: 0 }),
      silentProgress,
    );
    expect(linear.result.windows[0].tests.map((t) => t.name)).toEqual(['mmd-rff', 'centroid']);
    expect(linear.result.windows[0].warnings.join(' ')).toMatch(/mmd-rff treats rows as independent/);
    const rows = await monitorStream(reference, stream(a.rows, null), settings(), silentProgress);
    // The reference still has its groups: the window's rows count as groups of one.
    for (const t of rows.result.windows[0].tests) expect(t.method).toMatch(/whole groups/);
  });
});
