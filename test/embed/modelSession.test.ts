/**
 * The fast path of the transformers backend (our WordPiece tokenizer + a direct onnxruntime session on the model
 * file) against the library path (@huggingface/transformers' tokenizer and model call) on tiny-bert: the same ids,
 * masks, token states and pooled vectors bit for bit, on the reference input and on real corpus texts; and the
 * fallbacks to the library where the fast path does not apply.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolTokenStates } from '../../src/embed/transformers/hiddenPooling.js';
import {
  encodeTexts,
  type LoadedTransformer,
  loadTransformer,
  runTokenStates,
} from '../../src/embed/transformers/loadTransformer.js';
import { resolveModelSource } from '../../src/embed/transformers/modelSource.js';
import { readSpeeches, speechPassages } from '../../src/ingest/corpora/sotu.js';
import { readUciSite, UCI_SITES } from '../../src/ingest/corpora/uciSentiment.js';
import { sharedTableCacheDir, tinyBertDir } from './testCache.js';

let fast: LoadedTransformer;
let library: LoadedTransformer;
const tmp: string[] = [];

beforeAll(async () => {
  const source = resolveModelSource(tinyBertDir);
  fast = await loadTransformer(source, { modelCacheDir: sharedTableCacheDir, intraOpThreads: 1 });
  library = await loadTransformer(source, { modelCacheDir: sharedTableCacheDir, intraOpThreads: 1, engine: 'library' });
});

afterAll(async () => {
  await fast?.model.dispose();
  await library?.model.dispose();
  for (const dir of tmp) fs.rmSync(dir, { recursive: true, force: true });
});

const ints = (t: { data: unknown }) => Array.from(t.data as BigInt64Array, Number);

/** Both paths on the same texts: inputs equal, states and pooled vectors equal bit for bit. */
async function compareOn(texts: string[], maxLength: number) {
  const a = encodeTexts(fast, texts, maxLength);
  const b = encodeTexts(library, texts, maxLength);
  expect(Object.keys(a.inputs).sort()).toEqual(Object.keys(b.inputs).sort());
  for (const name of Object.keys(a.inputs)) expect(ints(a.inputs[name]), name).toEqual(ints(b.inputs[name]));
  expect(a.mask).toEqual(b.mask);
  expect(a.truncated).toEqual(b.truncated);
  expect(a.lengths).toEqual(b.lengths);
  const sa = await runTokenStates(fast, a);
  const sb = await runTokenStates(library, b);
  expect(sa.data.length).toBe(sb.data.length);
  expect(
    Buffer.from(sa.data.buffer, sa.data.byteOffset, sa.data.byteLength).equals(
      Buffer.from(sb.data.buffer, sb.data.byteOffset, sb.data.byteLength),
    ),
  ).toBe(true);
  for (const pooling of ['mean', 'cls', 'max'] as const) {
    expect(poolTokenStates(sa, a.mask, pooling).data).toEqual(poolTokenStates(sb, b.mask, pooling).data);
  }
}

describe('fast path = library path on tiny-bert', () => {
  it('uses the fast tokenizer and a direct session on the folder onnx/model.onnx', () => {
    expect(fast.fastTokenizer).not.toBeNull();
    expect(fast.model.kind).toBe('session');
    expect(fast.model.onnxFile).toBe(path.join(tinyBertDir, 'onnx', 'model.onnx'));
    expect(library.fastTokenizer).toBeNull();
    expect(library.model.kind).toBe('library');
  });

  it('reproduces reference_output.json and equals the library bit for bit on it', async () => {
    const reference = JSON.parse(fs.readFileSync(path.join(tinyBertDir, 'reference_output.json'), 'utf8')) as {
      input_ids: number[][];
      last_hidden_state: number[][][];
    };
    const encoded = encodeTexts(fast, ['hello world', 'hello world hello'], 512);
    expect(ints(encoded.inputs.input_ids).slice(0, 5)).toEqual(reference.input_ids[0]);
    const states = await runTokenStates(fast, encoded);
    let maxDiff = 0;
    reference.last_hidden_state[0].forEach((row, t) =>
      row.forEach((v, h) => (maxDiff = Math.max(maxDiff, Math.abs(v - states.data[t * states.hidden + h])))),
    );
    expect(maxDiff).toBeLessThan(1e-4);
    await compareOn(['hello world', 'hello world hello'], 512);
  });

  it('on real texts (UCI sentences, SOTU passages; short and truncating max lengths), batch by batch', async () => {
    const texts: string[] = [];
    for (const site of UCI_SITES) texts.push(...(await readUciSite(site)).slice(0, 120).map((r) => r.text));
    for (const speech of (await readSpeeches()).filter((_, i) => i % 30 === 0))
      texts.push(...speechPassages(speech).slice(0, 8));
    texts.push('', '   ', 'emoji 😀 and naïve café [SEP] 中文', 'x'.repeat(3000));
    for (let s = 0; s < texts.length; s += 32) await compareOn(texts.slice(s, s + 32), 512);
    for (let s = 0; s < 96; s += 32) await compareOn(texts.slice(s, s + 32), 16);
  });
});

function copyFixture(edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlens-tinybert-'));
  tmp.push(dir);
  fs.cpSync(tinyBertDir, dir, { recursive: true });
  edit(dir);
  return dir;
}

describe('fallbacks to the library', () => {
  it('a tokenizer.json of another shape is tokenised by the library, with the same model call', async () => {
    const dir = copyFixture((d) => {
      const file = path.join(d, 'tokenizer.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      json.normalizer = { type: 'Sequence', normalizers: [json.normalizer] };
      fs.writeFileSync(file, JSON.stringify(json));
    });
    const other = await loadTransformer(resolveModelSource(dir), { modelCacheDir: sharedTableCacheDir });
    try {
      expect(other.fastTokenizer).toBeNull();
      expect(other.fastTokenizerRefusal).toMatch(/normalizer/);
      expect(other.model.kind).toBe('session');
      const texts = ['Hello, World!', 'naïve café'];
      expect(ints(encodeTexts(other, texts, 512).inputs.input_ids)).toEqual(
        ints(encodeTexts(library, texts, 512).inputs.input_ids),
      );
    } finally {
      await other.model.dispose();
    }
  });

  it('a config asking for per-device session settings runs through the library model', async () => {
    const dir = copyFixture((d) => {
      const file = path.join(d, 'config.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      json['transformers.js_config'] = { device_config: { cpu: { dtype: 'fp32' } } };
      fs.writeFileSync(file, JSON.stringify(json));
    });
    const other = await loadTransformer(resolveModelSource(dir), {
      modelCacheDir: sharedTableCacheDir,
      intraOpThreads: 1,
    });
    try {
      expect(other.model.kind).toBe('library');
      expect(other.fastTokenizer).not.toBeNull();
      const encoded = encodeTexts(other, ['hello world'], 512);
      const a = await runTokenStates(other, encoded);
      const b = await runTokenStates(fast, encodeTexts(fast, ['hello world'], 512));
      expect(a.data).toEqual(b.data);
    } finally {
      await other.model.dispose();
    }
  });
});
