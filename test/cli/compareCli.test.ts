/**
 * End to end through the real CLI process: real corpora, the real default model, real output files, exit codes,
 * and bad input (exit 2, one line naming what is wrong, no output folder written).
 */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';

const SMALL = ['--max-rows', '60', '--permutations', '99', '--quiet'];

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'shiftlens-cli-'));
}

describe('shiftlens compare on real corpora', () => {
  let outDir: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  // One full run on real corpora shared by the assertions below (the determinism check reruns it once).
  const args = [
    'compare',
    '--reference',
    'spam-assassin:easy-ham-1',
    '--target',
    'spam-assassin:spam-2',
    ...SMALL,
    '--seed',
    '7',
  ];

  beforeAll(async () => {
    outDir = path.join(await tempDir(), 'out');
    run = await runCli([...args, '--out', outDir, '--json']);
  }, 300_000);

  it('exits 0 without --fail-on-shift and writes every output', async () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = (await readdir(outDir)).sort();
    expect(files).toEqual(['report.html', 'result.json', 'summary.md', 'target-scores.csv']);
  });

  it('prints the same result.json on stdout with --json', async () => {
    const fromFile = JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8'));
    expect(JSON.parse(run.stdout)).toEqual(fromFile);
  });

  it('detects ham vs spam as a shift, with every test reporting p-value and effect size', async () => {
    const result = JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8'));
    expect(result.schemaVersion).toMatch(/^1\./);
    expect(result.reference).toMatchObject({ source: 'spam-assassin:easy-ham-1', n: 60 });
    expect(result.model).toMatchObject({ id: 'wordvec:sg100d', dim: 100 });
    expect(result.suite.shiftDetected).toBe(true);
    expect(result.verdict.kind).toBe('shiftNoLabels');
    expect(result.tests.map((t: { name: string }) => t.name).sort()).toEqual([
      'c2st',
      'centroid',
      'energy',
      'frechet',
      'ks-pca',
      'mmd',
    ]);
    for (const t of result.tests) {
      expect(Number.isFinite(t.effectSize)).toBe(true);
      expect(t.pValue).toBeGreaterThan(0);
      expect(t.pValue).toBeLessThanOrEqual(1);
    }
    expect(result.samples.top.length).toBe(20);
    expect(result.pca.components.length).toBe(5);
  });

  it('exits 1 with --fail-on-shift when a shift is detected', async () => {
    // The exit-code contract needs a detected shift, not a corpus: two sets of vectors a clear step apart.
    const dir = await tempDir();
    const vectors = (shift: number) =>
      Array.from({ length: 40 }, (_, i) =>
        JSON.stringify({ embedding: Array.from({ length: 4 }, (_, j) => Math.sin(7 * i + 3 * j) + shift) }),
      ).join('\n');
    await writeFile(path.join(dir, 'ref.jsonl'), vectors(0));
    await writeFile(path.join(dir, 'tgt.jsonl'), vectors(1));
    const gated = await runCli([
      'compare',
      '--reference',
      path.join(dir, 'ref.jsonl'),
      '--target',
      path.join(dir, 'tgt.jsonl'),
      ...SMALL,
      '--tests',
      'mmd,centroid',
      '--out',
      path.join(dir, 'out'),
      '--fail-on-shift',
    ]);
    expect(gated.code).toBe(1);
    const result = JSON.parse(await readFile(path.join(dir, 'out', 'result.json'), 'utf8'));
    expect(result.suite.shiftDetected).toBe(true);
  });

  it('gives identical results for the same --seed', async () => {
    const again = path.join(await tempDir(), 'again');
    expect((await runCli([...args, '--out', again])).code).toBe(0);
    const strip = (r: Record<string, unknown>) => ({
      ...r,
      createdAt: null,
      timings: null,
      tests: (r.tests as Record<string, unknown>[]).map((t) => ({ ...t, timingMs: null })),
    });
    const ra = JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8'));
    const rb = JSON.parse(await readFile(path.join(again, 'result.json'), 'utf8'));
    expect(ra.seed).toBe(7);
    expect(strip(ra)).toEqual(strip(rb));
  }, 300_000);
});

describe('bad input: exit 2, one clear line, no output', () => {
  it.each([
    [['--reference', 'no/such/file.csv', '--target', 'spam-assassin:spam-2'], /no\/such\/file\.csv/],
    [['--reference', 'spam-assassin:easy-ham-9', '--target', 'spam-assassin:spam-2'], /easy-ham-9/],
    [['--reference', 'spam-assassin:easy-ham-1', '--target', 'spam-assassin:spam-2', '--alpha', '2'], /--alpha/],
    [
      [
        '--reference',
        'uci-sentiment:amazon',
        '--target',
        'uci-sentiment:yelp',
        '--model',
        'transformers:no-such-org/no-such-model',
      ],
      /local folder/,
    ],
  ])('%j', async (args, message) => {
    const out = path.join(await tempDir(), 'out');
    const run = await runCli(['compare', ...args, '--out', out, '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')[0]).toMatch(/^shiftlens: error: /);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a CSV without the text column, naming the columns found', async () => {
    const dir = await tempDir();
    const csv = path.join(dir, 'a.csv');
    await writeFile(csv, 'body,label\nhello there,1\nhow are you,0\n');
    const run = await runCli([
      'compare',
      '--reference',
      csv,
      '--target',
      csv,
      '--out',
      path.join(dir, 'out'),
      '--quiet',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/body/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('handles identical precomputed vector sets without NaN', async () => {
    const dir = await tempDir();
    const jsonl = path.join(dir, 'v.jsonl');
    await writeFile(jsonl, '{"embedding":[1,2,3]}\n{"embedding":[2,3,4]}\n{"embedding":[0,1,0]}\n');
    const run = await runCli([
      'compare',
      '--reference',
      jsonl,
      '--input-format',
      'embeddings-jsonl',
      '--target',
      jsonl,
      '--out',
      path.join(dir, 'out'),
      '--quiet',
      '--tests',
      'mmd',
    ]);
    // same file both sides as vectors: valid (identical sets), must not produce NaN
    expect(run.code).toBe(0);
    const result = JSON.parse(await readFile(path.join(dir, 'out', 'result.json'), 'utf8'));
    expect(result.suite.shiftDetected).toBe(false);
  });
});
