/**
 * A piscina worker of parallel transformer embedding (parallelBackend.ts): loads its own copy of the model — one
 * ONNX Runtime session with its share of the cores — and embeds the batches it is sent. Errors come back as
 * values so an InputError stays one line with its class.
 */
import { workerData } from 'node:worker_threads';
import { isInputError } from '../../core/errors.js';
import { createTransformersBackend, type TransformersBackendOptions } from './transformersBackend.js';

export interface WorkerSetup {
  name: string;
  options: Omit<TransformersBackendOptions, 'progress' | 'fileDigest'>;
}

export type WorkerTask = { kind: 'info' } | { kind: 'embed'; texts: string[] };

export type WorkerReply =
  | {
      ok: true;
      info: Awaited<ReturnType<typeof createTransformersBackend>>['info'];
      cacheIdentity: string;
      onnxFile: string | null;
    }
  | { ok: true; data: Float32Array; stats: { truncated: boolean; nKnown: number; nOov: number }[] }
  | { ok: false; message: string; input: boolean };

const setup = workerData as WorkerSetup;
const ready = createTransformersBackend(setup.name, setup.options);
// Reported with the first task; keeps an unhandled rejection from ending the worker before that.
ready.catch(() => {});

export default async function run(task: WorkerTask): Promise<WorkerReply> {
  try {
    const backend = await ready;
    if (task.kind === 'info') {
      return { ok: true, info: backend.info, cacheIdentity: backend.cacheIdentity, onnxFile: backend.onnxFile };
    }
    const out = await backend.embedBatch(task.texts);
    return { ok: true, data: out.vectors.data, stats: out.stats };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error), input: isInputError(error) };
  }
}
