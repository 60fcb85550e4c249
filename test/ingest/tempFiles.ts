/** Small files written to a fresh temp folder for ingestion tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Call at the top level of a test file: the folder is removed after the file's tests. */
export function tempFolder(): (name: string, content: string | Uint8Array) => string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shiftlens-ingest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
}

/** A .npy file (format 1.0) with the given header fields and raw little-endian data bytes. */
export function npyBytes(descr: string, shape: number[], data: Uint8Array, fortranOrder = false): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(prefix);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data)]);
}

export function float32Npy(rows: number[][]): Buffer {
  const values = new Float32Array(rows.flat());
  return npyBytes('<f4', [rows.length, rows[0].length], new Uint8Array(values.buffer));
}
