/**
 * The single-file container of a `.shiftlens` reference bundle:
 *
 *   offset 0   16 bytes  magic "\x89SHIFTLENS\r\n\x1a\n\0\0" (a PNG-style signature: a text-mode transfer breaks it)
 *   16         uint32 LE format version (BUNDLE_FORMAT_VERSION)
 *   20         uint32 LE byte length H of the header
 *   24         H bytes   header: UTF-8 JSON { tree, sections: [{ type, offset, length }] } (offsets after the header)
 *   …          zero padding to a multiple of 8, then every binary section, each padded to a multiple of 8
 *   end − 32   SHA-256 of every byte before it
 *
 * A reader checks, in this order: the magic (is it a bundle at all), the length, the checksum (corrupt or
 * truncated), then the version; a version it does not know whose checksum holds is a bundle from another release.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { BundleFormatError, type JsonTree, type Section, type SectionType } from './storableCodec.js';

export const BUNDLE_MAGIC = Buffer.from([
  0x89, 0x53, 0x48, 0x49, 0x46, 0x54, 0x4c, 0x45, 0x4e, 0x53, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00,
]);
/** Bumped whenever the layout or the meaning of a header field changes; readers refuse every other version. */
export const BUNDLE_FORMAT_VERSION = 1;
const CHECKSUM_BYTES = 32;
const PREFIX_BYTES = BUNDLE_MAGIC.length + 8;
const SECTION_TYPES = new Set<SectionType>(['f32', 'f64', 'i32', 'u32']);

interface SectionEntry {
  type: SectionType;
  offset: number;
  length: number;
}

/** The file's bytes as a list of chunks (written one after another) and their SHA-256 (hex). */
export function packBundle(tree: JsonTree, sections: readonly Section[]): { chunks: Uint8Array[]; checksum: string } {
  assertLittleEndian();
  const entries: SectionEntry[] = [];
  let offset = 0;
  for (const s of sections) {
    entries.push({ type: s.type, offset, length: s.bytes.length });
    offset += padded(s.bytes.length);
  }
  const header = Buffer.from(JSON.stringify({ tree, sections: entries }), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  BUNDLE_MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(BUNDLE_FORMAT_VERSION, BUNDLE_MAGIC.length);
  prefix.writeUInt32LE(header.length, BUNDLE_MAGIC.length + 4);
  const chunks: Uint8Array[] = [
    prefix,
    header,
    zeros(padded(PREFIX_BYTES + header.length) - PREFIX_BYTES - header.length),
  ];
  for (const s of sections) {
    chunks.push(s.bytes);
    chunks.push(zeros(padded(s.bytes.length) - s.bytes.length));
  }
  const hash = createHash('sha256');
  for (const c of chunks) hash.update(c);
  const digest = hash.digest();
  chunks.push(digest);
  return { chunks, checksum: digest.toString('hex') };
}

export interface UnpackedBundle {
  version: number;
  tree: JsonTree;
  sections: Section[];
  checksum: string;
}

/**
 * Parses a whole file. Throws BundleFormatError with a short reason: "not a shiftlens bundle", "truncated",
 * "corrupt", or an unknown version (`versionOf` says which).
 */
export function unpackBundle(bytes: Uint8Array): UnpackedBundle {
  assertLittleEndian();
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < BUNDLE_MAGIC.length || !buf.subarray(0, BUNDLE_MAGIC.length).equals(BUNDLE_MAGIC)) {
    throw new BundleFormatError('not a shiftlens reference bundle (its first bytes are not the bundle signature)');
  }
  if (buf.length < PREFIX_BYTES + CHECKSUM_BYTES) {
    throw new BundleFormatError(`truncated: ${buf.length} bytes, shorter than any bundle`);
  }
  const version = buf.readUInt32LE(BUNDLE_MAGIC.length);
  const body = buf.subarray(0, buf.length - CHECKSUM_BYTES);
  const stored = buf.subarray(buf.length - CHECKSUM_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(stored)) {
    throw new BundleFormatError(
      version === BUNDLE_FORMAT_VERSION
        ? 'corrupt or truncated: its SHA-256 checksum does not match its contents'
        : `corrupt, or written in bundle format version ${version}, which this shiftlens (format ${BUNDLE_FORMAT_VERSION}) cannot read`,
    );
  }
  if (version !== BUNDLE_FORMAT_VERSION) {
    throw new BundleFormatError(
      `written in bundle format version ${version}; this shiftlens reads version ${BUNDLE_FORMAT_VERSION} only`,
    );
  }
  const headerLength = buf.readUInt32LE(BUNDLE_MAGIC.length + 4);
  const dataStart = padded(PREFIX_BYTES + headerLength);
  if (dataStart > body.length) throw new BundleFormatError('corrupt: its header runs past the end of the file');
  let header: { tree?: JsonTree; sections?: SectionEntry[] };
  try {
    header = JSON.parse(buf.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength).toString('utf8'));
  } catch {
    throw new BundleFormatError('corrupt: its header is not valid JSON');
  }
  if (!header || typeof header !== 'object' || !Array.isArray(header.sections) || header.tree === undefined) {
    throw new BundleFormatError('corrupt: its header lacks the tree or the section list');
  }
  const sections: Section[] = header.sections.map((e, i) => {
    const ok =
      e &&
      SECTION_TYPES.has(e.type) &&
      Number.isInteger(e.offset) &&
      Number.isInteger(e.length) &&
      e.offset >= 0 &&
      e.length >= 0 &&
      dataStart + e.offset + e.length <= body.length;
    if (!ok) throw new BundleFormatError(`corrupt: section ${i} lies outside the file`);
    return { type: e.type, bytes: body.subarray(dataStart + e.offset, dataStart + e.offset + e.length) };
  });
  return { version, tree: header.tree, sections, checksum: digest.toString('hex') };
}

function padded(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function zeros(n: number): Uint8Array {
  return new Uint8Array(n);
}

function assertLittleEndian(): void {
  if (os.endianness() !== 'LE') {
    throw new BundleFormatError(
      'bundles are little-endian; this machine is big-endian, which shiftlens does not support',
    );
  }
}
