/**
 * A normal run, watched from outside: with HOME and TMPDIR pointed at empty folders it writes nothing outside
 * --out and --cache-dir (onnxruntime's telemetry database and debug log included); the verdict is on stdout even
 * with --quiet, stderr stays empty; texts that a spreadsheet would run as formulas are neutralised in
 * target-scores.csv.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { testCacheDir } from '../helpers/repoPaths.js';
import { startCli, tempDirSync } from './faultHelpers.js';

const INJECTIONS = ['=HYPERLINK("http://x.example","click")', '+1+1', '-2+3', '@SUM(A1:A2)', '\tindented', '\rreturn'];

let root: string;
let run: Awaited<ReturnType<typeof startCli>['done']>;

beforeAll(async () => {
  root = tempDirSync();
  for (const dir of ['home', 'tmp', 'work']) mkdirSync(path.join(root, dir));
  // Two kinds of texts, with formula-like texts among the target's.
  const quoted = (t: string) => `"${t.replace(/"/g, '""')}"`;
  const ref = ['text', ...Array.from({ length: 40 }, (_, i) => quoted(`the food was good, the staff friendly ${i}`))];
  const tgt = [
    'text',
    ...Array.from({ length: 34 }, (_, i) => quoted(`battery died after a week, would not buy again ${i}`)),
    ...INJECTIONS.map(quoted),
  ];
  writeFileSync(path.join(root, 'work', 'ref.csv'), `${ref.join('\n')}\n`);
  writeFileSync(path.join(root, 'work', 'tgt.csv'), `${tgt.join('\n')}\n`);
  run = await startCli(
    [
      'compare',
      '--reference',
      path.join(root, 'work', 'ref.csv'),
      '--target',
      path.join(root, 'work', 'tgt.csv'),
      '--permutations',
      '99',
      '--quiet',
      '--out',
      path.join(root, 'work', 'out'),
      '--cache-dir',
      path.join(testCacheDir, 'model-cache'),
    ],
    { HOME: path.join(root, 'home'), TMPDIR: path.join(root, 'tmp'), XDG_CACHE_HOME: '', SHIFTLENS_CACHE_DIR: '' },
  ).done;
}, 300_000);

describe('a run with the default model', () => {
  it('succeeds with nothing on stderr and the verdict on stdout despite --quiet', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/Shift detected/);
    expect(run.stdout).toMatch(/MMD \(Gaussian kernel, permutation\): adjusted p 0\.0\d+/);
    expect(run.stdout).toMatch(/wrote .*out\/result\.json/);
  });

  it('writes nothing outside --out and --cache-dir: HOME and TMPDIR stay empty', () => {
    expect(readdirSync(path.join(root, 'home'))).toEqual([]);
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
    expect(readdirSync(path.join(root, 'work')).sort()).toEqual(['out', 'ref.csv', 'tgt.csv']);
  });

  it('neutralises formula-like texts in target-scores.csv with a leading quote, keeping the rest verbatim', () => {
    const rows: Record<string, string>[] = parse(readFileSync(path.join(root, 'work', 'out', 'target-scores.csv')), {
      columns: true,
    });
    const texts = rows.map((r) => r.text);
    for (const t of INJECTIONS) expect(texts).toContain(`'${t}`);
    expect(texts.filter((t) => /^[=+\-@\t\r]/.test(t))).toEqual([]);
    expect(texts).toContain('battery died after a week, would not buy again 3');
    // Numbers stay numbers: a negative witness score is not a formula and keeps its sign.
    expect(rows.some((r) => r.mmdWitness.startsWith('-'))).toBe(true);
  });
});
