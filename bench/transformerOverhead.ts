/**
 * The transformers backend against a bare onnxruntime session on the same model and the same token tensors, side
 * by side in one process: per batch the library path (@huggingface/transformers' tokenizer and model call:
 * `engine: 'library'`), the fast path as it was (our WordPiece tokenizer with every word through its word memo and
 * splitWord's string slices, and our own session on the same file), and the fast path now (the default:
 * printable-ASCII words matched by walking the vocabulary trie in place), each in a loop of its own beside
 * InferenceSession.run on its identical input_ids / attention_mask / token_type_ids (the two runs in alternating
 * order). Every path's pooled vectors are compared bit for bit with the library path's.
 *
 * Models: test/fixtures/tiny-bert (2 layers, 32 wide: the model call is cheap, so tokenising weighs most) and a
 * MiniLM-sized random-weight BERT built in code (bench/miniLmSizedModel.ts; all-MiniLM-L6-v2's shape and tokenizer),
 * since no trained model is available offline. UCI sentences, batches of 32.
 *
 * The 2 cores are shared with other work, so: CPU time (user + system) with one ONNX thread, where no pool thread
 * spins between runs to be charged to the next part; and wall time with ONNX Runtime's 2 threads. Model calls and
 * pooling are timed 3 times per batch (wall: 5) and the least kept (other work only adds time); tokenising once per
 * batch on the CPU clock, in order, so the fast tokenizer's word memo is as warm as in a real run (warmed
 * beforehand on other sentences only), and the least of 5 on the wall clock (TOKENISE_REPEATS).
 *
 * No overlap of tokenising with the model call is possible on one thread: onnxruntime-node 1.30's
 * InferenceSession.run defers the native run with setImmediate and then runs it synchronously on the JavaScript
 * thread (node_modules/onnxruntime-node/dist/backend.js, OnnxruntimeSessionHandler.run); a 1 ms timer does not
 * fire once during a 1.8 s MiniLM-sized call. Only worker threads overlap them (--embed-workers: each worker
 * tokenises while the others' sessions run).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { uciSentences } from './shared/corpus.js';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { poolTokenStates } from '../src/embed/transformers/hiddenPooling.js';
import {
  encodeTexts,
  type LoadedTransformer,
  loadTransformer,
  runTokenStates,
} from '../src/embed/transformers/loadTransformer.js';
import { resolveModelSource } from '../src/embed/transformers/modelSource.js';
import { wordPieceTokenizerFor } from '../src/embed/transformers/wordPieceTokenizer.js';
import { miniLmSizedModelDir } from './miniLmSizedModel.js';

type Clock = 'cpu' | 'wall';

const BATCH = 32;
const MAX_LENGTH = 512;
/**
 * Model calls and pooling are timed this many times per batch and the least time kept (other work on the shared
 * cores only adds time): CPU time varies little, wall time under load a lot.
 */
const REPEATS: Record<Clock, number> = { cpu: 3, wall: 5 };
/**
 * Tokenising is timed once per batch on the CPU clock (in order, the word memo as warm as in a real run), and the
 * least of 5 on the wall clock, like the model calls: once, a batch's wall time is mostly the time the loaded
 * machine gave other processes (0.4 ms of CPU took ~5 ms of wall at load 30). Repeats find the word memo warm,
 * which favours the memo path; the trie path's ASCII words do the same work every time.
 */
const TOKENISE_REPEATS: Record<Clock, number> = { cpu: 1, wall: 5 };

/**
 * cpu: the process's CPU time (user + system, all threads), clean with one ONNX thread (no pool thread spinning
 * between runs, which the next part would be charged); wall: elapsed time, with ONNX Runtime's pool of 2 threads.
 */
