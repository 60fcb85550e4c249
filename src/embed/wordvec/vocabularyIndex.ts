/**
 * Word → row over a table's vocabulary bytes (UTF-8 words joined by "\n"), without making a string per word:
 * an open-addressing hash table of FNV-1a hashes built in one pass over the bytes. For the 341,479-word sg100d
 * vocabulary that takes ~15 ms where a Map<string, number> took ~300 ms of every run. Behaves as a
 * ReadonlyMap<string, number> (a word listed twice maps to its last row, as Map.set would leave it). A count
 * other than the expected one is a RangeError.
 */
const EMPTY = -1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const NEWLINE = 0x0a;

export class VocabularyIndex implements ReadonlyMap<string, number> {
  /** Row of each slot, EMPTY where none. */
  private readonly slots: Int32Array;
  /** Hash of each slot's word, so a probe compares bytes only on a full hash match. */
  private readonly hashes: Uint32Array;
  private readonly mask: number;
  /** Byte offset where each row's word starts; starts[n] is one past the end (a virtual newline). */
  private readonly starts: Int32Array;
  private count = 0;

  constructor(
    private readonly bytes: Uint8Array,
    readonly nWords: number,
  ) {
    let capacity = 1;
    while (capacity < 2 * Math.max(1, nWords)) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.hashes = new Uint32Array(capacity);
    this.mask = capacity - 1;
    this.starts = new Int32Array(nWords + 1);
    this.starts[nWords] = bytes.length + 1;
    if (nWords === 0) return; // no words, whatever the bytes hold (as the table format reads it)
    let row = 0;
    let start = 0;
    let hash = FNV_OFFSET;
    for (let i = 0; i <= bytes.length; i++) {
      const b = i < bytes.length ? bytes[i] : NEWLINE;
      if (b !== NEWLINE) {
        hash = Math.imul(hash ^ b, FNV_PRIME);
        continue;
      }
      if (row < nWords) {
        this.starts[row] = start;
        this.insert(hash >>> 0, row, start, i - start);
      }
      row++;
      start = i + 1;
      hash = FNV_OFFSET;
    }
    if (row !== nWords) throw new RangeError(`vocabulary has ${row} words`);
  }

  private insert(hash: number, row: number, start: number, length: number): void {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot];
      if (at === EMPTY) {
        this.slots[slot] = row;
        this.hashes[slot] = hash;
        this.count++;
        return;
      }
      if (this.hashes[slot] === hash && this.sameBytes(at, this.bytes, start, length)) {
        this.slots[slot] = row; // listed again: the later row, as Map.set
        return;
      }
    }
  }

  private wordEnd(row: number): number {
    return this.starts[row + 1] - 1;
  }

  /** Whether row's word equals source[from, from + length). */
  private sameBytes(row: number, source: Uint8Array, from: number, length: number): boolean {
    const start = this.starts[row];
    if (this.wordEnd(row) - start !== length) return false;
    for (let k = 0; k < length; k++) if (this.bytes[start + k] !== source[from + k]) return false;
    return true;
  }

  get size(): number {
    return this.count;
  }

  get(word: string): number | undefined {
    // ASCII (all but a few sg100d words): hash and compare the char codes themselves.
    let hash = FNV_OFFSET;
    for (let k = 0; k < word.length; k++) {
      const c = word.charCodeAt(k);
      if (c >= 0x80) return this.getBytes(Buffer.from(word, 'utf8'));
      if (c === NEWLINE) return undefined;
      hash = Math.imul(hash ^ c, FNV_PRIME);
    }
    hash >>>= 0;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const row = this.slots[slot];
      if (row === EMPTY) return undefined;
      if (this.hashes[slot] === hash && this.sameAscii(row, word)) return row;
    }
  }

  private sameAscii(row: number, word: string): boolean {
    const start = this.starts[row];
    if (this.wordEnd(row) - start !== word.length) return false;
    for (let k = 0; k < word.length; k++) if (this.bytes[start + k] !== word.charCodeAt(k)) return false;
    return true;
  }

  private getBytes(encoded: Uint8Array): number | undefined {
    let hash = FNV_OFFSET;
    for (let k = 0; k < encoded.length; k++) {
      if (encoded[k] === NEWLINE) return undefined;
      hash = Math.imul(hash ^ encoded[k], FNV_PRIME);
    }
    hash >>>= 0;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const row = this.slots[slot];
      if (row === EMPTY) return undefined;
      if (this.hashes[slot] === hash && this.sameBytes(row, encoded, 0, encoded.length)) return row;
    }
  }

  has(word: string): boolean {
    return this.get(word) !== undefined;
  }

  /** The word of a row. */
  word(row: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString(
      'utf8',
      this.starts[row],
      this.wordEnd(row),
    );
  }

  *entries(): MapIterator<[string, number]> {
    for (let row = 0; row < this.nWords; row++) {
      const word = this.word(row);
      if (this.get(word) === row) yield [word, row]; // a word listed twice: its last row only
    }
  }

  *keys(): MapIterator<string> {
    for (const [word] of this.entries()) yield word;
  }

  *values(): MapIterator<number> {
    for (const [, row] of this.entries()) yield row;
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    for (const [word, row] of this.entries()) callback.call(thisArg, row, word, this);
  }
}
