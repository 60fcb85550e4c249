/**
 * The Storable codec and the .shiftlens container: exact round trips of every value kind (bits of floats kept,
 * NaN/±Infinity/−0, "$" keys never read as tags), and each kind of damage refused with its own reason.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMatrix } from '../../src/core/matrix.js';
import { BUNDLE_FORMAT_VERSION, BUNDLE_MAGIC, packBundle, unpackBundle } from '../../src/bundle/bundleContainer.js';
import {
  BundleFormatError,
  decodeStorable,
  encodeStorable,
  type Section,
  type StorableValue,
} from '../../src/bundle/storableCodec.js';

function roundTrip(value: StorableValue): StorableValue {
  const sections: Section[] = [];
  const tree = encodeStorable(value, sections);
  const { chunks } = packBundle(tree, sections);
  const unpacked = unpackBundle(Buffer.concat(chunks));
  return decodeStorable(unpacked.tree, unpacked.sections);
}

function fileOf(value: StorableValue): Buffer {
  const sections: Section[] = [];
  return Buffer.concat(packBundle(encodeStorable(value, sections), sections).chunks);
}

describe('Storable codec', () => {
  it('round-trips typed arrays, matrices and nested records bit for bit', () => {
    const f32 = Float32Array.from([1.1, -2.5e-38, 3.4e38, 0]);
    const f64 = Float64Array.from([Math.PI, 1e-300, -0, Number.NaN]);
    const m = createMatrix(2, 3, Float32Array.from([1, 2, 3, 4, 5, 6.000001]));
    const value: StorableValue = {
      states: { mmd: { bandwidth: 0.123456789012345, sub: Int32Array.from([-1, 7]) }, ks: { basis: m } },
      counts: Uint32Array.from([0, 4294967295]),
      f32,
      f64,
      list: [null, true, 'text', 3, [f32]],
      odd: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0],
    };
    const back = roundTrip(value) as Record<string, StorableValue>;
    expect(back).toEqual(value);
    const odd = back.odd as number[];
    expect(Number.isNaN(odd[0])).toBe(true);
    expect(Object.is(odd[3], -0)).toBe(true);
    expect(back.f32).toBeInstanceOf(Float32Array);
    expect(back.counts).toBeInstanceOf(Uint32Array);
    // Float64 bits exactly (NaN included), not values printed and re-parsed.
    expect(Buffer.from((back.f64 as Float64Array).buffer)).toEqual(Buffer.from(f64.buffer));
    const basis = (back.states as { ks: { basis: { rows: number; cols: number; data: Float32Array } } }).ks.basis;
    expect([basis.rows, basis.cols]).toEqual([2, 3]);
    expect(basis.data).toBeInstanceOf(Float32Array);
  });

  it('keeps user keys that begin with "$" as keys, never as tags', () => {
    const value: StorableValue = { $bin: 3, $matrix: 'x', nested: { $num: 'NaN' } };
    expect(roundTrip(value)).toEqual(value);
  });

  it('copies sections out of a pool-allocated buffer at any offset (aligned views)', () => {
    const f64 = Float64Array.from([1, 2, 3]);
    const file = fileOf({ a: 'x', b: f64 });
    const shifted = Buffer.alloc(file.length + 3);
    file.copy(shifted, 3);
    const unpacked = unpackBundle(shifted.subarray(3));
    expect((decodeStorable(unpacked.tree, unpacked.sections) as { b: Float64Array }).b).toEqual(f64);
  });

  it('refuses values a bundle cannot hold', () => {
    expect(() => encodeStorable(new Map() as unknown as StorableValue, [])).toThrow(/Map: not storable/);
    expect(() => encodeStorable({ f: (() => 1) as unknown as StorableValue }, [])).toThrow(/value\.f is a function/);
  });
});

describe('.shiftlens container', () => {
  const file = fileOf({ x: Float32Array.from([1, 2, 3]), name: 'reference' });

  it('starts with the signature and version, ends with the SHA-256 of everything before it', () => {
    expect(file.subarray(0, BUNDLE_MAGIC.length)).toEqual(BUNDLE_MAGIC);
    expect(file.readUInt32LE(BUNDLE_MAGIC.length)).toBe(BUNDLE_FORMAT_VERSION);
    const digest = createHash('sha256')
      .update(file.subarray(0, file.length - 32))
      .digest();
    expect(file.subarray(file.length - 32)).toEqual(digest);
    expect(unpackBundle(file).checksum).toBe(digest.toString('hex'));
  });

  it('refuses another file type, a flipped byte anywhere, a truncated file and an unknown version', () => {
    const reason = (bytes: Buffer): string => {
      try {
        unpackBundle(bytes);
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(BundleFormatError);
        return (error as Error).message;
      }
    };
    expect(reason(Buffer.from('text,label\nhello,1\n'))).toMatch(/^not a shiftlens reference bundle/);
    for (const at of [30, Math.floor(file.length / 2), file.length - 40, file.length - 1]) {
      const corrupt = Buffer.from(file);
      corrupt[at] ^= 0x01;
      expect(reason(corrupt)).toMatch(/^corrupt or truncated/);
    }
    expect(reason(file.subarray(0, file.length - 10))).toMatch(/^corrupt or truncated/);
    expect(reason(file.subarray(0, 30))).toMatch(/^truncated/);
    // A newer (or older) version with a valid checksum: a bundle of another release, not a damaged one.
    for (const version of [BUNDLE_FORMAT_VERSION + 1, 0]) {
      const other = Buffer.from(file);
      other.writeUInt32LE(version, BUNDLE_MAGIC.length);
      createHash('sha256')
        .update(other.subarray(0, other.length - 32))
        .digest()
        .copy(other, other.length - 32);
      expect(reason(other)).toBe(
        `written in bundle format version ${version}; this shiftlens reads version ${BUNDLE_FORMAT_VERSION} only`,
      );
    }
  });
});
