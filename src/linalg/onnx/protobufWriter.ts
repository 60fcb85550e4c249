/**
 * The few protobuf wire-format pieces an ONNX model needs: varints, length-delimited fields (strings and
 * embedded messages) and 32-bit floats. A message is built as a list of byte chunks and joined once.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH_DELIMITED = 2;

export class ProtoMessage {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  /** int32/int64/enum/bool field (non-negative values only: ONNX shapes, versions and enums). */
  varint(field: number, value: number): this {
    this.push(encodeVarint((field << 3) | WIRE_VARINT));
    this.push(encodeVarint(value));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: ProtoMessage): this {
    return this.bytes(field, value.toBytes());
  }

  float(field: number, value: number): this {
    this.push(encodeVarint((field << 3) | WIRE_FIXED32));
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.push(encodeVarint((field << 3) | WIRE_LENGTH_DELIMITED));
    this.push(encodeVarint(value.length));
    this.push(value);
    return this;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }
}

/** Base-128 varint of a non-negative integer up to 2^53 (arithmetic, not bit ops, so values above 2^31 work). */
export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`varint needs a non-negative safe integer, got ${value}`);
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}
