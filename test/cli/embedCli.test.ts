/**
 * `shiftlens embed` through the real CLI process: real corpora embedded with the default model and exported to
 * .parquet and .npy (same vectors, ids beside), then `compare` on the exports (one side read through each
 * format) gives the same tests and suite decision as comparing the texts directly (same seed); openai:<model> against a loopback
 * server run by this test (key from the environment, never printed); and bad --out / server faults: exit 2, one
 * line, nothing written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEmbeddingServer, hashVector, NATIVE_DIM } from '../embed/openaiServer.js';
import { tinyBertDir } from '../helpers/repoPaths.js';
import { runCli } from './runCli.js';

const SEED = ['--seed', '5'];

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'shiftlens-embed-'));
}

async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({ file: await asyncBufferFromFile(file) });
}

function npyMatrix(bytes: Buffer): { shape: number[]; data: Float32Array } {
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  const shape = (/'shape': \((\d+), (\d+)\)/.exec(header) ?? []).slice(1).map(Number);
  const data = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(10 + headerLength + 4 * i);
  return { shape, data };
}

/** result.json without what legitimately differs between runs and sources (times, source names). */
function comparable(result: Record<string, unknown>) {
  return {
    tests: (result.tests as Record<string, unknown>[]).map((t) => ({ ...t, timingMs: null })),
    suite: result.suite,
    verdict: result.verdict,
  };
}

