/**
 * The weights of one BERT encoder layer, read from a Hugging Face ONNX export's initializers. MatMul weights
 * carry anonymous names (onnx::MatMul_…, stored [in, out]) and are found through the bias Add that follows
 * each MatMul (its bias is named encoder.layer.<i>.<part>.bias); tensors reachable only through Identity nodes
 * (shared LayerNorm weights) are resolved through them. The layer's input tensor (what the MatMul of its query
 * projection reads) is what onnxruntime is asked to expose for the frozen lower layers.
 */
import { ProtoFormatError } from './protoReader.js';
import type { OnnxGraph, OnnxNode } from './onnxModel.js';

export interface DenseWeights {
  /** [in, out] row-major. */
  weight: Float32Array;
  bias: Float32Array;
  inputs: number;
  outputs: number;
}

export interface LayerNormWeights {
  gamma: Float32Array;
  beta: Float32Array;
}

export interface BertLayerWeights {
  query: DenseWeights;
  key: DenseWeights;
  value: DenseWeights;
  attentionOutput: DenseWeights;
  attentionNorm: LayerNormWeights;
  intermediate: DenseWeights;
  output: DenseWeights;
  outputNorm: LayerNormWeights;
}

const DENSE_PARTS = {
  query: 'attention.self.query',
  key: 'attention.self.key',
  value: 'attention.self.value',
  attentionOutput: 'attention.output.dense',
  intermediate: 'intermediate.dense',
  output: 'output.dense',
} as const;

/** Encoder layers in the graph (counted from the query biases). */
export function countEncoderLayers(graph: OnnxGraph): number {
  const names = new Set([...graph.tensors.keys(), ...graph.nodes.flatMap((n) => n.outputs)]);
  let n = 0;
  while (names.has(`encoder.layer.${n}.attention.self.query.bias`)) n++;
  return n;
}

export function readBertLayer(graph: OnnxGraph, layer: number): BertLayerWeights {
  const prefix = `encoder.layer.${layer}`;
  const byOutput = new Map<string, OnnxNode>();
  for (const node of graph.nodes) for (const o of node.outputs) byOutput.set(o, node);
  const resolve = (name: string): Float32Array => {
    let current = name;
    for (let hops = 0; hops < 8; hops++) {
      const t = graph.tensors.get(current);
      if (t?.data) return t.data;
      const node = byOutput.get(current);
      if (node?.opType !== 'Identity') break;
      current = node.inputs[0];
    }
    throw new ProtoFormatError(`the ONNX graph has no float tensor ${name}: is this a Hugging Face BERT-style export?`);
  };
  const dense = (part: string): DenseWeights => {
    const biasName = `${prefix}.${part}.bias`;
    const add = graph.nodes.find((n) => n.opType === 'Add' && n.inputs.includes(biasName));
    const other = add?.inputs.find((i) => i !== biasName);
    const matmul = other ? byOutput.get(other) : undefined;
    if (!add || !matmul || matmul.opType !== 'MatMul') {
      throw new ProtoFormatError(`cannot find the MatMul feeding the bias ${biasName} in the ONNX graph`);
    }
    const weightName = matmul.inputs.find((i) => graph.tensors.has(i) || byOutput.get(i)?.opType === 'Identity');
    if (!weightName) throw new ProtoFormatError(`the MatMul before ${biasName} has no stored weight`);
    const t = graph.tensors.get(weightName);
    const weight = resolve(weightName);
    const bias = resolve(biasName);
    const outputs = bias.length;
    const inputs = t?.dims.length === 2 ? t.dims[0] : weight.length / outputs;
    if (inputs * outputs !== weight.length) {
      throw new ProtoFormatError(`weight of ${prefix}.${part} has ${weight.length} values, not ${inputs}x${outputs}`);
    }
    return { weight, bias, inputs, outputs };
  };
  const norm = (part: string): LayerNormWeights => ({
    gamma: resolve(`${prefix}.${part}.LayerNorm.weight`),
    beta: resolve(`${prefix}.${part}.LayerNorm.bias`),
  });
  return {
    query: dense(DENSE_PARTS.query),
    key: dense(DENSE_PARTS.key),
    value: dense(DENSE_PARTS.value),
    attentionOutput: dense(DENSE_PARTS.attentionOutput),
    attentionNorm: norm('attention.output'),
    intermediate: dense(DENSE_PARTS.intermediate),
    output: dense(DENSE_PARTS.output),
    outputNorm: norm('output'),
  };
}

/** The tensor a layer reads: the data input of its query projection's MatMul. */
export function layerInputTensor(graph: OnnxGraph, layer: number): string {
  const biasName = `encoder.layer.${layer}.attention.self.query.bias`;
  const add = graph.nodes.find((n) => n.opType === 'Add' && n.inputs.includes(biasName));
  const matmulOut = add?.inputs.find((i) => i !== biasName);
  const matmul = graph.nodes.find(
    (n) => n.opType === 'MatMul' && matmulOut !== undefined && n.outputs.includes(matmulOut),
  );
  const input = matmul?.inputs.find((i) => !graph.tensors.has(i));
  if (!input) throw new ProtoFormatError(`cannot find the input of encoder layer ${layer} in the ONNX graph`);
  return input;
}
