/**
 * The reading half of the protobuf wire format, enough for ONNX models: a message is split into its fields
 * (number, wire type, and either a varint value or the byte range of a length-delimited payload). Fixed 32/64-bit
 * fields are kept as byte ranges too. Nothing is decoded eagerly, so a 90 MB model is walked without copying.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

export interface ProtoField {
  field: number;
  wire: number;
  /** Varint value (wire type 0), as a number (ONNX enums, dims and counts fit in 2^53). */
  value: number;
  /** Payload bytes (wire types 1, 2, 5): a view into the message buffer. */
  bytes: Uint8Array;
  /** Where the whole field (tag included) starts and ends in the parent buffer. */
  start: number;
  end: number;
}

export class ProtoFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoFormatError';
  }
}

const EMPTY: Uint8Array = new Uint8Array(0);

/** Read a varint at `offset`; returns [value, next offset]. */
export function readVarint(buf: Uint8Array, offset: number): [number, number] {
  let value = 0;
  let scale = 1;
  let i = offset;
  for (;;) {
    if (i >= buf.length) throw new ProtoFormatError(`truncated varint at byte ${offset}`);
    const b = buf[i++];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) break;
    scale *= 128;
    if (i - offset > 10) throw new ProtoFormatError(`varint longer than 10 bytes at byte ${offset}`);
  }
  return [value, i];
}

/** All fields of one message, in wire order. */
export function readFields(buf: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let i = 0;
  while (i < buf.length) {
    const start = i;
    const [tag, afterTag] = readVarint(buf, i);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    i = afterTag;
    let value = 0;
    let bytes: Uint8Array = EMPTY;
    switch (wire) {
      case WIRE_VARINT:
        [value, i] = readVarint(buf, i);
        break;
      case WIRE_FIXED64:
        bytes = buf.subarray(i, i + 8);
        i += 8;
        break;
      case WIRE_FIXED32:
        bytes = buf.subarray(i, i + 4);
        i += 4;
        break;
      case WIRE_LENGTH_DELIMITED: {
        const [length, afterLength] = readVarint(buf, i);
        bytes = buf.subarray(afterLength, afterLength + length);
        i = afterLength + length;
        break;
      }
      default:
        throw new ProtoFormatError(`unsupported wire type ${wire} (field ${field}) at byte ${start}`);
    }
    if (i > buf.length) throw new ProtoFormatError(`field ${field} runs past the end of its message`);
    fields.push({ field, wire, value, bytes, start, end: i });
  }
  return fields;
}

export function decodeString(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Values of a repeated varint field, packed or not. */
export function repeatedVarints(fields: ProtoField[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === WIRE_VARINT) out.push(f.value);
    else if (f.wire === WIRE_LENGTH_DELIMITED) {
      let i = 0;
      while (i < f.bytes.length) {
        const [v, next] = readVarint(f.bytes, i);
        out.push(v);
        i = next;
      }
    }
  }
  return out;
}
