import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows, type Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { MonitorHistory } from '../../src/monitor/history.js';
import type { MonitorReference } from '../../src/monitor/monitorInput.js';
import { monitorStream, type MonitorSettings, type StreamData } from '../../src/monitor/runMonitor.js';
import { parseWindowSpec } from '../../src/monitor/windowSpec.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';
import { vectorReference } from '../../src/monitor/vectorReference.js';

const DAY = 86_400_000;
let dir: string;
let reference: MonitorReference;
let pool: Matrix;

const settings = (window: string, over: Partial<MonitorSettings> = {}): MonitorSettings => ({
  window: parseWindowSpec(window),
  minWindowRows: 10,
  alpha: 0.05,
  horizon: 5,
  permutations: 199,
  tests: ['mmd', 'centroid'],
  correction: 'holm',
  minEffect: null,
  topSamples: 3,
  seed: 1,
  ...over,
});

function stream(rows: number[], times: number[] | null): StreamData {
  const vectors = selectRows(pool, rows);
  return {
    source: 'stream.csv',
    vectors,
    texts: rows.map((r) => `mail ${r}`),
    origins: rows.map((_, i) => `stream.csv row ${i + 1}`),
    ids: null,
    times: times ? Float64Array.from(times) : null,
    timeColumn: times ? 'ts' : null,
    timeFormat: times ? 'iso' : null,
    nRead: rows.length,
    nEmpty: 0,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shiftlens-history-'));
  const ham = await loadRealEmbeddings('easy-ham-1');
  const order = createRng(7).permutation(ham.rows);
  const refVectors = selectRows(ham, order.slice(0, 200));
  pool = selectRows(ham, order.slice(200, 600));
  reference = await vectorReference('spam-assassin:easy-ham-1', refVectors);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('monitor history', () => {
  it('appends runs, skips windows already there with the same rows, and keeps the α budget across runs', async () => {
    const file = path.join(dir, 'rows.sqlite');
    const rows = Array.from({ length: 150 }, (_, i) => i);
    let history = MonitorHistory.open(file);
    const first = await monitorStream(
      reference,
      stream(rows.slice(0, 90), null),
      settings('30rows'),
      silentProgress,
      history,
      file,
    );
    history.close();
    expect(first.result.summary).toMatchObject({ nTested: 3, nAlreadyInHistory: 0 });
    expect(first.result.windows.map((w) => w.slot)).toEqual([1, 2, 3]);
    expect(first.result.history).toMatchObject({ appended: 3, superseded: 0, windowsInHistory: 3 });

    // Same rows again plus two new windows: the three known ones are not retested, the new ones take slots 4, 5.
    history = MonitorHistory.open(file);
    const second = await monitorStream(
      reference,
      stream(rows.slice(0, 150), null),
      settings('30rows'),
      silentProgress,
      history,
      file,
    );
    history.close();
    expect(second.result.windows.map((w) => w.status)).toEqual([
      'already-in-history',
      'already-in-history',
      'already-in-history',
      'tested',
      'tested',
    ]);
    expect(second.result.windows.slice(0, 3).map((w) => w.combinedPValue)).toEqual(
      first.result.windows.map((w) => w.combinedPValue),
    );
    expect(second.result.windows.slice(3).map((w) => [w.family, w.slot])).toEqual([
      [1, 4],
      [1, 5],
    ]);
    expect(second.result.alarmRule).toMatchObject({ family: 1, slotsUsed: 5, slotsLeft: 0 });
    expect(second.timeline).toHaveLength(5);

    // The next new window opens a second horizon.
    history = MonitorHistory.open(file);
    const third = await monitorStream(
      reference,
      stream(
        Array.from({ length: 30 }, (_, i) => 300 + i),
        null,
      ),
      settings('30rows'),
      silentProgress,
      history,
      file,
    );
    history.close();
    expect(third.result.windows.map((w) => [w.family, w.slot])).toEqual([[2, 1]]);

    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n).toBe(3);
    const perTest = db.prepare("SELECT test, p_value, effect_size FROM window_tests WHERE test = 'mmd'").all();
    expect(perTest).toHaveLength(6);
    db.close();
  }, 120_000);

  it('retests a time bucket whose rows changed, spends a slot and marks the old row superseded', async () => {
    const file = path.join(dir, 'days.sqlite');
    const t0 = Date.UTC(2024, 2, 1);
    const day1 = Array.from({ length: 20 }, (_, i) => i);
    const day2 = Array.from({ length: 12 }, (_, i) => 20 + i);
    const times = (a: number[], b: number[]) => [...a.map(() => t0 + 1000), ...b.map(() => t0 + DAY + 1000)];
    let history = MonitorHistory.open(file);
    await monitorStream(
      reference,
      stream([...day1, ...day2], times(day1, day2)),
      settings('1d'),
      silentProgress,
      history,
      file,
    );
    history.close();
    // Day 2 was partial: now complete.
    const day2full = Array.from({ length: 30 }, (_, i) => 20 + i);
    history = MonitorHistory.open(file);
    const again = await monitorStream(
      reference,
      stream([...day1, ...day2full], times(day1, day2full)),
      settings('1d'),
      silentProgress,
      history,
      file,
    );
    history.close();
    expect(again.result.windows.map((w) => [w.label, w.status, w.slot])).toEqual([
      ['2024-03-01', 'already-in-history', 1],
      ['2024-03-02', 'tested', 3],
    ]);
    expect(again.result.history).toMatchObject({ appended: 1, superseded: 1, windowsInHistory: 2 });
    expect(again.timeline.map((w) => w.n)).toEqual([20, 30]);
  }, 120_000);

  it('reports windows too small to test without spending α', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => i);
    const run = await monitorStream(reference, stream(rows, null), settings('20rows'), silentProgress);
    expect(run.result.windows.map((w) => [w.status, w.n, w.slot])).toEqual([
      ['tested', 20, 1],
      ['too-small', 5, null],
    ]);
    expect(run.result.warnings[0]).toMatch(/1 window\(s\) had too few rows .* rows 21–25 \(5\)/);
  }, 60_000);

  it('refuses another α or horizon for the same monitor, and files that are not a history, in one line', async () => {
    const file = path.join(dir, 'rows.sqlite');
    const history = MonitorHistory.open(file);
    await expect(
      monitorStream(
        reference,
        stream([0, 1], null),
        settings('30rows', { horizon: 10, permutations: 399 }),
        silentProgress,
        history,
        file,
      ),
    ).rejects.toThrow(
      /at --alpha 0\.05 over --horizon 5; this run asks --alpha 0\.05 --horizon 10: changing them midway voids/,
    );
    history.close();

    const garbage = path.join(dir, 'garbage.sqlite');
    writeFileSync(
      garbage,
      'this is not a database, just text that is long enough to look like a header block'.repeat(20),
    );
    expect(() => MonitorHistory.open(garbage)).toThrow(
      /cannot open the monitor history .*garbage\.sqlite: it is not an SQLite database/,
    );

    const other = path.join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => MonitorHistory.open(other)).toThrow(
      /is an SQLite database but not a shiftlens monitor history \(tables: t\)/,
    );
  }, 60_000);

  it('appends nothing when another run appended in between', async () => {
    const file = path.join(dir, 'race.sqlite');
    const h1 = MonitorHistory.open(file);
    const config = {
      referenceChecksum: reference.checksum,
      referenceSource: reference.source,
      windowSpec: '30rows',
      alpha: 0.05,
      horizon: 5,
      model: 'precomputed',
    };
    const stale = h1.state(config);
    h1.close();
    const h2 = MonitorHistory.open(file);
    await monitorStream(
      reference,
      stream(
        Array.from({ length: 30 }, (_, i) => i),
        null,
      ),
      settings('30rows'),
      silentProgress,
      h2,
      file,
    );
    h2.close();
    const h3 = MonitorHistory.open(file);
    const run = {
      runId: 'late',
      startedAt: new Date().toISOString(),
      targetSource: 's',
      seed: 0,
      toolVersion: 'x',
      tests: ['mmd'],
      permutations: 199,
    };
    expect(() => h3.append(config, run, stale, [])).toThrow(/was appended to by another run while this one worked/);
    expect(h3.windows(config)).toHaveLength(1);
    h3.close();
  }, 60_000);
});

describe('monitor history and outputs', () => {
  it('rolls the run back when its outputs cannot be written', async () => {
    const file = path.join(dir, 'rollback.sqlite');
    const history = MonitorHistory.open(file);
    const rows = Array.from({ length: 30 }, (_, i) => i);
    await expect(
      monitorStream(reference, stream(rows, null), settings('30rows'), silentProgress, history, file, async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    const config = {
      referenceChecksum: reference.checksum,
      referenceSource: reference.source,
      windowSpec: '30rows',
      alpha: 0.05,
      horizon: 5,
      model: 'precomputed',
    };
    expect(history.state(config)).toMatchObject({ monitorId: null, testedBefore: 0 });
    history.close();
  }, 60_000);
});
