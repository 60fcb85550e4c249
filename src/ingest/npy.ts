/**
 * NumPy .npy arrays of precomputed embeddings: float32, 2-D (rows × dim), C order; format versions 1–3.
 * Anything else gets an InputError saying the NumPy call that fixes it. Big-endian float32 is byte-swapped.
 */
import { readFile } from 'node:fs/promises';
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { InputError } from '../core/errors.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { displayName, requireNonEmptyFile } from './sourceFile.js';
import { VectorCollector } from './vectorCollector.js';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // "\x93NUMPY"

export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset where the data starts. */
  dataOffset: number;
}

export function parseNpyHeader(bytes: Buffer, file: string): NpyHeader {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) {
    throw new InputError(`${file}: not a NumPy .npy file (missing the \\x93NUMPY magic); save it with numpy.save`);
  }
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart + headerLength) throw new InputError(`${file}: truncated .npy header`);
  const header = bytes.subarray(headerStart, headerStart + headerLength).toString(major >= 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new InputError(`${file}: unreadable .npy header ${JSON.stringify(header.trim())}; save it with numpy.save`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: headerStart + headerLength };
}

export async function loadNpy(
  file: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  if (options.labelColumn !== undefined) {
    throw new InputError(
      `${file}: a .npy array has no columns, so --label-column "${options.labelColumn}" cannot apply; use embeddings JSONL for labelled vectors`,
    );
  }
  const size = await requireNonEmptyFile(file);
  const task = progress.start(`reading ${displayName(file)}`, size);
  const bytes = await readFile(file);
  task.increment(size);
  task.done();
  const header = parseNpyHeader(bytes, file);
  const { descr, shape } = header;
  if (!/^[<>|=]?f4$/.test(descr)) {
    throw new InputError(
      `${file}: dtype ${descr} (${describeDtype(descr)}), expected float32; save with array.astype('float32')`,
    );
  }
  if (shape.length !== 2) {
    throw new InputError(
      `${file}: array has ${shape.length} dimension${shape.length === 1 ? '' : 's'} (shape (${shape.join(', ')})), expected 2 (rows × dim); reshape it, e.g. array.reshape(len(array), -1)`,
    );
  }
  if (header.fortranOrder) {
    throw new InputError(
      `${file}: array is in Fortran (column-major) order; save numpy.ascontiguousarray(array) instead`,
    );
  }
  const [rows, dim] = shape;
  const expected = rows * dim * 4;
  if (bytes.length - header.dataOffset < expected) {
    throw new InputError(
      `${file}: truncated: shape (${rows}, ${dim}) needs ${expected} data bytes, file has ${bytes.length - header.dataOffset}`,
    );
  }
  if (dim === 0) throw new InputError(`${file}: vectors have dimension 0`);
  // Copy into an aligned buffer (the data offset is a multiple of 16 in valid files, but the Buffer's may not be).
  const data = new Float32Array(rows * dim);
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, expected);
  const littleEndian = !descr.startsWith('>');
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, littleEndian);
  const collector = new VectorCollector(false, options);
  const name = displayName(file);
  for (let r = 0; r < rows; r++)
    collector.add(data.subarray(r * dim, (r + 1) * dim), null, r + 1, `${file} row ${r + 1}`);
  return collector.finish(file, (row) => `${name} row ${row}`);
}

function describeDtype(descr: string): string {
  const kind: Record<string, string> = {
    f: 'float',
    i: 'int',
    u: 'unsigned int',
    b: 'bool',
    U: 'unicode string',
    S: 'bytes',
    O: 'Python object',
    c: 'complex',
  };
  const m = /^[<>|=]?([a-zA-Z])(\d*)$/.exec(descr);
  if (!m) return 'unsupported';
  const bits = m[2] ? `${Number(m[2]) * (m[1] === 'U' ? 32 : 8)}` : '';
  return `${kind[m[1]] ?? m[1]}${m[1] === 'U' || m[1] === 'S' ? ` of length ${m[2]}` : bits}`;
}
