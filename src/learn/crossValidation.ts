/**
 * Stratified k-fold cross-validation for the logistic regression, and the choice of the L2 strength λ on a
 * small grid by cross-validated log-loss (a proper scoring rule: it rewards calibrated probabilities and rarely
 * ties, unlike accuracy). Folds are seeded, so the same Rng gives the same folds and the same numbers.
 */
import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import {
  argmaxRows,
  fitPrepared,
  modelParameters,
  predictProbabilities,
  prepareTrainingSet,
  type LogisticRegressionOptions,
} from './logisticRegression.js';
import { logLoss } from './metrics.js';

/** λ grid (mean-loss scale, standardised features): from nearly unregularised to strongly shrunk. */
export const DEFAULT_REGULARIZATION_GRID: readonly number[] = [1e-4, 1e-3, 1e-2, 1e-1, 1];

/**
 * Fold index (0..k−1) per row: each class's rows are shuffled and dealt round-robin, continuing where the
 * previous class stopped, so every fold gets each class in proportion and fold sizes differ by at most one.
 */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, rng: Rng): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`need at least 2 folds, got ${k}`);
  if (k > labels.length) throw new RangeError(`${k} folds for ${labels.length} rows`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const folds = new Int32Array(labels.length);
  let next = 0;
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(byClass.get(key) as number[]);
    for (const row of rows) {
      folds[row] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}

export function foldRows(folds: Int32Array, fold: number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < folds.length; i++) (folds[i] === fold ? test : train).push(i);
  return { train, test };
}

export interface CrossValidationRun {
  regularization: number;
  /** Out-of-fold class probabilities, row-major rows × nClasses. */
  probabilities: Float64Array;
  /** Out-of-fold predicted classes. */
  predictions: Int32Array;
  logLoss: number;
  /** Every fold's solver met its gradient tolerance. */
  converged: boolean;
  maxIterations: number;
}

/** One fold's λ path: the out-of-fold probabilities of its test rows at each λ (in `order`). */
export interface FoldPath {
  /** Per λ of the path: test rows × nClasses, row-major. */
  probabilities: Float64Array[];
  converged: boolean[];
  iterations: number[];
}

/**
 * Fit one fold's training rows along `order` (strongest λ first), each fit warm-started from the previous one
 * (same optimum, fewer iterations), and score its test rows. The same code runs in the worker threads.
 */
export function foldPath(
  x: Matrix,
  labels: ArrayLike<number>,
  nClasses: number,
  train: number[],
  test: number[],
  order: readonly number[],
  options: Partial<LogisticRegressionOptions>,
  onFit: () => void = () => {},
): FoldPath {
  const set = prepareTrainingSet(x, labels, nClasses, { rows: train, standardize: options.standardize });
  const path: FoldPath = { probabilities: [], converged: [], iterations: [] };
  let warm: Float64Array | undefined;
  for (const lambda of order) {
    const model = fitPrepared(set, { ...options, regularization: lambda }, warm);
    warm = modelParameters(model);
    onFit();
    path.probabilities.push(predictProbabilities(model, x, test));
    path.converged.push(model.converged);
    path.iterations.push(model.iterations);
  }
  return path;
}

/**
 * Runs a fold's path elsewhere (a worker thread) and resolves with the same FoldPath `foldPath` computes here;
 * null = run the folds here, one after another.
 */
export type FoldRunner = (fold: { train: number[]; test: number[]; order: readonly number[] }) => Promise<FoldPath>;

/**
 * At most `max` of `rows` (ascending), a seeded random subset; all of them (the same array) when there are no more.
 */
export function capRows(rows: number[], max: number, rng: Rng): number[] {
  if (rows.length <= max) return rows;
  const keep = Array.from(rng.sample(rows.length, max)).sort((a, b) => a - b);
  return keep.map((k) => rows[k]);
}

/**
 * Out-of-fold probabilities for each λ in `grid`. Within a fold the path runs from the strongest λ to the
 * weakest (foldPath). With a `runner` the folds run concurrently through it (worker threads); the numbers are
 * the same, since each fold's path is computed by the same deterministic code. With `fitRows`, a fold whose
 * training rows exceed `fitRows.max` trains on a seeded random `max` of them (rng forked per fold); every test
 * row is still scored.
 */
export async function crossValidate(
  x: Matrix,
  labels: ArrayLike<number>,
  nClasses: number,
  folds: Int32Array,
  grid: readonly number[],
  options: Partial<LogisticRegressionOptions> = {},
  onFit: () => void = () => {},
  runner: FoldRunner | null = null,
  fitRows: { max: number; rng: Rng } | null = null,
): Promise<CrossValidationRun[]> {
  const order = [...grid].sort((a, b) => b - a);
  const k = Math.max(...folds) + 1;
  const runs = new Map<number, CrossValidationRun>();
  for (const lambda of order) {
    runs.set(lambda, {
      regularization: lambda,
      probabilities: new Float64Array(x.rows * nClasses),
      predictions: new Int32Array(x.rows),
      logLoss: 0,
      converged: true,
      maxIterations: 0,
    });
  }
  const jobs: { test: number[]; path: Promise<FoldPath> }[] = [];
  for (let fold = 0; fold < k; fold++) {
    const rows = foldRows(folds, fold);
    const test = rows.test;
    if (test.length === 0) continue;
    const train = fitRows ? capRows(rows.train, fitRows.max, fitRows.rng.fork(`fold-${fold}`)) : rows.train;
    const path = runner
      ? runner({ train, test, order }).then((p) => {
          for (let i = 0; i < order.length; i++) onFit();
          return p;
        })
      : Promise.resolve(foldPath(x, labels, nClasses, train, test, order, options, onFit));
    jobs.push({ test, path });
    // One fold at a time here; a runner gets them all at once.
    if (!runner) await path;
  }
  for (const { test, path } of jobs) {
    const result = await path;
    order.forEach((lambda, l) => {
      const run = runs.get(lambda) as CrossValidationRun;
      run.converged &&= result.converged[l];
      run.maxIterations = Math.max(run.maxIterations, result.iterations[l]);
      const p = result.probabilities[l];
      test.forEach((row, t) => run.probabilities.set(p.subarray(t * nClasses, (t + 1) * nClasses), row * nClasses));
    });
  }
  const truth = Array.from(labels);
  return grid.map((lambda) => {
    const run = runs.get(lambda) as CrossValidationRun;
    run.predictions = argmaxRows(run.probabilities, nClasses);
    run.logLoss = logLoss(truth, run.probabilities, nClasses);
    return run;
  });
}

/** The run with the lowest out-of-fold log-loss; near-ties (within 1e-9) go to the stronger λ (simpler model). */
export function bestRun(runs: CrossValidationRun[]): CrossValidationRun {
  return runs.reduce((best, run) =>
    run.logLoss < best.logLoss - 1e-9 ||
    (Math.abs(run.logLoss - best.logLoss) <= 1e-9 && run.regularization > best.regularization)
      ? run
      : best,
  );
}
