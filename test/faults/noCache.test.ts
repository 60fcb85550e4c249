/**
 * --no-cache turns off the embedding cache only: the word-vector table (and downloaded models) still go to
 * --cache-dir. Before, --no-cache sent them to the default folder even with --cache-dir given (a table converted
 * into ~/.cache/shiftlens, or a read-only default folder refusing a run that named a writable one).
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSg100dTable, sg100dTablePath } from '../../src/embed/wordvec/tableStore.js';
import { testCacheDir } from '../helpers/repoPaths.js';
import { lines, startCli, tempDirSync } from './faultHelpers.js';

const sharedTables = path.join(testCacheDir, 'model-cache');
let root: string;

beforeAll(async () => {
  // The converted table every CLI test shares (converted here on a fresh clone, under its lock).
  if (!existsSync(sg100dTablePath(sharedTables))) await loadSg100dTable(sharedTables);
  root = tempDirSync();
  for (const dir of ['home', 'default', 'work']) mkdirSync(path.join(root, dir));
}, 300_000);

/** HOME and the default cache folder point at empty folders, so a write to the default would show. */
function env(): Record<string, string> {
  return { HOME: path.join(root, 'home'), XDG_CACHE_HOME: '', SHIFTLENS_CACHE_DIR: path.join(root, 'default') };
}

function compareArgs(cacheDir: string, out: string): string[] {
  return [
    'compare',
    '--reference',
    'uci-sentiment:amazon',
    '--target',
    'uci-sentiment:yelp',
    '--max-rows',
    '40',
    '--tests',
    'mmd',
    '--permutations',
    '99',
    '--quiet',
    '--no-cache',
    '--cache-dir',
    cacheDir,
    '--out',
    out,
  ];
}

describe('--no-cache with --cache-dir', () => {
  it('reads the word-vector table from --cache-dir, writes no embedding cache, and nothing to the default folder', async () => {
    // A --cache-dir holding a converted table (linked, not converted again).
    const cacheDir = path.join(root, 'cache');
    const table = sg100dTablePath(cacheDir);
    mkdirSync(path.dirname(table), { recursive: true });
    symlinkSync(sg100dTablePath(sharedTables), table);
    const out = path.join(root, 'work', 'out');
    const run = await startCli(compareArgs(cacheDir, out), env()).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(path.join(out, 'result.json'))).toBe(true);
    expect(readdirSync(path.join(root, 'default'))).toEqual([]);
    expect(readdirSync(path.join(root, 'home'))).toEqual([]);
    // The table and nothing else: --no-cache kept the embedding cache off.
    expect(readdirSync(cacheDir)).toEqual(['wordvec']);
    expect(readdirSync(path.dirname(table))).toEqual([path.basename(table)]);
  }, 120_000);

  it('checks --cache-dir, not the default folder, before work: a file in the way is one line, exit 2', async () => {
    const file = path.join(root, 'taken.txt');
    writeFileSync(file, 'mine');
    const out = path.join(root, 'work', 'refused');
    const run = await startCli(compareArgs(path.join(file, 'cache'), out), env()).done;
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      expect.stringContaining(`--cache-dir ${path.join(file, 'cache')} is below ${file}, which is a file`),
    ]);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(path.join(root, 'default'))).toEqual([]);
  });
});