function now(clock: Clock): number {
  if (clock === 'wall') return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface PathTimes {
  tokenise: number;
  model: number;
  pooling: number;
  /** The bare session on this path's tensors, measured in the same loop. */
  bare: number;
}

interface Measured {
  /** The library path, the fast path with the word memo only, the fast path with the trie (the default). */
  paths: [PathTimes, PathTimes, PathTimes];
  identical: boolean;
  texts: number;
  threads: number;
  clock: Clock;
}

/** Least time of `repeats` runs of `work` on `clock`, with the last run's value. */
async function timed<T>(
  clock: Clock,
  work: () => T | Promise<T>,
  repeats = REPEATS[clock],
): Promise<{ ms: number; value: T }> {
  let best = Number.POSITIVE_INFINITY;
  let value!: T;
  for (let r = 0; r < repeats; r++) {
    const start = now(clock);
    value = await work();
    best = Math.min(best, now(clock) - start);
  }
  return { ms: best, value };
}

const sameBits = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/**
 * One path over every batch: tokenise (once per batch, in order), then its model call and the bare session on the
 * same tensors in alternating order, then pooling. Paths run in loops of their own, so neither pays for the other's
 * garbage collection.
 */
async function measurePath(
  loaded: LoadedTransformer,
  bare: ort.InferenceSession,
  batches: string[][],
  clock: Clock,
): Promise<{ times: PathTimes; vectors: Float32Array[] }> {
  const times: PathTimes = { tokenise: 0, model: 0, pooling: 0, bare: 0 };
  const vectors: Float32Array[] = [];
  for (const [index, batch] of batches.entries()) {
    const encoded = await timed(clock, () => encodeTexts(loaded, batch, MAX_LENGTH), TOKENISE_REPEATS[clock]);
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of bare.inputNames) feeds[name] = encoded.value.inputs[name];
    const bareRun = async () => {
      times.bare += (await timed(clock, () => bare.run(feeds))).ms;
    };
    if (index % 2 === 1) await bareRun();
    const states = await timed(clock, () => runTokenStates(loaded, encoded.value));
    if (index % 2 === 0) await bareRun();
    const pooled = await timed(clock, () => poolTokenStates(states.value, encoded.value.mask, 'mean'));
    times.tokenise += encoded.ms;
    times.model += states.ms;
    times.pooling += pooled.ms;
    vectors.push(pooled.value.data);
  }
  return { times, vectors };
}

