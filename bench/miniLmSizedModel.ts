/**
 * A MiniLM-sized BERT for benchmarks, built in code: the shape of sentence-transformers/all-MiniLM-L6-v2 (6 layers,
 * hidden 384, 12 heads, feed-forward 1536, 30,522-token vocabulary, 512 positions) with seeded random weights, as an
 * ONNX graph (opset 17: Gather embeddings, LayerNormalization, MatMul attention with the additive mask, erf GELU)
 * in a Hugging Face model folder with tiny-bert's (all-MiniLM-L6-v2's) tokenizer files. No trained model is
 * available offline here; this one costs what MiniLM costs per token, which is what an overhead ratio needs. Written
 * once into a temporary folder (about 90 MB) and never committed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../src/core/random.js';
import { ProtoMessage } from '../src/linalg/onnx/protobufWriter.js';

const LAYERS = 6;
const HIDDEN = 384;
const HEADS = 12;
const FFN = 1536;
const VOCAB = 30522;
const POSITIONS = 512;
const TYPES = 2;
const OPSET = 17;
const FLOAT = 1;
const INT64 = 7;

type Attr = { int: number } | { float: number } | { ints: number[] };

class Graph {
  readonly nodes: ProtoMessage[] = [];
  readonly initializers: ProtoMessage[] = [];
  private n = 0;

  constant(name: string, dims: number[], values: Float32Array | BigInt64Array): string {
    const t = new ProtoMessage();
    for (const d of dims) t.varint(1, d);
    t.varint(2, values instanceof Float32Array ? FLOAT : INT64);
    t.string(8, name);
    t.bytes(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.initializers.push(t);
    return name;
  }

  node(op: string, inputs: string[], attributes: Record<string, Attr> = {}, name?: string): string {
    const output = name ?? `${op.toLowerCase()}_${this.n++}`;
    const m = new ProtoMessage();
    for (const i of inputs) m.string(1, i);
    m.string(2, output);
    m.string(3, output);
    m.string(4, op);
    for (const [name, value] of Object.entries(attributes)) {
      const a = new ProtoMessage().string(1, name);
      if ('int' in value) a.varint(3, value.int).varint(20, 2);
      else if ('float' in value) a.float(2, value.float).varint(20, 1);
      else {
        for (const v of value.ints) a.varint(8, v);
        a.varint(20, 7);
      }
      m.message(5, a);
    }
    this.nodes.push(m);
    return output;
  }
}

function valueInfo(name: string, elem: number, dims: (number | string)[]): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new ProtoMessage().varint(1, d) : new ProtoMessage().string(2, d));
  const tensorType = new ProtoMessage().varint(1, elem).message(2, shape);
  return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensorType));
}

function buildModel(seed: number): Uint8Array {
  const rng = createRng(seed);
  const g = new Graph();
  const normal = (count: number) => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = 0.02 * rng.normal();
    return out;
  };
  const weight = (name: string, dims: number[]) => g.constant(name, dims, normal(dims.reduce((a, b) => a * b, 1)));
  const filled = (name: string, count: number, value: number) =>
    g.constant(name, [count], new Float32Array(count).fill(value));
  const scalar = (name: string, value: number) => g.constant(name, [], new Float32Array([value]));
  const ints = (name: string, values: number[]) =>
    g.constant(
      name,
      [values.length],
      BigInt64Array.from(values, (v) => BigInt(v)),
    );
  const intScalar = (name: string, value: number) => g.constant(name, [], BigInt64Array.from([BigInt(value)]));
  const layerNorm = (x: string, prefix: string) =>
    g.node('LayerNormalization', [x, filled(`${prefix}.weight`, HIDDEN, 1), filled(`${prefix}.bias`, HIDDEN, 0)], {
      axis: { int: 2 },
      epsilon: { float: 1e-12 },
    });
  const dense = (x: string, prefix: string, inDim: number, outDim: number) =>
    g.node('Add', [
      g.node('MatMul', [x, weight(`${prefix}.weight`, [inDim, outDim])]),
      filled(`${prefix}.bias`, outDim, 0),
    ]);

  const words = g.node('Gather', [weight('embeddings.word_embeddings.weight', [VOCAB, HIDDEN]), 'input_ids']);
  const length = g.node('Gather', [g.node('Shape', ['input_ids']), intScalar('one_index', 1)]);
  const positionIds = g.node('Range', [intScalar('zero_i64', 0), length, intScalar('one_i64', 1)]);
  const positions = g.node('Gather', [
    weight('embeddings.position_embeddings.weight', [POSITIONS, HIDDEN]),
    positionIds,
  ]);
  const types = g.node('Gather', [
    weight('embeddings.token_type_embeddings.weight', [TYPES, HIDDEN]),
    'token_type_ids',
  ]);
  let x = layerNorm(g.node('Add', [g.node('Add', [words, positions]), types]), 'embeddings.LayerNorm');

  const maskFloat = g.node('Cast', ['attention_mask'], { to: { int: FLOAT } });
  const bias = g.node('Mul', [g.node('Sub', [scalar('one', 1), maskFloat]), scalar('mask_fill', -10000)]);
  const bias4 = g.node('Unsqueeze', [bias, ints('mask_axes', [1, 2])]);
  const headShape = ints('head_shape', [0, 0, HEADS, HIDDEN / HEADS]);
  const mergedShape = ints('merged_shape', [0, 0, HIDDEN]);
  const scale = scalar('attention_scale', 1 / Math.sqrt(HIDDEN / HEADS));
  for (let l = 0; l < LAYERS; l++) {
    const p = `encoder.layer.${l}`;
    const heads = (name: string, perm: number[]) =>
      g.node('Transpose', [g.node('Reshape', [dense(x, `${p}.attention.self.${name}`, HIDDEN, HIDDEN), headShape])], {
        perm: { ints: perm },
      });
    const q = heads('query', [0, 2, 1, 3]);
    const k = heads('key', [0, 2, 3, 1]);
    const v = heads('value', [0, 2, 1, 3]);
    const scores = g.node('Add', [g.node('Mul', [g.node('MatMul', [q, k]), scale]), bias4]);
    const probs = g.node('Softmax', [scores], { axis: { int: 3 } });
    const context = g.node('Reshape', [
      g.node('Transpose', [g.node('MatMul', [probs, v])], { perm: { ints: [0, 2, 1, 3] } }),
      mergedShape,
    ]);
    const attended = dense(context, `${p}.attention.output.dense`, HIDDEN, HIDDEN);
    x = layerNorm(g.node('Add', [attended, x]), `${p}.attention.output.LayerNorm`);
    const h = dense(x, `${p}.intermediate.dense`, HIDDEN, FFN);
    const erf = g.node('Erf', [g.node('Div', [h, scalar(`${p}.sqrt2`, Math.SQRT2)])]);
    const gelu = g.node('Mul', [
      g.node('Mul', [h, g.node('Add', [erf, scalar(`${p}.one`, 1)])]),
      scalar(`${p}.half`, 0.5),
    ]);
    const out = dense(gelu, `${p}.output.dense`, FFN, HIDDEN);
    x = layerNorm(g.node('Add', [out, x]), `${p}.output.LayerNorm`);
  }
  g.node('Identity', [x], {}, 'last_hidden_state');

  const graph = new ProtoMessage();
  for (const n of g.nodes) graph.message(1, n);
  graph.string(2, 'minilm-sized-bert');
  for (const t of g.initializers) graph.message(5, t);
  for (const name of ['input_ids', 'attention_mask', 'token_type_ids'])
    graph.message(11, valueInfo(name, INT64, ['batch', 'sequence']));
  graph.message(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', HIDDEN]));
  const bytes = graph.toBytes();
  const opset = new ProtoMessage().string(1, '').varint(2, OPSET);
  return new ProtoMessage().varint(1, 8).string(2, 'shiftlens-bench').bytes(7, bytes).message(8, opset).toBytes();
}

/** A folder holding the MiniLM-sized model (created on first use under the OS temp folder). */
export function miniLmSizedModelDir(tokenizerDir: string, seed = 20261202): string {
  const dir = path.join(os.tmpdir(), `shiftlens-bench-minilm-sized-${seed}`);
  const onnx = path.join(dir, 'onnx', 'model.onnx');
  if (fs.existsSync(onnx)) return dir;
  fs.mkdirSync(path.dirname(onnx), { recursive: true });
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
    fs.copyFileSync(path.join(tokenizerDir, f), path.join(dir, f));
  }
  const config = {
    _name_or_path: 'MiniLM-sized BERT (random weights, benchmark only)',
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: HIDDEN,
    num_hidden_layers: LAYERS,
    num_attention_heads: HEADS,
    intermediate_size: FFN,
    max_position_embeddings: POSITIONS,
    vocab_size: VOCAB,
    type_vocab_size: TYPES,
    layer_norm_eps: 1e-12,
    hidden_act: 'gelu',
    pad_token_id: 0,
  };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const tmp = `${onnx}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, buildModel(seed));
  fs.renameSync(tmp, onnx);
  return dir;
}
