import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { checkModelReachable, createEmbedder } from '../../src/embed/registry.js';
import { poolTokenStates, type TokenStates } from '../../src/embed/transformers/hiddenPooling.js';
import {
  encodeTexts,
  loadTransformer,
  runTokenStates,
  type LoadedTransformer,
} from '../../src/embed/transformers/loadTransformer.js';
import { resolveModelSource } from '../../src/embed/transformers/modelSource.js';
import { repoRoot, sharedTableCacheDir, tinyBertDir } from './testCache.js';

interface Reference {
  input_ids: number[][];
  attention_mask: number[][];
  last_hidden_state: number[][][];
}
const reference = JSON.parse(fs.readFileSync(path.join(tinyBertDir, 'reference_output.json'), 'utf8')) as Reference;
const HIDDEN = 32;

let loaded: LoadedTransformer;
/** Token states of ["hello world" padded, "hello world hello"]: row 0 is the reference input. */
let states: TokenStates;
let mask: Uint8Array;

beforeAll(async () => {
  loaded = await loadTransformer(resolveModelSource(tinyBertDir), { modelCacheDir: sharedTableCacheDir });
  const encoded = encodeTexts(loaded, ['hello world', 'hello world hello'], 512);
  mask = encoded.mask;
  expect(Array.from(encoded.inputs.input_ids.data as BigInt64Array, Number)).toEqual([
    101, 7592, 2088, 102, 0, 101, 7592, 2088, 7592, 102,
  ]);
  states = await runTokenStates(loaded, encoded);
});

afterAll(async () => {
  await loaded?.model.dispose();
});

const tokenState = (b: number, t: number) =>
  Array.from(states.data.subarray((b * states.tokens + t) * HIDDEN, (b * states.tokens + t + 1) * HIDDEN));

