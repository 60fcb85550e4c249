/**
 * Cross-validation folds on all cores: a piscina pool of worker threads (foldWorker.ts) sharing the training
 * matrix through a SharedArrayBuffer, each computing whole fold paths. Each path is the same deterministic code
 * as on the main thread, so the results are identical; only the wall time changes. Used when the folds are large
 * enough to repay starting the threads, and only from the compiled package (under vitest the TypeScript sources
 * have no worker file, and the folds run one after another).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Matrix } from '../core/matrix.js';
import type { FoldPath, FoldRunner } from './crossValidation.js';
import type { FoldTask, FoldWorkerSetup } from './foldWorker.js';
import type { LogisticRegressionOptions } from './logisticRegression.js';

const WORKER_FILE = new URL('./foldWorker.js', import.meta.url);

/** Below this many matrix entries (rows × cols) a fold takes milliseconds: threads would cost more. */
export const PARALLEL_MIN_ENTRIES = 500_000;

export function parallelFoldsAvailable(): boolean {
  return WORKER_FILE.protocol === 'file:' && existsSync(fileURLToPath(WORKER_FILE));
}

/**
 * Runs `work` with a FoldRunner over worker threads when worthwhile (else null: the folds run here), and shuts
 * the threads down afterwards.
 */
export async function withFoldRunner<T>(
  x: Matrix,
  labels: ArrayLike<number>,
  nClasses: number,
  folds: number,
  options: Partial<LogisticRegressionOptions>,
  work: (runner: FoldRunner | null) => Promise<T>,
): Promise<T> {
  const threads = Math.min(os.availableParallelism(), folds);
  if (threads < 2 || x.rows * x.cols < PARALLEL_MIN_ENTRIES || !parallelFoldsAvailable()) return work(null);
  const shared = new SharedArrayBuffer(x.data.byteLength);
  new Float32Array(shared).set(x.data);
  const workerData: FoldWorkerSetup = {
    data: shared,
    rows: x.rows,
    cols: x.cols,
    labels: Int32Array.from(labels),
    nClasses,
    options,
  };
  const pool = new Piscina({ filename: WORKER_FILE.href, minThreads: threads, maxThreads: threads, workerData });
  try {
    return await work((task) => pool.run({ ...task, order: [...task.order] } satisfies FoldTask) as Promise<FoldPath>);
  } finally {
    await pool.destroy();
  }
}
