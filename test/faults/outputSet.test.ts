/**
 * The output folder as a set, through real CLI processes killed at the worst moments (SIGKILL: nothing of the
 * process runs), interrupted by SIGTERM, and failing on a full disk: every time either the old set or the new
 * one is whole — byte for byte — and the next run leaves no temporary behind.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lines,
  mountTmpfs,
  outputSiblings,
  snapshot,
  startCli,
  tempDirSync,
  unmount,
  waitForFile,
  writeVectors,
} from './faultHelpers.js';

const FILES = ['report.html', 'result.json', 'summary.md', 'target-scores.csv'];
let inputs: string;
let oldSet: string;

function compareArgs(out: string, seed: number, extra: string[] = []): string[] {
  return [
    'compare',
    '--reference',
    path.join(inputs, 'ref.jsonl'),
    '--target',
    path.join(inputs, 'tgt.jsonl'),
    '--tests',
    'mmd',
    '--permutations',
    '99',
    '--quiet',
    '--seed',
    String(seed),
    '--out',
    out,
    ...extra,
  ];
}

/** A run that fails on bad input after the output folder checks (which finish what a killed run left). */
async function failingRunInto(out: string): Promise<void> {
  const run = await startCli([...compareArgs(out, 5), '--reference', path.join(inputs, 'missing.jsonl')]).done;
  expect(run.code).toBe(2);
  expect(lines(run.stderr)).toEqual([expect.stringMatching(/^shiftlens: error: .*missing\.jsonl/)]);
}

function seedOf(dir: string): number {
  return JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')).seed;
}

beforeAll(async () => {
  inputs = tempDirSync();
  writeVectors(path.join(inputs, 'ref.jsonl'), 60, 0, 1);
  writeVectors(path.join(inputs, 'tgt.jsonl'), 60, 0.3, 2);
  oldSet = path.join(inputs, 'old-set');
  const run = await startCli(compareArgs(oldSet, 1)).done;
  expect(run.code).toBe(0);
  expect(Object.keys(snapshot(oldSet)).sort()).toEqual(FILES);
}, 120_000);

/** A folder holding a copy of the old set (seed 1), as a previous run left it. */
function withOldSet(): { out: string; before: Record<string, string> } {
  const out = path.join(tempDirSync(), 'out');
  cpSync(oldSet, out, { recursive: true });
  return { out, before: snapshot(out) };
}

describe('a run killed while writing its outputs', () => {
  it('SIGKILL with the new set complete but not swapped in: the old set stands whole; the next run cleans up', async () => {
    const { out, before } = withOldSet();
    const signal = path.join(tempDirSync(), 'reached');
    const cli = startCli(compareArgs(out, 2), { SHIFTLENS_TEST_HOLD: `staged:${signal}` });
    await waitForFile(signal, cli);
    cli.child.kill('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');
    expect(snapshot(out)).toEqual(before);
    expect(outputSiblings(out)).toHaveLength(1); // the dead run's staging folder
    await failingRunInto(out);
    expect(outputSiblings(out)).toEqual([]);
    expect(snapshot(out)).toEqual(before);
  });

  it('SIGKILL between the two renames: both sets wait whole; the next run swaps the new one in', async () => {
    const { out, before } = withOldSet();
    const signal = path.join(tempDirSync(), 'reached');
    const cli = startCli(compareArgs(out, 2), { SHIFTLENS_TEST_HOLD: `swapping:${signal}` });
    await waitForFile(signal, cli);
    cli.child.kill('SIGKILL');
    await cli.done;
    // The only moment without the folder: the old set is whole aside, the new set whole beside it.
    expect(existsSync(out)).toBe(false);
    const siblings = outputSiblings(out).sort();
    expect(siblings.map((n) => n.replace(/-\d+-[0-9a-f]+$/, ''))).toEqual([
      '.out.shiftlens-old',
      '.out.shiftlens-ready',
    ]);
    expect(snapshot(path.join(path.dirname(out), siblings[0]))).toEqual(before);
    expect(Object.keys(snapshot(path.join(path.dirname(out), siblings[1]))).sort()).toEqual(FILES);
    await failingRunInto(out);
    expect(outputSiblings(out)).toEqual([]);
    expect(Object.keys(snapshot(out)).sort()).toEqual(FILES);
    expect(seedOf(out)).toBe(2);
  });

  it('SIGTERM before the swap: the handler removes the new set, the old one stands, the process dies of SIGTERM', async () => {
    const { out, before } = withOldSet();
    const signal = path.join(tempDirSync(), 'reached');
    const cli = startCli(compareArgs(out, 2), { SHIFTLENS_TEST_HOLD: `staged:${signal}` });
    await waitForFile(signal, cli);
    cli.child.kill('SIGTERM');
    const run = await cli.done;
    expect(run.signal).toBe('SIGTERM');
    expect(lines(run.stderr)).toEqual(['shiftlens: interrupted (SIGTERM); temporary files removed']);
    expect(outputSiblings(out)).toEqual([]);
    expect(snapshot(out)).toEqual(before);
  });

  it('SIGINT between the renames: the handler finishes the swap, the new set is whole', async () => {
    const { out } = withOldSet();
    const signal = path.join(tempDirSync(), 'reached');
    const cli = startCli(compareArgs(out, 2), { SHIFTLENS_TEST_HOLD: `swapping:${signal}` });
    await waitForFile(signal, cli);
    cli.child.kill('SIGINT');
    expect((await cli.done).signal).toBe('SIGINT');
    expect(outputSiblings(out)).toEqual([]);
    expect(Object.keys(snapshot(out)).sort()).toEqual(FILES);
    expect(seedOf(out)).toBe(2);
  });
});