describe('tiny-bert through @huggingface/transformers', () => {
  it('reproduces the reference hidden states (torch) for the padded input', () => {
    expect(reference.input_ids[0]).toEqual([101, 7592, 2088, 102, 0]);
    expect(Array.from(mask.slice(0, 5))).toEqual(reference.attention_mask[0]);
    expect(states.tokens).toBe(5);
    expect(states.hidden).toBe(HIDDEN);
    let maxDiff = 0;
    for (let t = 0; t < 5; t++) {
      const got = tokenState(0, t);
      reference.last_hidden_state[0][t].forEach((v, h) => (maxDiff = Math.max(maxDiff, Math.abs(v - got[h]))));
    }
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('pools with the attention mask: mean, cls, last, max by hand', () => {
    const realTokens = [0, 1, 2, 3];
    const manualMean = Array.from(
      { length: HIDDEN },
      (_, h) => realTokens.reduce((s, t) => s + tokenState(0, t)[h], 0) / 4,
    );
    const naiveMean = Array.from(
      { length: HIDDEN },
      (_, h) => [0, 1, 2, 3, 4].reduce((s, t) => s + tokenState(0, t)[h], 0) / 5,
    );
    const manualMax = Array.from({ length: HIDDEN }, (_, h) => Math.max(...realTokens.map((t) => tokenState(0, t)[h])));

    const mean = poolTokenStates(states, mask, 'mean');
    const cls = poolTokenStates(states, mask, 'cls');
    const last = poolTokenStates(states, mask, 'last');
    const max = poolTokenStates(states, mask, 'max');
    const row = (m: { data: Float32Array }, b: number) => Array.from(m.data.subarray(b * HIDDEN, (b + 1) * HIDDEN));

    row(mean, 0).forEach((v, h) => expect(v).toBeCloseTo(manualMean[h], 5));
    // Padding must not leak: the naive mean over all 5 positions is measurably different.
    const leak = Math.max(...manualMean.map((v, h) => Math.abs(v - naiveMean[h])));
    expect(leak).toBeGreaterThan(1e-2);
    expect(row(cls, 0)).toEqual(tokenState(0, 0));
    expect(row(last, 0)).toEqual(tokenState(0, 3)); // [SEP], not the padding after it
    expect(row(last, 1)).toEqual(tokenState(1, 4));
    row(max, 0).forEach((v, h) => expect(v).toBe(manualMax[h]));
  });

  it('last-token pooling finds the last real token under left padding too', () => {
    // Rebuild the batch left-padded: row 0 becomes [pad, 101, 7592, 2088, 102].
    const shifted = new Float32Array(states.data);
    const leftMask = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    for (let t = 0; t < 4; t++) shifted.set(tokenState(0, t), (t + 1) * HIDDEN);
    shifted.set(new Float32Array(HIDDEN).fill(99), 0);
    const left = { ...states, data: shifted };
    expect(Array.from(poolTokenStates(left, leftMask, 'last').data.subarray(0, HIDDEN))).toEqual(tokenState(0, 3));
    expect(Array.from(poolTokenStates(left, leftMask, 'cls').data.subarray(0, HIDDEN))).toEqual(tokenState(0, 0));
    const mean = Array.from(poolTokenStates(left, leftMask, 'mean').data.subarray(0, HIDDEN));
    const right = Array.from(poolTokenStates(states, mask, 'mean').data.subarray(0, HIDDEN));
    mean.forEach((v, h) => expect(v).toBeCloseTo(right[h], 6));
  });
});

describe('encoding: truncation keeps special tokens, padding side is honoured', () => {
  it('a long text is cut to maxLength with [SEP] kept at the end (transformers.js alone would drop it)', () => {
    const encoded = encodeTexts(loaded, ['one two three four five six seven eight nine ten', 'hi'], 8);
    const ids = Array.from(encoded.inputs.input_ids.data as BigInt64Array, Number);
    expect(ids.slice(0, 8)).toEqual([101, 2028, 2048, 2093, 2176, 2274, 2416, 102]);
    expect(ids.slice(8)).toEqual([101, 7632, 102, 0, 0, 0, 0, 0]);
    expect(encoded.truncated).toEqual([true, false]);
    expect(encoded.lengths).toEqual([8, 3]);
    expect(Array.from(encoded.inputs.token_type_ids.data as BigInt64Array, Number)).toEqual(new Array(16).fill(0));
  });

  it('honours a left-padding tokenizer: pads first, mask follows, last pooling takes the final position', async () => {
    // BERT has no position_ids input, so its states shift under left padding (hence BERT pads right); GPT-style
    // models get mask-aware position ids from transformers.js. Here only the padding and pooling mechanics are checked.
    const side = loaded.tokenizer.padding_side;
    loaded.tokenizer.padding_side = 'left';
    try {
      const left = encodeTexts(loaded, ['hello world', 'hello world hello'], 512);
      expect(Array.from(left.inputs.input_ids.data as BigInt64Array, Number)).toEqual([
        0, 101, 7592, 2088, 102, 101, 7592, 2088, 7592, 102,
      ]);
      expect(Array.from(left.mask)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
      const leftStates = await runTokenStates(loaded, left);
      const last = poolTokenStates(leftStates, left.mask, 'last').data.subarray(0, HIDDEN);
      const cls = poolTokenStates(leftStates, left.mask, 'cls').data.subarray(0, HIDDEN);
      expect(Array.from(last)).toEqual(Array.from(leftStates.data.subarray(4 * HIDDEN, 5 * HIDDEN)));
      expect(Array.from(cls)).toEqual(Array.from(leftStates.data.subarray(1 * HIDDEN, 2 * HIDDEN)));
    } finally {
      loaded.tokenizer.padding_side = side;
    }
  });
});

describe('transformers:<local folder> embedder', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await createEmbedder(`transformers:${tinyBertDir}`, { cacheDir: null, batchSize: 2 });
  });
  afterAll(async () => {
    await embedder?.dispose();
  });

  it('mean of a padded batch equals the single-text result, and matches the reference tokens', async () => {
    const alone = await embedder.embed(['hello world']);
    const batched = await embedder.embed(['hello world', 'a considerably longer sentence that forces padding']);
    const a = Array.from(alone.vectors.data);
    const b = Array.from(batched.vectors.data.subarray(0, HIDDEN));
    a.forEach((v, h) => expect(b[h]).toBeCloseTo(v, 5));
    const fromReference = Array.from(
      { length: HIDDEN },
      (_, h) => [0, 1, 2, 3].reduce((s, t) => s + reference.last_hidden_state[0][t][h], 0) / 4,
    );
    a.forEach((v, h) => expect(v).toBeCloseTo(fromReference[h], 4));
    expect(embedder.info).toMatchObject({ backend: 'transformers', dim: HIDDEN, pooling: 'mean', maxTokens: 512 });
    expect(batched.oovRate).toBeNull();
    expect(batched.nTruncated).toBe(0);
  });

  it('counts truncation at maxLength and cuts a 10 MB text quickly', async () => {
    const short = await createEmbedder(`transformers:${tinyBertDir}`, { cacheDir: null, maxLength: 8 });
    try {
      const huge = 'word '.repeat(2_000_000); // 10 MB
      const out = await short.embed(['hello world', 'one two three four five six seven eight nine ten', huge]);
      expect(out.nTruncated).toBe(2);
      expect(short.info.maxTokens).toBe(8);
      // The truncated text equals its first 6 word tokens plus [CLS]/[SEP]: same as embedding that prefix.
      const prefix = await short.embed(['one two three four five six']);
      Array.from(prefix.vectors.data).forEach((v, h) => expect(out.vectors.data[HIDDEN + h]).toBeCloseTo(v, 5));
    } finally {
      await short.dispose();
    }
  });

  it('relative folder paths load too, and a folder missing files is an input error', async () => {
    const relative = path.relative(process.cwd(), tinyBertDir);
    expect(resolveModelSource(relative)).toMatchObject({ kind: 'local', dir: tinyBertDir });
    expect(() => resolveModelSource(path.join(repoRoot, 'src'))).toThrow(/lacks config.json/);
  });

  it('rejects a max length beyond the model positions and a pooling that does not apply', async () => {
    await expect(createEmbedder(`transformers:${tinyBertDir}`, { cacheDir: null, maxLength: 4096 })).rejects.toThrow(
      /exceeds the 512 positions/,
    );
    await expect(createEmbedder(`transformers:${tinyBertDir}`, { cacheDir: null, pooling: 'sif' })).rejects.toThrow(
      /pooling "sif" does not apply/,
    );
  });
});

