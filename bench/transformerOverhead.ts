/**
 * The transformers backend against a bare onnxruntime session on the same model (test/fixtures/tiny-bert) and
 * the same token tensors: the backend's whole embedBatch (tokenise, @huggingface/transformers model call, pooling)
 * split into its parts, next to InferenceSession.run on the identical input_ids / attention_mask /
 * token_type_ids. Same texts, batches of 32, same ONNX threads (2), one process, parts interleaved per batch.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { poolTokenStates } from '../src/embed/transformers/hiddenPooling.js';
import { encodeTexts, loadTransformer, runTokenStates } from '../src/embed/transformers/loadTransformer.js';
import { resolveModelSource } from '../src/embed/transformers/modelSource.js';

const BATCH = 32;
const THREADS = 2;

function uciSentences(root: string): string[] {
  const out: string[] = [];
  for (const site of ['amazon', 'imdb', 'yelp']) {
    const file = path.join(root, 'node_modules', 'sentiment', 'test', 'fixtures', `${site}.json`);
    const records = JSON.parse(fs.readFileSync(file, 'utf8')) as { text: string }[];
    for (const r of records) if (r.text.trim() !== '') out.push(r.text);
  }
  return out;
}

export async function runBench(options: { quick: boolean }): Promise<string> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = path.join(root, 'test', 'fixtures', 'tiny-bert');
  const texts = uciSentences(root).slice(0, options.quick ? 640 : 2000);
  const loaded = await loadTransformer(resolveModelSource(dir), { modelCacheDir: '', intraOpThreads: THREADS });
  const bare = await ort.InferenceSession.create(path.join(dir, 'onnx', 'model.onnx'), {
    intraOpNumThreads: THREADS,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const parts = { tokenise: 0, modelCall: 0, pooling: 0, bare: 0 };
  const pass = async (measure: boolean) => {
    for (let s = 0; s < texts.length; s += BATCH) {
      const batch = texts.slice(s, s + BATCH);
      const t0 = performance.now();
      const encoded = encodeTexts(loaded, batch, 512);
      const t1 = performance.now();
      const states = await runTokenStates(loaded, encoded);
      const t2 = performance.now();
      poolTokenStates(states, encoded.mask, 'mean');
      const t3 = performance.now();
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, tensor] of Object.entries(encoded.inputs)) {
        if (bare.inputNames.includes(name)) {
          feeds[name] = new ort.Tensor('int64', tensor.data as BigInt64Array, tensor.dims as number[]);
        }
      }
      const b0 = performance.now();
      const out = await bare.run(feeds);
      const b1 = performance.now();
      for (const v of Object.values(out)) v.dispose();
      if (measure) {
        parts.tokenise += t1 - t0;
        parts.modelCall += t2 - t1;
        parts.pooling += t3 - t2;
        parts.bare += b1 - b0;
      }
    }
  };
  await pass(false); // warm-up
  await pass(true);
  await loaded.model.dispose();
  await bare.release();
  const backend = parts.tokenise + parts.modelCall + parts.pooling;
  const rate = (ms: number) => `${((texts.length / ms) * 1000).toFixed(0)}`;
  return [
    `### Transformer backend vs a bare onnxruntime session (tiny-bert, ${texts.length} UCI sentences, batches of ${BATCH}, ${THREADS} ONNX threads)`,
    '',
    '| part | ms | texts/s | share of the backend |',
    '|---|---:|---:|---:|',
    `| tokenise + build tensors (encodeTexts) | ${parts.tokenise.toFixed(0)} | ${rate(parts.tokenise)} | ${((100 * parts.tokenise) / backend).toFixed(0)}% |`,
    `| model call through @huggingface/transformers (runTokenStates) | ${parts.modelCall.toFixed(0)} | ${rate(parts.modelCall)} | ${((100 * parts.modelCall) / backend).toFixed(0)}% |`,
    `| mask-aware mean pooling | ${parts.pooling.toFixed(0)} | ${rate(parts.pooling)} | ${((100 * parts.pooling) / backend).toFixed(0)}% |`,
    `| **backend total** | ${backend.toFixed(0)} | ${rate(backend)} | 100% |`,
    `| bare InferenceSession.run, same tensors | ${parts.bare.toFixed(0)} | ${rate(parts.bare)} | |`,
    '',
    `Backend / bare session: **${(backend / parts.bare).toFixed(2)}×** in all; the model call alone ${(parts.modelCall / parts.bare).toFixed(2)}× the bare run (the rest is tokenisation and pooling, which a bare session does not do).`,
  ].join('\n');
}