describe('a rerun replaces the set', () => {
  it('drops charts/ an earlier --format run wrote, keeps files the user put there', async () => {
    const out = path.join(tempDirSync(), 'out');
    expect((await startCli(compareArgs(out, 1, ['--format', 'svg'])).done).code).toBe(0);
    expect(Object.keys(snapshot(out)).some((f) => f.startsWith('charts/'))).toBe(true);
    cpSync(path.join(inputs, 'ref.jsonl'), path.join(out, 'my-notes.jsonl'));
    expect((await startCli(compareArgs(out, 2)).done).code).toBe(0);
    expect(Object.keys(snapshot(out)).sort()).toEqual(['my-notes.jsonl', ...FILES].sort());
  });
});

describe('disk full while writing', () => {
  const mounted: string[] = [];
  afterAll(() => {
    for (const dir of mounted) unmount(dir);
  });

  it('a small tmpfs that holds one set but not two: exit 2, one line naming the file, old set intact', async (ctx) => {
    const size = Object.values(snapshot(oldSet)).reduce((n, b64) => n + Buffer.from(b64, 'base64').length, 0);
    const disk = path.join(tempDirSync(), 'disk');
    if (!mountTmpfs(disk, `size=${Math.ceil((1.5 * size) / 4096) * 4096}`)) {
      console.warn('test/faults: cannot mount a tmpfs here: the full disk is covered by the injected-error test below');
      ctx.skip();
    }
    mounted.push(disk);
    const out = path.join(disk, 'out');
    cpSync(oldSet, out, { recursive: true });
    const before = snapshot(out);
    const run = await startCli(compareArgs(out, 2)).done;
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^shiftlens: error: cannot write ${disk}/out/\\S+: no space left on the device \\(ENOSPC\\); free some disk space or choose another --out`,
        ),
      ),
    ]);
    expect(snapshot(out)).toEqual(before);
    expect(outputSiblings(out)).toEqual([]);
  });

  it('an injected ENOSPC (where no tmpfs can be mounted): the same one line, old set intact', async () => {
    const { out, before } = withOldSet();
    const run = await startCli(compareArgs(out, 2), { SHIFTLENS_TEST_WRITE_ERROR: 'ENOSPC:summary.md' }).done;
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      `shiftlens: error: cannot write ${out}/summary.md: no space left on the device (ENOSPC); free some disk space or choose another --out; nothing was changed in the output folder`,
    ]);
    expect(snapshot(out)).toEqual(before);
    expect(outputSiblings(out)).toEqual([]);
  });
});
