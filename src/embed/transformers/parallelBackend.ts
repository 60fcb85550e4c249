/**
 * Transformer embedding on several cores: a piscina pool of worker threads (embedWorker.ts), each with its own
 * model session and floor(cores / workers) ONNX Runtime threads, so tokenisation (plain JavaScript, about half
 * the time) runs in parallel too. A batch from the embedder is cut into the same `chunkSize` model calls the
 * one-thread backend would make, sent to the workers concurrently and put back in order, so the vectors are the
 * ones a single thread computes (test/cli/embedCli.test.ts compares them bit for bit).
 */
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { InputError } from '../../core/errors.js';
import { createMatrix } from '../../core/matrix.js';
import type { BatchOutput, EmbeddingBackend, TextStats } from '../backend.js';
import type { WorkerReply, WorkerSetup, WorkerTask } from './embedWorker.js';
import { resolveModelSource, sourceIdentity } from './modelSource.js';
import { AUTO_WORKER_CAP } from './workerCap.js';
import type { TransformersBackendOptions } from './transformersBackend.js';

export { AUTO_WORKER_CAP } from './workerCap.js';

const WORKER_FILE = new URL('./embedWorker.js', import.meta.url);

/** Whether the compiled worker is there (false when running from TypeScript sources, e.g. under vitest). */
export function parallelEmbeddingAvailable(): boolean {
  return WORKER_FILE.protocol === 'file:' && existsSync(fileURLToPath(WORKER_FILE));
}

/**
 * Workers for `requested` ('auto' = the cores, at most AUTO_WORKER_CAP, and no more copies of a local model than
 * a third of free memory holds); 1 where the compiled worker is missing.
 */
export function resolveWorkerCount(requested: number | 'auto' | undefined, modelName: string): number {
  if (requested === undefined) return 1;
  if (requested !== 'auto') {
    if (!Number.isInteger(requested) || requested < 1) {
      throw new InputError(`--embed-workers must be a positive integer or auto, got ${requested}`);
    }
    return requested;
  }
  if (!parallelEmbeddingAvailable()) return 1;
  let workers = Math.min(os.availableParallelism(), AUTO_WORKER_CAP);
  try {
    const source = resolveModelSource(modelName);
    if (source.kind === 'local') {
      // A session needs roughly three times the weights in memory.
      const perWorker = 3 * statSync(source.onnxFile).size;
      workers = Math.min(workers, Math.max(1, Math.floor(os.freemem() / 3 / perWorker)));
    }
  } catch {
    // resolveModelSource's own error is reported when the model is loaded.
  }
  return workers;
}

async function call(pool: Piscina, task: WorkerTask): Promise<WorkerReply> {
  const reply = (await pool.run(task)) as WorkerReply;
  if (!reply.ok) throw reply.input ? new InputError(reply.message) : new Error(reply.message);
  return reply;
}

export async function createParallelTransformersBackend(
  name: string,
  options: Omit<TransformersBackendOptions, 'progress' | 'intraOpThreads'>,
  settings: { workers: number; chunkSize: number },
): Promise<EmbeddingBackend> {
  const { fileDigest, ...cloneable } = options;
  if (!parallelEmbeddingAvailable()) {
    throw new InputError(
      `parallel embedding needs the compiled worker ${fileURLToPath(WORKER_FILE)}; run the built package or use --embed-workers 1`,
    );
  }
  const intraOpThreads = Math.max(1, Math.floor(os.availableParallelism() / settings.workers));
  const workerData: WorkerSetup = { name, options: { ...cloneable, intraOpThreads } };
  // One worker first (it downloads a hub model once); the others start when batches queue up.
  const pool = new Piscina({
    filename: WORKER_FILE.href,
    minThreads: 1,
    maxThreads: settings.workers,
    idleTimeout: 60_000,
    workerData,
  });
  let first: WorkerReply;
  try {
    first = await call(pool, { kind: 'info' });
  } catch (error) {
    await pool.destroy();
    throw error;
  }
  if (!('info' in first)) throw new Error('embedding worker answered the info request without info');
  const { info } = first;
  // The weights' digests are taken here, where the cache's memo is (the worker keys by sizes and times only).
  const cacheIdentity = fileDigest
    ? `transformers|${sourceIdentity(resolveModelSource(name), first.onnxFile, fileDigest)}`
    : first.cacheIdentity;
  const dim = info.dim;
  return {
    info: { ...info, description: `${info.description} Embedded by ${settings.workers} worker threads.` },
    cacheIdentity,
    countsOov: false,
    async embedBatch(texts: string[]): Promise<BatchOutput> {
      const starts: number[] = [];
      for (let s = 0; s < texts.length; s += settings.chunkSize) starts.push(s);
      const replies = await Promise.all(
        starts.map((s) => call(pool, { kind: 'embed', texts: texts.slice(s, s + settings.chunkSize) })),
      );
      const data = new Float32Array(texts.length * dim);
      const stats: TextStats[] = [];
      replies.forEach((reply, k) => {
        if (!('data' in reply)) throw new Error('embedding worker answered without vectors');
        data.set(reply.data, starts[k] * dim);
        stats.push(...reply.stats);
      });
      return { vectors: createMatrix(texts.length, dim, data), stats };
    },
    async dispose() {
      await pool.destroy();
    },
  };
}
