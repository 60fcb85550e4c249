/**
 * openai:<model> against a real HTTP server on loopback (test/embed/openaiServer.ts): vectors identical to the
 * server's deterministic ones, batching and concurrency, retries on 429 (Retry-After honoured), 500 and a reply
 * past the timeout, per-row errors for rejected inputs found by bisection, TEI-style 413 batch caps, the
 * `dimensions` parameter, the cache (model, URL and dimensions in its key), and one clean error — nothing cached
 * — for a wrong count or dimension, NaN, malformed JSON, a refused key or an unknown model.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { EmbeddingCache } from '../../src/embed/cache/embeddingCache.js';
import type { RetryEvent } from '../../src/embed/openai/endpointOptions.js';
import { createEmbedder, type EmbedderOptions } from '../../src/embed/registry.js';
import { FakeEmbeddingServer, hashVector, NATIVE_DIM } from './openaiServer.js';

const KEY_ENV = 'SHIFTLENS_TEST_EMBED_KEY';
const KEY = 'sk-test-do-not-print-9f8e7d';

function texts(n: number, prefix = 'sample'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix} text number ${i} ${'word '.repeat(i % 7)}`.trim());
}

function expected(list: string[], dim: number): Float32Array {
  const out = new Float32Array(list.length * dim);
  list.forEach((t, i) => out.set(hashVector(t, dim), i * dim));
  return out;
}

let server: FakeEmbeddingServer;
let retries: RetryEvent[];

beforeEach(async () => {
  process.env[KEY_ENV] = KEY;
  server = await new FakeEmbeddingServer().start();
  retries = [];
});

afterEach(async () => {
  delete process.env[KEY_ENV];
  await server.stop();
});

function options(extra: Partial<EmbedderOptions> = {}, endpoint: EmbedderOptions['endpoint'] = {}): EmbedderOptions {
  return {
    cacheDir: null,
    ...extra,
    endpoint: {
      url: server.url,
      keyEnv: KEY_ENV,
      retryBaseMs: 5,
      timeoutMs: 5000,
      onRetry: (e) => retries.push(e),
      ...endpoint,
    },
  };
}

async function embedAll(list: string[], opts: EmbedderOptions, origins?: string[]) {
  const embedder = await createEmbedder('openai:test-embed', opts);
  try {
    return { embedder, result: await embedder.embed(list, { origins }) };
  } finally {
    await embedder.dispose();
  }
}

async function errorOf(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('openai backend on a loopback server', () => {
  it('returns exactly the server’s vectors, in input order, in requests within the limits', async () => {
    const list = texts(203);
    const { embedder, result } = await embedAll(list, options({ batchSize: 16 }, { concurrency: 3 }));
    expect(embedder.info).toMatchObject({ id: 'openai:test-embed', backend: 'openai', dim: NATIVE_DIM });
    expect(result.vectors.rows).toBe(203);
    expect(Array.from(result.vectors.data)).toEqual(Array.from(expected(list, NATIVE_DIM)));
    // One probe request, then ceil(203 / 16) requests of at most 16 inputs.
    expect(server.requests[0].inputs).toEqual(['shiftlens dimension probe']);
    const embedRequests = server.requests.slice(1);
    expect(embedRequests.length).toBe(Math.ceil(203 / 16));
    expect(Math.max(...embedRequests.map((r) => r.inputs.length))).toBe(16);
    expect(embedRequests.flatMap((r) => r.inputs).sort()).toEqual([...list].sort());
    expect(server.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(retries).toEqual([]);
  });

  it('keeps to the approximate token budget per request', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `${i} ${'lorem ipsum '.repeat(50)}`); // ~200 tokens each
    const { result } = await embedAll(long, options({}, { maxTokensPerRequest: 700 }));
    expect(Array.from(result.vectors.data)).toEqual(Array.from(expected(long, NATIVE_DIM)));
    const sizes = server.requests.slice(1).map((r) => r.inputs.length);
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('retries a 429 after its Retry-After, a 500 and a reply past the timeout, and still returns exact vectors', async () => {
    // Delta-seconds, a fraction of one so the wait stays short (the client reads it as openai's own client does).
    server.faults.set(1, { kind: 'status', status: 429, retryAfter: '0.2' });
    server.faults.set(2, { kind: 'status', status: 500 });
    server.faults.set(3, { kind: 'slow', delayMs: 3000 });
    const list = texts(10);
    const { result } = await embedAll(list, options({ batchSize: 10 }, { timeoutMs: 400 }));
    expect(Array.from(result.vectors.data)).toEqual(Array.from(expected(list, NATIVE_DIM)));
    expect(retries.map((r) => r.reason)).toEqual([
      'HTTP 429: scripted 429',
      'HTTP 500: scripted 500',
      'no reply within 0.4 s',
    ]);
    expect(retries[0]).toMatchObject({ attempt: 1, delayMs: 200, fromRetryAfter: true });
    expect(retries[1]).toMatchObject({ attempt: 2, fromRetryAfter: false });
    // Exponential backoff with equal jitter: retry 2 waits in [base, 2 base), retry 3 in [2 base, 4 base).
    expect(retries[1].delayMs).toBeGreaterThanOrEqual(5);
    expect(retries[1].delayMs).toBeLessThan(10);
    expect(retries[2].delayMs).toBeGreaterThanOrEqual(10);
    expect(retries[2].delayMs).toBeLessThan(20);
    expect(server.requests.map((r) => r.status)).toEqual([200, 429, 500, 0, 200]);
  });

  it('honours retry-after-ms and gives up after --embed-retries with one line', async () => {
    for (let n = 1; n <= 3; n++) server.faults.set(n, { kind: 'status', status: 503, retryAfterMs: '20' });
    const error = await errorOf(embedAll(texts(4), options({}, { maxRetries: 2 })));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`test-embed at ${server.url}: gave up after 2 retries (last: HTTP 503: scripted 503)`);
    expect(retries.map((r) => [r.delayMs, r.fromRetryAfter])).toEqual([
      [20, true],
      [20, true],
    ]);
  });

  it('finds the rejected rows by bisection, names them by origin, embeds and caches the rest', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-openai-'));
    const list = texts(40);
    list[5] = 'REJECT this one';
    list[17] = 'and REJECT this one too';
    const origins = list.map((_, i) => `data.jsonl line ${i + 1}`);
    const error = await errorOf(embedAll(list, options({ cacheDir, batchSize: 40 }), origins));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "openai:test-embed refused 2 texts: data.jsonl line 6 (HTTP 400: Input 0 is over this model's maximum context length); " +
        "data.jsonl line 18 (HTTP 400: Input 0 is over this model's maximum context length); shorten or drop those rows and rerun (the others are cached)",
    );
    expect(error.message).not.toContain('\n');
    // A rerun without the two rows is served from the cache entirely: no request at all (the probe is cached too).
    const kept = list.filter((_, i) => i !== 5 && i !== 17);
    const before = server.requests.length;
    const { result } = await embedAll(kept, options({ cacheDir }));
    expect(server.requests.length).toBe(before);
    expect(result.nCached).toBe(38);
    expect(Array.from(result.vectors.data)).toEqual(Array.from(expected(kept, NATIVE_DIM)));
  });

  it('adapts to a server batch cap answered with 413 (Hugging Face TEI)', async () => {
    server.maxBatch = 8;
    const list = texts(64);
    const { result } = await embedAll(list, options({ batchSize: 32 }, { concurrency: 1 }));
    expect(Array.from(result.vectors.data)).toEqual(Array.from(expected(list, NATIVE_DIM)));
    const statuses = server.requests.map((r) => r.status);
    // 32 → 413, 16 → 413, then requests of 8; the cap is remembered, so the second batch is planned at 16, not 32.
    expect(statuses.filter((s) => s === 413).length).toBe(3);
    expect(
      server.requests
        .filter((r) => r.status === 200)
        .slice(-4)
        .every((r) => r.inputs.length === 8),
    ).toBe(true);
  });

  it('sends dimensions, checks them, and keeps them apart in the cache', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-openai-'));
    const list = texts(6);
    const small = await embedAll(list, options({ cacheDir }, { dimensions: 5 }));
    expect(small.embedder.info.dim).toBe(5);
    expect(server.requests.every((r) => r.dimensions === 5)).toBe(true);
    expect(Array.from(small.result.vectors.data)).toEqual(Array.from(expected(list, 5)));
    const native = await embedAll(list, options({ cacheDir }));
    expect(native.result.nCached).toBe(0);
    expect(Array.from(native.result.vectors.data)).toEqual(Array.from(expected(list, NATIVE_DIM)));
  });

  it.each([
    [
      'wrongDim',
      `test-embed at URL returned a 7-d embedding where 8-d was expected (the model's dimension, or --embed-dimensions)`,
    ],
    ['wrongCount', 'test-embed at URL returned 4 embeddings for 5 inputs'],
    ['nan', "test-embed at URL returned NaN or Infinity in an embedding; the server's model output is broken"],
  ] as const)('a reply with %s is one clean error and nothing is cached', async (kind, message) => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-openai-'));
    server.faults.set(1, { kind });
    const error = await errorOf(embedAll(texts(5), options({ cacheDir })));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(message.replace('URL', server.url));
    expect(retries).toEqual([]);
    const cache = EmbeddingCache.openInDir(cacheDir);
    expect(cache.count()).toBe(1); // the dimension probe only
    cache.close();
  });

  it('malformed JSON is one clean error naming the server', async () => {
    server.faults.set(1, { kind: 'malformed' });
    const error = await errorOf(embedAll(texts(5), options()));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(new RegExp(`^test-embed at ${server.url} returned malformed JSON \\(`));
    expect(error.message).not.toContain('\n');
  });

  it('a refused key names the variable, never the key; an unknown model says so before any batch', async () => {
    process.env[KEY_ENV] = 'wrong-key';
    const refused = await errorOf(createEmbedder('openai:test-embed', options()));
    expect(refused.message).toBe(
      `test-embed at ${server.url}: HTTP 401, the key was refused (Incorrect API key provided); check the key in $${KEY_ENV}`,
    );
    process.env[KEY_ENV] = KEY;
    const unknown = await errorOf(createEmbedder('openai:no-such-model', options()));
    expect(unknown.message).toContain('HTTP 404 (The model `no-such-model` does not exist)');
    for (const e of [refused, unknown]) expect(e.message).not.toContain(KEY);
  });

  it('refuses a missing key variable, a bad URL and stray options up front, without a request', async () => {
    delete process.env[KEY_ENV];
    const missing = await errorOf(createEmbedder('openai:test-embed', options()));
    expect(missing).toBeInstanceOf(InputError);
    expect(missing.message).toContain(`environment variable ${KEY_ENV}, which is not set`);
    process.env[KEY_ENV] = KEY;
    const url = await errorOf(createEmbedder('openai:test-embed', options({}, { url: 'localhost:11434' })));
    expect(url.message).toContain('--embed-url "localhost:11434"');
    const pooling = await errorOf(createEmbedder('openai:test-embed', options({ pooling: 'cls' })));
    expect(pooling.message).toBe('--pooling does not apply to openai:test-embed: the server pools and truncates');
    const stray = await errorOf(createEmbedder('wordvec:sg100d', { endpoint: { url: server.url } }));
    expect(stray.message).toBe('the --embed-* options apply to openai:<model> only, not to wordvec:sg100d');
    expect(server.requests).toEqual([]);
  });

  it('talks to a keyless local server without an Authorization header', async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const { result } = await embedAll(texts(3), { cacheDir: null, endpoint: { url: server.url, retryBaseMs: 5 } });
      expect(result.vectors.rows).toBe(3);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
    expect(server.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('a dead port at start is retried once, then one line (not the full backoff)', async () => {
    const url = server.url;
    await server.stop();
    const error = await errorOf(createEmbedder('openai:test-embed', options({}, { url, maxRetries: 6 })));
    expect(retries.length).toBe(1);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`test-embed at ${url}: gave up after 1 retry (last: connection failed (ECONNREFUSED))`);
    server = await new FakeEmbeddingServer().start();
  });
});
