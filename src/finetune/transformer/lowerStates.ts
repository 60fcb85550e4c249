/**
 * The frozen lower layers, run once: the ONNX model, with the input of the first trainable layer added as a
 * graph output, runs on every text through onnxruntime; each text's states at that point (its real tokens only)
 * are kept, together with the model's own last hidden states where the caller asks for them (to check that the
 * trainable layers reproduce the model before training).
 */
import ort from 'onnxruntime-node';
import type { Progress } from '../../core/progress.js';
import { encodeTexts, type LoadedTransformer } from '../../embed/transformers/loadTransformer.js';
import { withExtraOutputs } from '../onnx/onnxModel.js';

export interface TokenStateStore {
  hidden: number;
  /** Per text: real tokens × hidden, row-major. */
  states: Float32Array[];
  /** Per text: token count (special tokens included). */
  lengths: Int32Array;
  /** Per text, when requested: the model's last hidden states for its real tokens. */
  finalStates: Float32Array[] | null;
  bytes: number;
  ms: number;
}

/** Batches of texts per onnxruntime run. */
const BATCH = 32;

export async function computeLowerStates(
  loaded: LoadedTransformer,
  modelBytes: Uint8Array,
  layerInput: string,
  texts: string[],
  maxLength: number,
  options: { keepFinal: boolean; progress: Progress; threads: number },
): Promise<TokenStateStore> {
  const started = performance.now();
  const session = await ort.InferenceSession.create(withExtraOutputs(modelBytes, [layerInput]), {
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'basic',
  });
  const hidden = loaded.hiddenSize;
  const states: Float32Array[] = [];
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
        states.push(Float32Array.from(lower.subarray(from, from + n * hidden)));
        finalStates?.push(Float32Array.from(last.subarray(from, from + n * hidden)));
        bytes += n * hidden * 4;
      }
      for (const t of Object.values(out)) t.dispose?.();
      task.increment(batch.length);
    }
  } finally {
    task.done();
    await session.release();
  }
  return { hidden, states, lengths, finalStates, bytes, ms: performance.now() - started };
}
