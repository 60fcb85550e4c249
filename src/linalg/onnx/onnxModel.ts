/**
 * A minimal ONNX model writer: ModelProto → GraphProto → NodeProto / ValueInfoProto / TensorShapeProto with
 * symbolic dimensions, so one graph serves every matrix size. Field numbers follow onnx/onnx.proto (IR v8).
 */
import { ProtoMessage } from './protobufWriter.js';

export const IR_VERSION = 8;
export const OPSET_VERSION = 13;
/** TensorProto.DataType.FLOAT */
const FLOAT = 1;

/** A dimension: a fixed size, or a name shared by every tensor with the same (unknown) size. */
export type Dim = number | string;

export interface TensorSpec {
  name: string;
  shape: Dim[];
}

export type AttributeValue = number | number[] | { float: number };

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface GraphSpec {
  name: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  nodes: NodeSpec[];
}

export function encodeModel(graph: GraphSpec): Uint8Array {
  const g = new ProtoMessage();
  graph.nodes.forEach((node, i) => g.message(1, encodeNode(node, `${node.opType}_${i}`)));
  g.string(2, graph.name);
  for (const input of graph.inputs) g.message(11, encodeValueInfo(input));
  for (const output of graph.outputs) g.message(12, encodeValueInfo(output));

  const opset = new ProtoMessage().string(1, '').varint(2, OPSET_VERSION);
  return new ProtoMessage()
    .varint(1, IR_VERSION)
    .string(2, 'shiftlens')
    .message(7, g)
    .message(8, opset)
    .toBytes();
}

function encodeNode(node: NodeSpec, name: string): ProtoMessage {
  const w = new ProtoMessage();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, name);
  w.string(4, node.opType);
  for (const [key, value] of Object.entries(node.attributes ?? {})) w.message(5, encodeAttribute(key, value));
  return w;
}

// AttributeProto: name=1, f=2, i=3, ints=8, type=20 (FLOAT=1, INT=2, INTS=7).
function encodeAttribute(name: string, value: AttributeValue): ProtoMessage {
  const w = new ProtoMessage().string(1, name);
  if (Array.isArray(value)) {
    for (const v of value) w.varint(8, v);
    return w.varint(20, 7);
  }
  if (typeof value === 'number') return w.varint(3, value).varint(20, 2);
  return w.float(2, value.float).varint(20, 1);
}

// ValueInfoProto{name=1, type=2} → TypeProto{tensor_type=1} → Tensor{elem_type=1, shape=2} → Dimension{value=1, param=2}.
function encodeValueInfo(spec: TensorSpec): ProtoMessage {
  const shape = new ProtoMessage();
  for (const dim of spec.shape) {
    const d = new ProtoMessage();
    if (typeof dim === 'number') d.varint(1, dim);
    else d.string(2, dim);
    shape.message(1, d);
  }
  const tensorType = new ProtoMessage().varint(1, FLOAT).message(2, shape);
  const type = new ProtoMessage().message(1, tensorType);
  return new ProtoMessage().string(1, spec.name).message(2, type);
}
