/**
 * Real embeddings for calibration and power tests: a SpamAssassin group (or any loadDataset spec) embedded with
 * the offline default model (wordvec:sg100d). Computed once per machine and kept as a float32 file under the
 * git-ignored test cache, written atomically so parallel test workers never read a half-written file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { createEmbedder } from '../../src/embed/registry.js';
import { testCacheDir } from './repoPaths.js';

const FORMAT_VERSION = 1;

/** `group` is a SpamAssassin group ("easy-ham-1") or a full source spec ("uci-sentiment:yelp"). */
export async function loadRealEmbeddings(group: string, model = 'wordvec:sg100d'): Promise<Matrix> {
  const spec = group.includes(':') ? group : `spam-assassin:${group}`;
  const file = path.join(testCacheDir, 'embeddings', `${safeName(`${model}__${spec}`)}.v${FORMAT_VERSION}.f32`);
  try {
    const bytes = await readFile(file);
    const header = new Uint32Array(bytes.buffer, bytes.byteOffset, 2);
    const [rows, cols] = [header[0], header[1]];
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 8, bytes.byteOffset + 8 + rows * cols * 4));
    return createMatrix(rows, cols, data);
  } catch {
    // not cached yet
  }
  const dataset = await loadDataset(spec, { seed: 0 });
  const embedder = await createEmbedder(model, { cacheDir: path.join(testCacheDir, 'model-cache') });
  try {
    const { vectors } = await embedder.embed(dataset.texts as string[]);
    await mkdir(path.dirname(file), { recursive: true });
    const out = Buffer.alloc(8 + vectors.data.byteLength);
    out.writeUInt32LE(vectors.rows, 0);
    out.writeUInt32LE(vectors.cols, 4);
    Buffer.from(vectors.data.buffer, vectors.data.byteOffset, vectors.data.byteLength).copy(out, 8);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, out);
    await rename(temp, file);
    return vectors;
  } finally {
    await embedder.dispose();
  }
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_');
}
