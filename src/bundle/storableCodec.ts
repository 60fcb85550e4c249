/**
 * The generic codec of Storable values (src/twosample/registry/storable.ts: what fitted states, and everything
 * else a reference bundle keeps, are made of) into a JSON tree plus binary sections. Typed arrays and matrices
 * become binary sections (little-endian, exact bits: no float is ever printed and re-parsed); the rest stays JSON.
 *
 * Tags in the tree: {"$bin": i, "type": "f32"} a typed array in section i; {"$matrix": i, "rows": r, "cols": c} a
 * Matrix whose float32 values are section i; {"$num": "NaN" | "Infinity" | "-Infinity" | "-0"} the numbers JSON
 * cannot write; {"$obj": {...}} a plain object whose own keys begin with "$" (so no user key is read as a tag).
 */
import { createMatrix, type Matrix } from '../core/matrix.js';
import type { Storable } from '../twosample/registry/storable.js';

/** What the codec takes and gives back: the detector registry's Storable. */
export type StorableValue = Storable;

export type SectionType = 'f32' | 'f64' | 'i32' | 'u32';

export interface Section {
  type: SectionType;
  /** The values' bytes, little-endian. */
  bytes: Uint8Array;
}

export type JsonTree = null | boolean | number | string | JsonTree[] | { [key: string]: JsonTree };

/** A bundle's file is damaged or not what it claims: readBundle turns it into a one-line InputError. */
export class BundleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleFormatError';
  }
}

const TYPED: Record<SectionType, { ctor: new (buffer: ArrayBuffer) => ArrayBufferView; size: number }> = {
  f32: { ctor: Float32Array, size: 4 },
  f64: { ctor: Float64Array, size: 8 },
  i32: { ctor: Int32Array, size: 4 },
  u32: { ctor: Uint32Array, size: 4 },
};

function sectionTypeOf(value: unknown): SectionType | null {
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Float64Array) return 'f64';
  if (value instanceof Int32Array) return 'i32';
  if (value instanceof Uint32Array) return 'u32';
  return null;
}

function isMatrix(value: object): value is Matrix {
  const keys = Object.keys(value);
  const m = value as Partial<Matrix>;
  return (
    keys.length === 3 &&
    m.data instanceof Float32Array &&
    Number.isInteger(m.rows) &&
    Number.isInteger(m.cols) &&
    (m.rows as number) * (m.cols as number) === m.data.length
  );
}

/** Encodes `value`; sections are appended to `sections` (so several values can share one section list). */
export function encodeStorable(value: StorableValue, sections: Section[], where = 'value'): JsonTree {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $num: 'NaN' };
    if (value === Number.POSITIVE_INFINITY) return { $num: 'Infinity' };
    if (value === Number.NEGATIVE_INFINITY) return { $num: '-Infinity' };
    if (Object.is(value, -0)) return { $num: '-0' };
    return value;
  }
  const type = sectionTypeOf(value);
  if (type) {
    sections.push({ type, bytes: bytesOf(value as ArrayBufferView) });
    return { $bin: sections.length - 1, type };
  }
  if (Array.isArray(value)) return value.map((v, i) => encodeStorable(v, sections, `${where}[${i}]`));
  if (typeof value === 'object') {
    if (isMatrix(value)) {
      sections.push({ type: 'f32', bytes: bytesOf(value.data) });
      return { $matrix: sections.length - 1, rows: value.rows, cols: value.cols };
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`${where} is a ${proto?.constructor?.name ?? 'non-plain object'}: not storable in a bundle`);
    }
    const out: Record<string, JsonTree> = {};
    let tagged = false;
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue; // like JSON: an absent optional field
      if (key.startsWith('$')) tagged = true;
      out[key] = encodeStorable(v, sections, `${where}.${key}`);
    }
    return tagged ? { $obj: out } : out;
  }
  throw new TypeError(`${where} is a ${typeof value}: not storable in a bundle`);
}

/** Decodes a tree written by encodeStorable; BundleFormatError when it does not fit its sections. */
export function decodeStorable(tree: JsonTree, sections: readonly Section[]): StorableValue {
  if (tree === null || typeof tree === 'boolean' || typeof tree === 'string' || typeof tree === 'number') return tree;
  if (Array.isArray(tree)) return tree.map((t) => decodeStorable(t, sections));
  if ('$num' in tree) {
    const numbers: Record<string, number> = {
      NaN: Number.NaN,
      Infinity: Number.POSITIVE_INFINITY,
      '-Infinity': Number.NEGATIVE_INFINITY,
      '-0': -0,
    };
    const n = numbers[tree.$num as string];
    if (n === undefined) throw new BundleFormatError(`unknown number tag ${JSON.stringify(tree.$num)}`);
    return n;
  }
  if ('$bin' in tree) {
    const section = sectionAt(sections, tree.$bin);
    if (section.type !== tree.type) {
      throw new BundleFormatError(`section ${tree.$bin} holds ${section.type} values, the header says ${tree.type}`);
    }
    return typedArrayOf(section) as StorableValue;
  }
  if ('$matrix' in tree) {
    const section = sectionAt(sections, tree.$matrix);
    const rows = tree.rows;
    const cols = tree.cols;
    if (section.type !== 'f32' || !isCount(rows) || !isCount(cols) || rows * cols * 4 !== section.bytes.length) {
      throw new BundleFormatError(`matrix section ${tree.$matrix} does not hold ${rows}×${cols} float32 values`);
    }
    return createMatrix(rows, cols, typedArrayOf(section) as Float32Array);
  }
  const plain = '$obj' in tree ? tree.$obj : tree;
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new BundleFormatError('an object tag holds no object');
  }
  const out: Record<string, StorableValue> = {};
  for (const [key, v] of Object.entries(plain)) out[key] = decodeStorable(v, sections);
  return out;
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

function sectionAt(sections: readonly Section[], index: JsonTree): Section {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= sections.length) {
    throw new BundleFormatError(`reference to section ${JSON.stringify(index)}, but the file has ${sections.length}`);
  }
  return sections[index];
}

/** A fresh, aligned typed array holding a copy of the section's bytes. */
function typedArrayOf(section: Section): ArrayBufferView {
  const { ctor, size } = TYPED[section.type];
  if (section.bytes.length % size !== 0) {
    throw new BundleFormatError(`a ${section.type} section of ${section.bytes.length} bytes`);
  }
  const copy = new ArrayBuffer(section.bytes.length);
  new Uint8Array(copy).set(section.bytes);
  return new ctor(copy);
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