describe('shiftlens embed → Parquet / .npy → compare', () => {
  let dir: string;
  const sides = { reference: 'uci-sentiment:amazon', target: 'uci-sentiment:yelp' } as const;
  // The reference in both formats (compared vector for vector below); the target in one, so that the compare on
  // the exports reads one side through each format.
  const exports = [
    ['reference', 'parquet'],
    ['reference', 'npy'],
    ['target', 'parquet'],
  ] as const;

  beforeAll(async () => {
    dir = await tempDir();
    for (const [side, ext] of exports) {
      const run = await runCli([
        'embed',
        '--input',
        sides[side],
        '--out',
        path.join(dir, `${side}.${ext}`),
        '--max-rows',
        '60',
        ...SEED,
        '--quiet',
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
  }, 300_000);

  it('writes the same vectors to both formats, with the row origins as ids', async () => {
    const rows = await readParquet(path.join(dir, 'reference.parquet'));
    const npy = npyMatrix(await readFile(path.join(dir, 'reference.npy')));
    expect(npy.shape).toEqual([60, 100]);
    expect(rows.length).toBe(60);
    const fromParquet = new Float32Array(rows.flatMap((r) => r.embedding as number[]));
    expect(Array.from(fromParquet)).toEqual(Array.from(npy.data));
    const ids = (await readFile(path.join(dir, 'reference.ids.txt'), 'utf8')).split('\n').slice(0, -1);
    expect(ids).toEqual(rows.map((r) => r.id));
    expect(ids[0]).toMatch(/^uci-sentiment:amazon #\d+$/);
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path.join(dir, 'reference.parquet')));
    expect(metadata.key_value_metadata).toContainEqual({ key: 'shiftlens.model', value: 'wordvec:sg100d' });
  });

  it('compare on the exports (.npy reference, Parquet target) gives the result of the texts themselves', async () => {
    const results: Record<string, unknown>[] = [];
    for (const [reference, target] of [
      [path.join(dir, 'reference.npy'), path.join(dir, 'target.parquet')],
      [sides.reference, sides.target],
    ]) {
      const out = path.join(dir, `out-${results.length}`);
      const args = ['compare', '--reference', reference, '--target', target, '--permutations', '99', ...SEED];
      const run = await runCli([
        ...args,
        ...(results.length === 1 ? ['--max-rows', '60'] : []),
        '--out',
        out,
        '--quiet',
      ]);
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.code).toBe(0);
      results.push(JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')));
    }
    const [exported, texts] = results.map(comparable);
    expect(exported.tests).toEqual(texts.tests);
    expect(exported.suite).toEqual(texts.suite);
    expect((results[0].model as { id: string }).id).toBe('precomputed');
    expect((results[0].target as { n: number }).n).toBe(60);
  }, 300_000);
});

describe('shiftlens embed with openai:<model> on a loopback server', () => {
  const KEY = 'sk-cli-test-secret-42';
  let server: FakeEmbeddingServer;
  let dir: string;
  let input: string;
  const texts = Array.from({ length: 25 }, (_, i) => `customer message ${i} about order ${i * 7}`);

  beforeAll(async () => {
    server = await new FakeEmbeddingServer().start();
    dir = await tempDir();
    input = path.join(dir, 'messages.jsonl');
    await writeFile(input, texts.map((t, i) => JSON.stringify({ text: t, ticket: `T-${i}` })).join('\n'));
  });

  afterAll(async () => {
    await server.stop();
  });

  const args = (out: string, extra: string[] = []) => [
    'embed',
    '--input',
    input,
    '--id-column',
    'ticket',
    '--model',
    'openai:test-embed',
    '--embed-url',
    server.url,
    '--embed-key-env',
    'SHIFTLENS_CLI_KEY',
    '--cache-dir',
    path.join(dir, 'cache'),
    '--batch-size',
    '10',
    '--out',
    out,
    ...extra,
  ];

  it("exports the server's vectors with the ids, retries a 429, and never prints the key", async () => {
    server.faults.set(1, { kind: 'status', status: 429, retryAfterMs: '200' });
    const out = path.join(dir, 'messages.parquet');
    const run = await runCli(args(out), { env: { SHIFTLENS_CLI_KEY: KEY } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('shiftlens: test-embed: HTTP 429: scripted 429; retry 1 in 0.2 s (Retry-After)\n');
    expect(run.stderr + run.stdout).not.toContain(KEY);
    expect(server.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    const rows = await readParquet(out);
    expect(rows.map((r) => r.id)).toEqual(texts.map((_, i) => `T-${i}`));
    const got = new Float32Array(rows.flatMap((r) => r.embedding as number[]));
    const want = new Float32Array(texts.flatMap((t) => Array.from(hashVector(t, NATIVE_DIM))));
    expect(Array.from(got)).toEqual(Array.from(want));
    // The cache is filled: a second export makes no request.
    const before = server.requests.length;
    const again = await runCli(args(path.join(dir, 'again.npy'), ['--quiet']), { env: { SHIFTLENS_CLI_KEY: KEY } });
    expect(again.code).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(npyMatrix(await readFile(path.join(dir, 'again.npy'))).data).toEqual(want);
  }, 120_000);

  it('a server reply of the wrong dimension is exit 2, one line, and nothing written', async () => {
    const out = path.join(dir, 'broken.parquet');
    server.faults.clear();
    server.faults.set(server.requests.length + 1, { kind: 'wrongDim' }); // after the probe
    const run = await runCli(args(out, ['--no-cache', '--quiet']), { env: { SHIFTLENS_CLI_KEY: KEY } });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `shiftlens: error: test-embed at ${server.url} returned a 7-d embedding where 8-d was expected (the model's dimension, or --embed-dimensions)\n`,
    );
    expect(existsSync(out)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('broken'))).toEqual([]);
  }, 120_000);

  it('compare --model openai:<model> embeds both sides through the server and records the backend', async () => {
    const target = path.join(dir, 'other.jsonl');
    await writeFile(target, texts.map((t) => JSON.stringify({ text: `${t} refund please` })).join('\n'));
    const out = path.join(dir, 'compare-out');
    const run = await runCli(
      [
        'compare',
        '--reference',
        input,
        '--target',
        target,
        '--model',
        'openai:test-embed',
        '--embed-url',
        server.url,
        '--embed-key-env',
        'SHIFTLENS_CLI_KEY',
        '--no-cache',
        '--permutations',
        '99',
        '--out',
        out,
        '--quiet',
      ],
      { env: { SHIFTLENS_CLI_KEY: KEY } },
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
    expect(result.model).toMatchObject({ id: 'openai:test-embed', backend: 'openai', dim: NATIVE_DIM });
    expect(JSON.stringify(result)).not.toContain(KEY);
  }, 120_000);

  it("check against a bundle built on a server that needs no key: the bundle's server, no --embed-url, no key", async () => {
    const bundle = path.join(dir, 'served.shiftlens');
    const built = await runCli(
      [
        'reference',
        'build',
        '--reference',
        input,
        '--model',
        'openai:test-embed',
        '--embed-url',
        server.url,
        '--no-cache',
        '--out',
        bundle,
        '--quiet',
      ],
      { env: { OPENAI_API_KEY: '' } },
    );
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const target = path.join(dir, 'served-target.jsonl');
    await writeFile(target, texts.map((t) => JSON.stringify({ text: `${t} where is it` })).join('\n'));
    const before = server.requests.length;
    const out = path.join(dir, 'served-check');
    const checked = await runCli(
      ['check', '--bundle', bundle, '--target', target, '--no-cache', '--permutations', '99', '--out', out, '--quiet'],
      { env: { OPENAI_API_KEY: '' } },
    );
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    expect(server.requests.length).toBeGreaterThan(before); // the target went to the bundle's server
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
    expect(result.model).toMatchObject({ id: 'openai:test-embed', backend: 'openai' });
  }, 120_000);

  it('a missing key variable is exit 2 before any request', async () => {
    const before = server.requests.length;
    const run = await runCli(args(path.join(dir, 'nokey.parquet'), ['--quiet']), { env: { SHIFTLENS_CLI_KEY: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('environment variable SHIFTLENS_CLI_KEY, which is not set');
    expect(server.requests.length).toBe(before);
  });
});

describe('parallel transformer embedding', () => {
  it('2 worker threads give bit-identical vectors to one thread (tiny-bert, several batches, a partial last one)', async () => {
    const dir = await tempDir();
    const files: Buffer[] = [];
    for (const workers of ['1', '2']) {
      const out = path.join(dir, `w${workers}.npy`);
      const run = await runCli([
        'embed',
        '--input',
        'uci-sentiment:yelp',
        '--max-rows',
        '70',
        '--model',
        `transformers:${tinyBertDir}`,
        '--batch-size',
        '8',
        '--embed-workers',
        workers,
        '--no-cache',
        '--quiet',
        '--out',
        out,
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      files.push(await readFile(out));
    }
    const [one, two] = files.map(npyMatrix);
    expect(one.shape).toEqual([70, two.shape[1]]);
    expect(Buffer.compare(files[0], files[1])).toBe(0);
    expect(one.data.some((v) => v !== 0)).toBe(true);
  }, 300_000);
});

describe('shiftlens embed: bad --out', () => {
  it.each([
    [['--out', 'vectors.csv'], /--out vectors\.csv: write embeddings to a \.parquet or \.npy file/],
    [['--out', 'no/such/folder/v.parquet'], /the folder no\/such\/folder does not exist/],
  ])('%j is exit 2 with one line', async (extra, message) => {
    const run = await runCli(['embed', '--input', 'spam-assassin:spam-2', ...extra, '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