describe('model spec errors', () => {
  it('unknown hub id without network says how to use a local folder', async () => {
    // No network, deterministically: point the hub at a closed local port (connection refused at once).
    const { env } = await import('@huggingface/transformers');
    const host = env.remoteHost;
    env.remoteHost = 'http://127.0.0.1:9/';
    const error = await createEmbedder('transformers:shiftlens-test/no-such-model-xyz', {
      cacheDir: null,
      artifactsDir: sharedTableCacheDir,
    })
      .catch((e: unknown) => e)
      .finally(() => {
        env.remoteHost = host;
      });
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/no-such-model-xyz/);
    expect((error as Error).message).toMatch(/--model transformers:\/path\/to\/folder/);
  });

  it('before any data: a hub model that cannot be fetched is refused, one already downloaded passes offline', async () => {
    // No network, deterministically (a closed local port), and a download cache holding one model's config.json
    // where the library keeps it (<cache>/models/<id>/config.json).
    const { env } = await import('@huggingface/transformers');
    const host = env.remoteHost;
    env.remoteHost = 'http://127.0.0.1:9/';
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlens-hub-reach-'));
    try {
      const cached = path.join(cache, 'models', 'shiftlens-test', 'downloaded-before');
      fs.mkdirSync(cached, { recursive: true });
      fs.copyFileSync(path.join(tinyBertDir, 'config.json'), path.join(cached, 'config.json'));
      await expect(
        checkModelReachable('transformers:shiftlens-test/downloaded-before', { cacheDir: null, artifactsDir: cache }),
      ).resolves.toBeUndefined();
      const error = await checkModelReachable('transformers:shiftlens-test/never-downloaded', {
        cacheDir: null,
        artifactsDir: cache,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(
        /^cannot load "shiftlens-test\/never-downloaded" from the Hugging Face Hub/,
      );
      expect((error as Error).message).toMatch(/--model transformers:\/path\/to\/folder/);
      // Nothing was written for the model that could not be fetched; a local folder and word vectors look nowhere.
      expect(fs.existsSync(path.join(cache, 'models', 'shiftlens-test', 'never-downloaded'))).toBe(false);
      await expect(checkModelReachable(`transformers:${tinyBertDir}`, { cacheDir: null })).resolves.toBeUndefined();
      await expect(checkModelReachable('wordvec:sg100d', { cacheDir: null })).resolves.toBeUndefined();
      await expect(checkModelReachable('wordvec:nope', { cacheDir: null })).rejects.toThrow(
        /unknown word-vector model/,
      );
    } finally {
      env.remoteHost = host;
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('a missing folder path and an unknown backend are input errors', async () => {
    await expect(createEmbedder('transformers:./no/such/folder', { cacheDir: null })).rejects.toThrow(
      /does not exist.*local folder/,
    );
    await expect(createEmbedder('bert-base', { cacheDir: null })).rejects.toThrow(InputError);
    await expect(createEmbedder('precomputed', { cacheDir: null })).rejects.toThrow(/carry vectors/);
  });
});
