/**
 * Embeddings as a NumPy .npy file (format 1.0, little-endian float32, C order, shape (rows, dim)) with the ids in a
 * sidecar text file beside it, one per line in row order (`vectors.npy` → `vectors.ids.txt`; labels, when given,
 * in `vectors.labels.txt`). numpy.load reads the matrix; `open(...).read().splitlines()` the ids.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { StagedFile } from './atomicFiles.js';

/** The .npy bytes of a float32 matrix: a header padded to a multiple of 64 bytes, then the raw values. */
export function encodeNpy(matrix: Matrix): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${matrix.rows}, ${matrix.cols}), }`;
  const unpadded = 10 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const prefix = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(prefix);
  prefix.writeUInt16LE(header.length, 8);
  const { data } = matrix;
  let bytes: Buffer;
  if (os.endianness() === 'LE') {
    bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  } else {
    bytes = Buffer.alloc(data.length * 4);
    for (let i = 0; i < data.length; i++) bytes.writeFloatLE(data[i], i * 4);
  }
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), bytes]);
}

/** "out/vectors.npy" → "out/vectors.ids.txt". */
export function sidecarPath(file: string, what: 'ids' | 'labels'): string {
  const base = path.basename(file, path.extname(file));
  return path.join(path.dirname(file), `${base}.${what}.txt`);
}

/** InputError when a value cannot stand on one line of a sidecar file (checked before embedding). */
export function requireSingleLines(values: readonly string[], what: string, file: string): void {
  values.forEach((v, i) => {
    if (/[\r\n]/.test(v)) {
      throw new InputError(
        `${what} of row ${i + 1} contains a line break, which ${file} (one per line) cannot hold; write .parquet instead`,
      );
    }
  });
}

function linesFile(values: readonly string[], what: string, file: string): string {
  requireSingleLines(values, what, file);
  return values.length === 0 ? '' : `${values.join('\n')}\n`;
}

export function npyFiles(
  file: string,
  vectors: Matrix,
  ids: readonly string[],
  labels: readonly string[] | null,
): StagedFile[] {
  const idsFile = sidecarPath(file, 'ids');
  const staged: StagedFile[] = [{ file: idsFile, write: (t) => writeFileSync(t, linesFile(ids, 'the id', idsFile)) }];
  if (labels) {
    const labelsFile = sidecarPath(file, 'labels');
    staged.push({ file: labelsFile, write: (t) => writeFileSync(t, linesFile(labels, 'the label', labelsFile)) });
  }
  // The matrix last: it is renamed into place only once the sidecars are.
  staged.push({ file, write: (t) => writeFileSync(t, encodeNpy(vectors)) });
  return staged;
}
