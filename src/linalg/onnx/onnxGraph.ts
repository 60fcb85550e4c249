/**
 * Minimal ONNX ModelProto encoder: float32 (or float64, or int64) tensors with symbolic dimensions, nodes with
 * int/float attributes.
 * Field numbers follow onnx/onnx.proto (IR version 8, default-domain opset 13), enough for Gemm and elementwise
 * graphs built in code, so no .onnx file ships with the package.
 */
import { ProtoMessage } from './protobufWriter.js';

const IR_VERSION = 8;
const OPSET_VERSION = 13;
const ELEM_FLOAT = 1;
const ELEM_INT64 = 7;
const ELEM_DOUBLE = 11;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;

/** A dimension: a fixed size or a symbolic name ("M") resolved at run time. */
export type Dim = number | string;

export interface ValueSpec {
  name: string;
  dims: Dim[];
  /** Element type; float32 unless said (int64: e.g. TopK's k input and its indices output). */
  type?: 'float32' | 'float64' | 'int64';
}

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, { int: number } | { float: number }>;
}

export interface GraphSpec {
  name: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
}

export function encodeModel(graph: GraphSpec): Uint8Array {
  const g = new ProtoMessage();
  graph.nodes.forEach((n, i) => g.message(1, encodeNode(n, `${n.opType.toLowerCase()}_${i}`)));
  g.string(2, graph.name);
  for (const v of graph.inputs) g.message(11, encodeValueInfo(v));
  for (const v of graph.outputs) g.message(12, encodeValueInfo(v));

  const opset = new ProtoMessage().string(1, '').varint(2, OPSET_VERSION);
  return new ProtoMessage().varint(1, IR_VERSION).string(2, 'shiftlens').message(7, g).message(8, opset).toBytes();
}

function encodeNode(node: NodeSpec, name: string): ProtoMessage {
  const m = new ProtoMessage();
  for (const input of node.inputs) m.string(1, input);
  for (const output of node.outputs) m.string(2, output);
  m.string(3, name);
  m.string(4, node.opType);
  for (const [attrName, value] of Object.entries(node.attributes ?? {})) {
    const a = new ProtoMessage().string(1, attrName);
    if ('int' in value) a.varint(3, value.int).varint(20, ATTR_INT);
    else a.float(2, value.float).varint(20, ATTR_FLOAT);
    m.message(5, a);
  }
  return m;
}

function encodeValueInfo(v: ValueSpec): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of v.dims) {
    const dim = new ProtoMessage();
    if (typeof d === 'number') dim.varint(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const elem = v.type === 'float64' ? ELEM_DOUBLE : v.type === 'int64' ? ELEM_INT64 : ELEM_FLOAT;
  const tensorType = new ProtoMessage().varint(1, elem).message(2, shape);
  const type = new ProtoMessage().message(1, tensorType);
  return new ProtoMessage().string(1, v.name).message(2, type);
}
