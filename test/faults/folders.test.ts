/**
 * Output and cache folders that cannot be written are found before any work, as one line naming the path, exit 2,
 * with nothing written and an existing output set untouched. Read-only folders are real read-only mounts where
 * the tests may mount (root ignores permission bits), chmod 555 otherwise.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/runCli.js';
import {
  lines,
  mountTmpfs,
  type RefusingFolder,
  refusingFolder,
  snapshot,
  tempDirSync,
  unmount,
  writeVectors,
} from './faultHelpers.js';

let inputs: string;
const vectors = () => ['--reference', path.join(inputs, 'ref.jsonl'), '--target', path.join(inputs, 'tgt.jsonl')];
const texts = ['--reference', 'uci-sentiment:amazon', '--target', 'uci-sentiment:yelp', '--max-rows', '40'];
const fast = ['--tests', 'mmd', '--permutations', '99', '--quiet'];

let readOnly: RefusingFolder | null = null;
const mounted: string[] = [];

beforeAll(() => {
  inputs = tempDirSync();
  writeVectors(path.join(inputs, 'ref.jsonl'), 40, 0, 1);
  writeVectors(path.join(inputs, 'tgt.jsonl'), 40, 0.3, 2);
  readOnly = refusingFolder();
  if (!readOnly) console.warn('test/faults: no read-only folder possible here (root without mount rights): skipped');
});
afterAll(() => {
  readOnly?.release();
  for (const dir of mounted) unmount(dir);
});

function expectOneError(run: { code: number; stderr: string }, message: RegExp | string): void {
  expect(run.code).toBe(2);
  const got = lines(run.stderr);
  expect(got).toHaveLength(1);
  expect(got[0]).toMatch(/^shiftlens: error: /);
  if (typeof message === 'string') expect(got[0]).toContain(message);
  else expect(got[0]).toMatch(message);
}

describe('--out that cannot take the outputs', () => {
  it('an existing file', async () => {
    const file = path.join(tempDirSync(), 'taken.txt');
    writeFileSync(file, 'mine');
    const run = await runCli(['compare', ...vectors(), ...fast, '--out', file]);
    expectOneError(run, `--out ${file} is an existing file, not a folder`);
  });

  it('below a file', async () => {
    const file = path.join(tempDirSync(), 'taken.txt');
    writeFileSync(file, 'mine');
    const run = await runCli(['compare', ...vectors(), ...fast, '--out', path.join(file, 'sub', 'out')]);
    expectOneError(run, `is below ${file}, which is a file, not a folder`);
  });

  it('the empty string (would have been the current folder)', async () => {
    const run = await runCli(['compare', ...vectors(), ...fast, '--out', '']);
    expectOneError(run, '--out is empty');
  });

  it('a read-only folder: nothing written', async (ctx) => {
    if (!readOnly) return ctx.skip();
    const out = path.join(readOnly.dir, 'out');
    const run = await runCli(['compare', ...vectors(), ...fast, '--out', out]);
    expectOneError(
      run,
      new RegExp(`cannot write in ${readOnly.dir}: .*\\((EROFS|EACCES)\\); choose a writable output folder with --out`),
    );
    expect(existsSync(out)).toBe(false);
  });

  it('an existing output set on a disk remounted read-only: found before the run, the set untouched', async (ctx) => {
    const disk = path.join(tempDirSync(), 'disk');
    if (!mountTmpfs(disk, 'size=4m')) return ctx.skip();
    mounted.push(disk);
    const out = path.join(disk, 'out');
    expect((await runCli(['compare', ...vectors(), ...fast, '--out', out])).code).toBe(0);
    const before = snapshot(out);
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    const run = await runCli(['compare', ...vectors(), ...fast, '--seed', '3', '--out', out]);
    expectOneError(run, /\(EROFS\); choose a writable output folder with --out/);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('--cache-dir that cannot take the cache', () => {
  it('read-only, with the default model and no converted table yet', async (ctx) => {
    if (!readOnly) return ctx.skip();
    const out = path.join(tempDirSync(), 'out');
    const run = await runCli(['compare', ...texts, ...fast, '--cache-dir', readOnly.dir, '--out', out]);
    expectOneError(
      run,
      new RegExp(`cannot write in ${readOnly.dir}: .*; choose a writable cache folder with --cache-dir`),
    );
    expect(existsSync(out)).toBe(false);
  });

  it('below a file', async () => {
    const file = path.join(tempDirSync(), 'taken.txt');
    writeFileSync(file, 'mine');
    const out = path.join(tempDirSync(), 'out');
    const run = await runCli(['compare', ...texts, ...fast, '--cache-dir', path.join(file, 'cache'), '--out', out]);
    expectOneError(run, `--cache-dir ${path.join(file, 'cache')} is below ${file}, which is a file`);
    expect(existsSync(out)).toBe(false);
  });

  it('is not needed by precomputed vectors: a read-only one is fine there', async (ctx) => {
    if (!readOnly) return ctx.skip();
    const out = path.join(tempDirSync(), 'out');
    const run = await runCli(['compare', ...vectors(), ...fast, '--cache-dir', readOnly.dir, '--out', out]);
    expect(run.code).toBe(0);
    expect(existsSync(path.join(out, 'result.json'))).toBe(true);
  });
});
