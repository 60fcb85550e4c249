/**
 * Bad input that the options and the file headers show is refused before any work: one `shiftlens: error:` line
 * naming the file, column, group or model, exit 2 — and, as evidence that nothing was loaded, no cache folder created
 * (the word-vector table would be converted into it), no output folder, and a reference whose third row is broken
 * never read (reading it would fail on that row first).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-failfast-'));
  // Row 3 has three fields where the header has two: reading this file's rows is an error.
  await writeFile(path.join(dir, 'brokenrows.csv'), 'text,label\nfine row,a\nalso fine,b\nbroken,row,here\n');
  await writeFile(path.join(dir, 'stream.csv'), 'when,text\n2024-01-01,hello there\n2024-01-02,how are you\n');
  await writeFile(
    path.join(dir, 'records.jsonl'),
    '{"body":"hello there","label":"a"}\n{"body":"again","label":"b"}\n',
  );
});

afterAll(() => rm(dir, { recursive: true, force: true }));

async function refused(args: string[], message: RegExp): Promise<void> {
  const cache = path.join(dir, `cache-${args[0]}-${Math.random().toString(36).slice(2)}`);
  // Each command's kind of --out: a folder, embed's vectors file, reference build's bundle.
  const out = path.join(
    dir,
    `out-${path.basename(cache)}${{ embed: '.parquet', reference: '.shiftlens' }[args[0]] ?? ''}`,
  );
  const run = await runCli([...args, '--out', out, '--quiet'], {
    cwd: dir,
    env: { SHIFTLENS_CACHE_DIR: cache },
  });
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(message)]);
  expect(run.stderr).toMatch(/^shiftlens: error: /);
  expect(existsSync(cache)).toBe(false);
  expect(existsSync(out)).toBe(false);
}

describe('refused from the options and headers, before any model, table or row loads', () => {
  it.each([
    [
      'a target column missing from its header (the reference rows never read)',
      ['compare', '--reference', 'brokenrows.csv', '--target', 'stream.csv', '--label-column', 'label'],
      /^shiftlens: error: stream\.csv: no column "label" \(--label-column\); columns found: "when", "text"$/,
    ],
    [
      'an unknown corpus group on the target (the reference rows never read)',
      ['compare', '--reference', 'brokenrows.csv', '--target', 'spam-assassin:easy-ham-9'],
      /^shiftlens: error: spam-assassin:easy-ham-9: unknown spam-assassin group "easy-ham-9"/,
    ],
    [
      "monitor's time column, before the reference is embedded and fitted",
      [
        'monitor',
        '--reference',
        'uci-sentiment:amazon',
        '--target',
        'stream.csv',
        '--time-column',
        'ts',
        '--window',
        '1d',
      ],
      /^shiftlens: error: stream\.csv: no column "ts" \(--time-column\); columns found: "when", "text"$/,
    ],
    [
      'a JSONL text field missing from the first record',
      ['probe', '--reference', 'uci-sentiment:amazon', '--target', 'records.jsonl', '--label-column', 'class'],
      /^shiftlens: error: records\.jsonl line 1: no "text" column; pass --text-column with one of the columns found: "body", "label"$/,
    ],
    [
      "a corpus's group column",
      ['reference', 'build', '--reference', 'uci-sentiment:amazon', '--group-column', 'thread'],
      /^shiftlens: error: uci-sentiment:amazon: no column "thread" \(--group-column\); columns found: "text", "class", "site"$/,
    ],
    [
      'a model folder that does not exist (the reference rows never read)',
      ['compare', '--reference', 'brokenrows.csv', '--target', 'stream.csv', '--model', 'transformers:./no-such-model'],
      /^shiftlens: error: model folder .*no-such-model does not exist; to run offline, use a local folder/,
    ],
    [
      'an openai model without its key variable',
      [
        'embed',
        '--input',
        'brokenrows.csv',
        '--model',
        'openai:some-model',
        '--embed-key-env',
        'SHIFTLENS_NO_SUCH_KEY',
      ],
      /^shiftlens: error: the embedding API key is read from the environment variable SHIFTLENS_NO_SUCH_KEY, which is not set/,
    ],
    [
      "embed's id column",
      ['embed', '--input', 'stream.csv', '--id-column', 'uid'],
      /^shiftlens: error: stream\.csv: no column "uid" \(--id-column\); columns found: "when", "text"$/,
    ],
  ])('%s', async (_what, args, message) => refused(args, message));
});
