/**
 * Reading an ONNX model's graph (nodes, initializers) from its bytes, and adding graph outputs to it.
 * Field numbers are those of onnx.proto (ModelProto.graph = 7; GraphProto.node = 1, initializer = 5,
 * input = 11, output = 12; NodeProto.input = 1, output = 2, name = 3, op_type = 4, attribute = 5;
 * TensorProto.dims = 1, data_type = 2, float_data = 4, name = 8, raw_data = 9, data_location = 14).
 */
import { ProtoMessage } from '../../linalg/onnx/protobufWriter.js';
import {
  decodeString,
  ProtoFormatError,
  readFields,
  repeatedVarints,
  WIRE_LENGTH_DELIMITED,
  type ProtoField,
} from './protoReader.js';

export const ONNX_FLOAT = 1;
const ONNX_INT64 = 7;

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  /** Float attributes (e.g. LayerNormalization epsilon). */
  floatAttributes: Record<string, number>;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** Float32 values (float tensors) or int64 values as numbers (int64 tensors); null for other types. */
  data: Float32Array | null;
  int64: number[] | null;
  dataType: number;
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  /** Initializers and Constant-node tensors, by tensor name. */
  tensors: Map<string, OnnxTensor>;
  inputs: string[];
  outputs: string[];
}

function fieldsOf(fields: ProtoField[], n: number): ProtoField[] {
  return fields.filter((f) => f.field === n && f.wire === WIRE_LENGTH_DELIMITED);
}

function graphField(model: Uint8Array): ProtoField {
  const graph = fieldsOf(readFields(model), 7)[0];
  if (!graph) throw new ProtoFormatError('not an ONNX model: no graph');
  return graph;
}

export function readOnnxGraph(model: Uint8Array): OnnxGraph {
  const g = readFields(graphField(model).bytes);
  const tensors = new Map<string, OnnxTensor>();
  for (const f of fieldsOf(g, 5)) {
    const t = readTensor(f.bytes);
    tensors.set(t.name, t);
  }
  const nodes: OnnxNode[] = fieldsOf(g, 1).map((f) => {
    const n = readFields(f.bytes);
    const node: OnnxNode = {
      inputs: fieldsOf(n, 1).map((x) => decodeString(x.bytes)),
      outputs: fieldsOf(n, 2).map((x) => decodeString(x.bytes)),
      name: fieldsOf(n, 3).map((x) => decodeString(x.bytes))[0] ?? '',
      opType: fieldsOf(n, 4).map((x) => decodeString(x.bytes))[0] ?? '',
      floatAttributes: {},
    };
    for (const a of fieldsOf(n, 5)) {
      const af = readFields(a.bytes);
      const name = decodeString(fieldsOf(af, 1)[0]?.bytes ?? new Uint8Array());
      const float = af.find((x) => x.field === 2);
      if (float)
        node.floatAttributes[name] = new DataView(float.bytes.buffer, float.bytes.byteOffset, 4).getFloat32(0, true);
      const tensor = fieldsOf(af, 5)[0];
      if (node.opType === 'Constant' && tensor && node.outputs[0]) {
        const t = readTensor(tensor.bytes);
        tensors.set(node.outputs[0], { ...t, name: node.outputs[0] });
      }
    }
    return node;
  });
  const valueName = (f: ProtoField) => decodeString(fieldsOf(readFields(f.bytes), 1)[0]?.bytes ?? new Uint8Array());
  return { nodes, tensors, inputs: fieldsOf(g, 11).map(valueName), outputs: fieldsOf(g, 12).map(valueName) };
}

function readTensor(bytes: Uint8Array): OnnxTensor {
  const f = readFields(bytes);
  const dims = repeatedVarints(f, 1);
  const dataType = f.find((x) => x.field === 2)?.value ?? 0;
  const name = decodeString(fieldsOf(f, 8)[0]?.bytes ?? new Uint8Array());
  if (f.some((x) => x.field === 14 && x.value === 1)) {
    throw new ProtoFormatError(`tensor ${name} is stored in an external data file, which is not supported`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = fieldsOf(f, 9)[0]?.bytes;
  let data: Float32Array | null = null;
  let int64: number[] | null = null;
  if (dataType === ONNX_FLOAT) {
    data = new Float32Array(count);
    if (raw) {
      // Copy: the raw bytes may sit at an offset that is not a multiple of 4.
      new Uint8Array(data.buffer).set(raw.subarray(0, count * 4));
    } else {
      const packed = fieldsOf(f, 4)[0]?.bytes;
      if (packed) new Uint8Array(data.buffer).set(packed.subarray(0, count * 4));
    }
  } else if (dataType === ONNX_INT64) {
    if (raw) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      int64 = Array.from({ length: count }, (_, i) => Number(view.getBigInt64(i * 8, true)));
    } else int64 = repeatedVarints(f, 7);
  }
  return { name, dims, data, int64, dataType };
}

/**
 * The model with extra float graph outputs (tensor names already computed inside the graph, e.g. a lower
 * encoder layer's output), so one onnxruntime run returns them beside the usual outputs. The outputs are
 * declared float with unknown shape.
 */
export function withExtraOutputs(model: Uint8Array, names: string[]): Uint8Array {
  const top = readFields(model);
  const graph = graphField(model);
  const extra = names.map(outputField);
  const graphBytes = concat([graph.bytes, ...extra]);
  const parts: Uint8Array[] = [];
  for (const f of top) {
    if (f.start === graph.start) parts.push(new ProtoMessage().bytes(7, graphBytes).toBytes());
    else parts.push(model.subarray(f.start, f.end));
  }
  return concat(parts);
}

function outputField(name: string): Uint8Array {
  const tensorType = new ProtoMessage().varint(1, ONNX_FLOAT);
  const type = new ProtoMessage().message(1, tensorType);
  const valueInfo = new ProtoMessage().string(1, name).message(2, type);
  return new ProtoMessage().message(12, valueInfo).toBytes();
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
