/**
 * Worker thread of foldPool.ts: holds one training matrix (shared memory, not copied) and computes fold paths
 * with the same `foldPath` the main thread would run.
 */
import { workerData } from 'node:worker_threads';
import { createMatrix } from '../core/matrix.js';
import { foldPath, type FoldPath } from './crossValidation.js';
import type { LogisticRegressionOptions } from './logisticRegression.js';

export interface FoldWorkerSetup {
  data: SharedArrayBuffer;
  rows: number;
  cols: number;
  labels: Int32Array;
  nClasses: number;
  options: Partial<LogisticRegressionOptions>;
}

export interface FoldTask {
  train: number[];
  test: number[];
  order: number[];
}

const setup = workerData as FoldWorkerSetup;
const x = createMatrix(setup.rows, setup.cols, new Float32Array(setup.data));

export default function run(task: FoldTask): FoldPath {
  return foldPath(x, setup.labels, setup.nClasses, task.train, task.test, task.order, setup.options);
}
