/**
 * `shiftlens monitor` through the real CLI: a stream of Amazon sentences that turns into Yelp sentences after two
 * days (epoch-second times), against a reference of other Amazon sentences — alarms after the change, the per-window
 * level and guarantee printed, --fail-on-alarm's exit 1, monitor-result.json valid against its schema, the report
 * and the history written; a bad time cell refused in one line naming file, row and column, exit 2, nothing
 * written; and --target-group-column with --exact-budget 0 (whole-group permutations, the linear-time MMD).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { monitorResultSchema } from '../../src/monitor/monitorSchema.js';
import { runCli } from './runCli.js';

const DAY = 86_400;
const T0 = Date.UTC(2024, 2, 1) / 1000;
const csv = (rows: string[][]) =>
  `${rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n')}\n`;

describe('shiftlens monitor', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-monitor-cli-'));
    const amazon = (await loadDataset('uci-sentiment:amazon', { seed: 0 })).texts as string[];
    const yelp = (await loadDataset('uci-sentiment:yelp', { seed: 0 })).texts as string[];
    const order = createRng(3).permutation(amazon.length);
    const a = Array.from(order, (i) => amazon[i]);
    await writeFile(path.join(dir, 'ref.csv'), csv([['text'], ...a.slice(0, 200).map((t) => [t])]));
    // `doc`: 8 rows per group, for --target-group-column.
    const stream: string[][] = [['ts', 'text', 'doc']];
    for (let i = 0; i < 80; i++)
      stream.push([String(T0 + Math.floor(i / 40) * DAY + i * 60), a[200 + i], `a${i >> 3}`]);
    for (let i = 0; i < 80; i++)
      stream.push([String(T0 + (2 + Math.floor(i / 40)) * DAY + i * 60), yelp[i], `y${i >> 3}`]);
    stream.push([String(T0 + 5 * DAY), a[300], 'z']);
    await writeFile(path.join(dir, 'stream.csv'), csv(stream));
    const bad = stream.map((r) => [...r]);
    bad[3][0] = '2024-03-01';
    await writeFile(path.join(dir, 'bad.csv'), csv(bad));
  }, 60_000);

  it('alarms after the change, says its level and guarantee, exits 1 with --fail-on-alarm; refuses a bad time cell', async () => {
    const common = ['monitor', '--reference', 'ref.csv', '--time-column', 'ts', '--window', '1d', '--horizon', '4'];
    const analysis = ['--tests', 'mmd,c2st,centroid', '--permutations', '199', '--quiet'];
    const [run, bad, grouped] = await Promise.all([
      runCli(
        [...common, '--target', 'stream.csv', '--history', 'h.sqlite', '--fail-on-alarm', ...analysis, '--out', 'out'],
        {
          cwd: dir,
        },
      ),
      runCli([...common, '--target', 'bad.csv', '--history', 'bad.sqlite', ...analysis, '--out', 'bad-out'], {
        cwd: dir,
      }),
      // --target-group-column and --exact-budget as compare has them (0: the linear-time MMD, which ignores groups).
      runCli(
        [...common, '--target', 'stream.csv', '--target-group-column', 'doc', '--exact-budget', '0'].concat([
          '--tests',
          'mmd,centroid',
          '--permutations',
          '199',
          '--quiet',
          '--json',
          '--out',
          'grouped-out',
        ]),
        { cwd: dir },
      ),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^\[alarm\] Alarm: 2 of 4 tested window\(s\) shifted from the reference, first 2024-03-03/,
    );
    expect(run.stdout).toContain(
      'False alarms: each window is tested at α/N = 0.05/4 = 0.0125; with no shift, the probability of any false alarm within 4 tested windows is at most 0.05',
    );
    expect(run.stdout).toMatch(/2024-03-06 {2}n=1 {2}too small, not tested/);
    const result = monitorResultSchema.parse(
      JSON.parse(await readFile(path.join(dir, 'out', 'monitor-result.json'), 'utf8')),
    );
    expect(result.windows.map((w) => [w.label, w.n, w.alarm])).toEqual([
      ['2024-03-01', 40, false],
      ['2024-03-02', 40, false],
      ['2024-03-03', 40, true],
      ['2024-03-04', 40, true],
      ['2024-03-06', 1, false],
    ]);
    expect(result.target).toMatchObject({ timeColumn: 'ts', timeFormat: 'epoch-s' });
    expect(result.worstWindow?.topSamples[0].origin).toMatch(/^stream\.csv row (8[1-9]|9\d|1[0-5]\d|160)$/);
    const html = await readFile(path.join(dir, 'out', 'monitor-report.html'), 'utf8');
    expect(html).toContain('data-chart="monitor-pvalues"');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    const db = new Database(path.join(dir, 'h.sqlite'), { readonly: true });
    expect(db.prepare('SELECT label, alarm FROM windows ORDER BY seq').all()).toEqual([
      { label: '2024-03-01', alarm: 0 },
      { label: '2024-03-02', alarm: 0 },
      { label: '2024-03-03', alarm: 1 },
      { label: '2024-03-04', alarm: 1 },
      { label: '2024-03-06', alarm: 0 },
    ]);
    db.close();

    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      'shiftlens: error: bad.csv row 3, column "ts" (--time-column): "2024-03-01" is not a number of seconds, expected Unix epoch seconds (the column\'s format, epoch-s, was taken from its first row); fix the cell or drop the row\n',
    );
    expect(existsSync(path.join(dir, 'bad-out'))).toBe(false);
    expect(existsSync(path.join(dir, 'bad.sqlite'))).toBe(false);

    expect(grouped.code).toBe(0);
    const window = monitorResultSchema.parse(JSON.parse(grouped.stdout)).windows[0];
    expect(window.tests.map((t) => t.name)).toEqual(['mmd-rff', 'centroid']);
    expect(window.tests[1].method).toMatch(/permutations of whole groups/);
    expect(window.warnings.join(' ')).toMatch(/mmd-rff treats rows as independent/);
  }, 120_000);
});
