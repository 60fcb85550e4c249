/**
 * The frozen lower layers, run once: the ONNX model, with the input of the first trainable layer added as a
 * graph output, runs on every text through onnxruntime; each text's states at that point (its real tokens only)
 * are kept, together with the model's own last hidden states where the caller asks for them (to check that the
 * trainable layers reproduce the model before training).
 * Kept in memory up to `diskThresholdBytes` (default 1 GiB); above it they are streamed to a temporary file (removed
 * at exit) and each batch reads its texts' rows back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { Progress } from '../../core/progress.js';
import { encodeTexts, type LoadedTransformer } from '../../embed/transformers/loadTransformer.js';
import { withExtraOutputs } from '../onnx/onnxModel.js';

export interface TokenStateStore {
  hidden: number;
  /** Text i's states: real tokens × hidden, row-major (from memory or read from the spill file). */
  stateOf(doc: number): Float32Array;
  /** Where the states live: 'memory', or the temporary file they were streamed to. */
  location: string;
  /** Per text: token count (special tokens included). */
  lengths: Int32Array;
  /** Per text, when requested: the model's last hidden states for its real tokens. */
  finalStates: Float32Array[] | null;
  bytes: number;
  ms: number;
}

/** Batches of texts per onnxruntime run. */
const BATCH = 32;
export const DISK_THRESHOLD_BYTES = 2 ** 30;

/** Float32 rows appended to a temporary file; offsets per text, read back with positioned reads. */
class SpillFile {
  readonly file: string;
  private readonly fd: number;
  private written = 0;
  readonly offsets: number[] = [];
  readonly counts: number[] = [];

  constructor() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlens-states-'));
    this.file = path.join(dir, 'states.f32');
    this.fd = fs.openSync(this.file, 'w+');
    const remove = () => fs.rmSync(dir, { recursive: true, force: true });
    process.once('exit', remove);
  }

  append(values: Float32Array): void {
    this.offsets.push(this.written);
    this.counts.push(values.length);
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    this.written += bytes.length;
  }

  read(doc: number): Float32Array {
    const out = new Float32Array(this.counts[doc]);
    const bytes = Buffer.from(out.buffer);
    let done = 0;
    while (done < bytes.length) {
      const n = fs.readSync(this.fd, bytes, done, bytes.length - done, this.offsets[doc] + done);
      if (n === 0) throw new Error(`spilled token states truncated at text ${doc} (${this.file})`);
      done += n;
    }
    return out;
  }
}

export async function computeLowerStates(
  loaded: LoadedTransformer,
  modelBytes: Uint8Array,
  layerInput: string,
  texts: string[],
  maxLength: number,
  options: { keepFinal: boolean; progress: Progress; threads: number; diskThresholdBytes?: number },
): Promise<TokenStateStore> {
  const threshold = options.diskThresholdBytes ?? DISK_THRESHOLD_BYTES;
  const started = performance.now();
  const session = await ort.InferenceSession.create(withExtraOutputs(modelBytes, [layerInput]), {
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'basic',
  });
  const hidden = loaded.hiddenSize;
  const states: Float32Array[] = [];
  let spill: SpillFile | null = null;
  const finalStates: Float32Array[] | null = options.keepFinal ? [] : null;
  const lengths = new Int32Array(texts.length);
  let bytes = 0;
  const task = options.progress.start('frozen lower layers (onnxruntime)', texts.length);
  try {
    for (let start = 0; start < texts.length; start += BATCH) {
      const batch = texts.slice(start, start + BATCH);
      const encoded = encodeTexts(loaded, batch, maxLength);
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(encoded.inputs)) {
        if (session.inputNames.includes(name)) feeds[name] = new ort.Tensor('int64', t.data as BigInt64Array, t.dims);
      }
      const out = await session.run(feeds);
      const lower = out[layerInput].data as Float32Array;
      const last = out[session.outputNames[0]].data as Float32Array;
      const T = encoded.tokens;
      for (let b = 0; b < batch.length; b++) {
        // Real tokens are the mask's 1s; BERT-style tokenizers pad on the right, so they come first.
        let n = 0;
        for (let t = 0; t < T; t++) n += encoded.mask[b * T + t];
        lengths[start + b] = n;
        const from = b * T * hidden;
        const rows = lower.subarray(from, from + n * hidden);
        bytes += n * hidden * 4;
        if (!spill && bytes > threshold) {
          spill = new SpillFile();
          for (const kept of states) spill.append(kept);
          states.length = 0;
          options.progress.note(
            `token states exceed ${(threshold / 2 ** 20).toFixed(0)} MiB: streaming them to ${spill.file}`,
          );
        }
        if (spill) spill.append(rows);
        else states.push(Float32Array.from(rows));
        finalStates?.push(Float32Array.from(last.subarray(from, from + n * hidden)));
      }
      for (const t of Object.values(out)) t.dispose?.();
      task.increment(batch.length);
    }
  } finally {
    task.done();
    await session.release();
  }
  const file = spill as SpillFile | null;
  return {
    hidden,
    stateOf: file ? (doc) => file.read(doc) : (doc) => states[doc],
    location: file ? file.file : 'memory',
    lengths,
    finalStates,
    bytes,
    ms: performance.now() - started,
  };
}