export async function measure(
  dir: string,
  texts: string[],
  warmUp: string[],
  threads: number,
  clock: Clock,
): Promise<Measured> {
  const source = resolveModelSource(dir);
  const library = await loadTransformer(source, { modelCacheDir: '', intraOpThreads: threads, engine: 'library' });
  const fast = await loadTransformer(source, { modelCacheDir: '', intraOpThreads: threads });
  if (!fast.fastTokenizer || fast.model.kind !== 'session') throw new Error(`${dir}: the fast path did not apply`);
  // The fast path as it was: the same session, every word through the word memo and splitWord.
  const readJson = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
  const memoOnly: LoadedTransformer = {
    ...fast,
    fastTokenizer: wordPieceTokenizerFor(readJson('tokenizer.json'), readJson('tokenizer_config.json'), {
      alphanumericTrie: false,
    }).tokenizer,
  };
  const bare = await ort.InferenceSession.create(path.join(dir, 'onnx', 'model.onnx'), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const batches = (list: string[]) => {
    const out: string[][] = [];
    for (let s = 0; s < list.length; s += BATCH) out.push(list.slice(s, s + BATCH));
    return out;
  };
  try {
    // Warm-up on other sentences: session arenas, the JIT; the word memo knows none of the measured texts yet.
    const paths = [library, memoOnly, fast];
    for (const loaded of paths) await measurePath(loaded, bare, batches(warmUp), clock);
    const runs = [];
    for (const loaded of paths) runs.push(await measurePath(loaded, bare, batches(texts), clock));
    const [reference, ...others] = runs;
    const identical = others.every(
      (run) =>
        run.vectors.length === reference.vectors.length &&
        run.vectors.every((v, i) => sameBits(v, reference.vectors[i])),
    );
    const [a, b, c] = runs.map((run) => run.times);
    return { paths: [a, b, c], identical, texts: texts.length, threads, clock };
  } finally {
    await library.model.dispose();
    await fast.model.dispose();
    await bare.release();
  }
}

export function section(title: string, m: Measured): string {
  const total = (t: PathTimes) => t.tokenise + t.model + t.pooling;
  const ms = (v: number) => v.toFixed(0);
  const cell = (v: number, t: PathTimes) => `${ms(v)} (${((100 * v) / total(t)).toFixed(0)}%)`;
  const ratio = (v: number, t: PathTimes) => `${(v / t.bare).toFixed(2)}×`;
  const [, before, after] = m.paths;
  const row = (label: string, pick: (t: PathTimes) => number) =>
    `| ${label} | ${m.paths.map((t) => cell(pick(t), t)).join(' | ')} | ${(pick(before) / Math.max(pick(after), 1e-9)).toFixed(1)}× |`;
  const clock = m.clock === 'cpu' ? 'CPU ms (user + system)' : 'wall ms';
  return [
    `#### ${title}: ${m.texts} UCI sentences, batches of ${BATCH}, ${m.threads} ONNX thread${m.threads === 1 ? '' : 's'}, ${clock}; model calls and pooling${m.clock === 'wall' ? ' and tokenising' : ''}: least of ${REPEATS[m.clock]} per batch; load average ${os.loadavg()[0].toFixed(0)}`,
    '',
    '| part | library path | fast path, word memo (before) | fast path, vocabulary trie (now) | before / now |',
    '|---|---:|---:|---:|---:|',
    row('tokenise + build tensors (encodeTexts)', (t) => t.tokenise),
    row('model call (runTokenStates)', (t) => t.model),
    row('mask-aware mean pooling', (t) => t.pooling),
    `| **backend total** | ${m.paths.map((t) => ms(total(t))).join(' | ')} | ${(total(before) / total(after)).toFixed(2)}× |`,
    `| bare InferenceSession.run, same tensors, same loop | ${m.paths.map((t) => ms(t.bare)).join(' | ')} | |`,
    `| **backend / bare session** | ${m.paths.map((t) => `**${ratio(total(t), t)}**`).join(' | ')} | |`,
    `| model call alone / bare session | ${m.paths.map((t) => ratio(t.model, t)).join(' | ')} | |`,
    '',
    `Pooled vectors of the three paths bit-identical on every batch: ${m.identical ? 'yes' : '**no**'}.`,
  ].join('\n');
}

export async function runBench(options: { quick: boolean }): Promise<string> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const tinyBert = path.join(root, 'test', 'fixtures', 'tiny-bert');
  const miniLm = miniLmSizedModelDir(tinyBert);
  const sentences = uciSentences(root);
  const tinyTexts = sentences.slice(0, options.quick ? 320 : 2000);
  const miniTexts = sentences.slice(0, options.quick ? 64 : 320);
  // Warm-up sentences after the measured ones (the JIT, and the word memo on common words, as a run's first batches).
  const warmUp = sentences.slice(options.quick ? -320 : 2000);
  const tinyTitle = 'tiny-bert (2 layers, hidden 32)';
  const miniTitle = 'MiniLM-sized BERT (6 layers, hidden 384, random weights, all-MiniLM-L6-v2 tokenizer)';
  return [
    '### Transformer backend vs a bare onnxruntime session: library path, fast path before and after the vocabulary trie',
    '',
    section(tinyTitle, await measure(tinyBert, tinyTexts, warmUp, 1, 'cpu')),
    '',
    section(miniTitle, await measure(miniLm, miniTexts, warmUp.slice(0, 64), 1, 'cpu')),
    '',
    section(tinyTitle, await measure(tinyBert, tinyTexts, warmUp, 2, 'wall')),
    '',
    section(miniTitle, await measure(miniLm, miniTexts, warmUp.slice(0, 64), 2, 'wall')),
  ].join('\n');
}
