/**
 * The compact binary word-vector table: parsing the 307 MB JSON of the npm package takes seconds and ~1 GB of
 * memory, so it is converted once into this layout, which loads in a fraction of a second.
 *
 * Layout (little-endian):
 *   0  8 bytes   magic "SLWVTAB\0"
 *   8  u32       format version (TABLE_FORMAT_VERSION)
 *  12  u32       dim
 *  16  u32       number of words
 *  20  u32       metadata byte length (UTF-8 JSON: where the table came from)
 *  24  u32       vocabulary byte length (UTF-8, words joined by "\n", in the source's order = frequency rank)
 *  28  ...       metadata, vocabulary, zero padding to a multiple of 4, then float32 matrix words x dim
 */
import fs from 'node:fs';
import path from 'node:path';
import { VocabularyIndex } from './vocabularyIndex.js';

export const TABLE_MAGIC = 'SLWVTAB\0';
export const TABLE_FORMAT_VERSION = 1;
const HEADER_BYTES = 28;

export interface TableMetadata {
  /** npm package the vectors came from. */
  source: string;
  sourceVersion: string;
  /** Byte size of the source JSON, so a changed package invalidates the table. */
  sourceBytes: number;
}

export interface WordTable {
  dim: number;
  /** Rows (words) in the table. */
  nWords: number;
  /** Words in the source order (most frequent first for sg100d); made when first read, not by every run. */
  readonly words: string[];
  /** Word → row index, read from the vocabulary bytes without a string per word. */
  index: ReadonlyMap<string, number>;
  /** Row-major words.length x dim. */
  vectors: Float32Array;
  metadata: TableMetadata;
}

export class TableFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableFormatError';
  }
}

export function encodeTable(words: string[], dim: number, vectors: Float32Array, metadata: TableMetadata): Buffer {
  if (vectors.length !== words.length * dim) {
    throw new RangeError(`table has ${vectors.length} values, expected ${words.length}x${dim}`);
  }
  for (const w of words) if (w.includes('\n')) throw new RangeError(`word ${JSON.stringify(w)} contains a newline`);
  const meta = Buffer.from(JSON.stringify(metadata), 'utf8');
  const vocab = Buffer.from(words.join('\n'), 'utf8');
  const matrixOffset = align4(HEADER_BYTES + meta.length + vocab.length);
  const out = Buffer.alloc(matrixOffset + vectors.byteLength);
  out.write(TABLE_MAGIC, 0, 'latin1');
  out.writeUInt32LE(TABLE_FORMAT_VERSION, 8);
  out.writeUInt32LE(dim, 12);
  out.writeUInt32LE(words.length, 16);
  out.writeUInt32LE(meta.length, 20);
  out.writeUInt32LE(vocab.length, 24);
  meta.copy(out, HEADER_BYTES);
  vocab.copy(out, HEADER_BYTES + meta.length);
  Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength).copy(out, matrixOffset);
  return out;
}

export function decodeTable(bytes: Buffer): WordTable {
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 8) !== TABLE_MAGIC) {
    throw new TableFormatError('not a shiftlens word-vector table (bad magic)');
  }
  const version = bytes.readUInt32LE(8);
  if (version !== TABLE_FORMAT_VERSION) {
    throw new TableFormatError(`table format version ${version}, expected ${TABLE_FORMAT_VERSION}`);
  }
  const dim = bytes.readUInt32LE(12);
  const nWords = bytes.readUInt32LE(16);
  const metaLength = bytes.readUInt32LE(20);
  const vocabLength = bytes.readUInt32LE(24);
  const matrixOffset = align4(HEADER_BYTES + metaLength + vocabLength);
  const expected = matrixOffset + nWords * dim * 4;
  if (bytes.length !== expected) {
    throw new TableFormatError(`table is ${bytes.length} bytes, header says ${expected} (truncated or corrupt)`);
  }
  const metadata = JSON.parse(bytes.toString('utf8', HEADER_BYTES, HEADER_BYTES + metaLength)) as TableMetadata;
  const vocabStart = HEADER_BYTES + metaLength;
  const vocabBytes = bytes.subarray(vocabStart, vocabStart + vocabLength);
  let index: VocabularyIndex;
  try {
    index = new VocabularyIndex(vocabBytes, nWords);
  } catch (error) {
    if (error instanceof RangeError) throw new TableFormatError(`table ${error.message}, header says ${nWords}`);
    throw error;
  }
  // A Float32Array view needs a 4-byte-aligned offset; copy only if the buffer happens not to be aligned.
  const absolute = bytes.byteOffset + matrixOffset;
  const vectors =
    absolute % 4 === 0
      ? new Float32Array(bytes.buffer, absolute, nWords * dim)
      : new Float32Array(bytes.buffer.slice(absolute, absolute + nWords * dim * 4));
  let words: string[] | null = null;
  return {
    dim,
    nWords,
    get words() {
      words ??= nWords === 0 ? [] : vocabBytes.toString('utf8').split('\n');
      return words;
    },
    index,
    vectors,
    metadata,
  };
}

export function readTableFile(file: string): WordTable {
  return decodeTable(fs.readFileSync(file));
}

/** Write to a temporary file beside the target, then rename: a killed write never leaves a partial table. */
export function writeFileAtomic(file: string, bytes: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
