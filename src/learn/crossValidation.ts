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

/**
 * Out-of-fold probabilities for each λ in `grid`. Within a fold the path runs from the strongest λ to the
 * weakest, each fit warm-started from the previous one (same optimum, fewer iterations).
 */
export function crossValidate(
  x: Matrix,
  labels: ArrayLike<number>,
  nClasses: number,
  folds: Int32Array,
  grid: readonly number[],
  options: Partial<LogisticRegressionOptions> = {},
  onFit: () => void = () => {},
): CrossValidationRun[] {
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
  for (let fold = 0; fold < k; fold++) {
    const { train, test } = foldRows(folds, fold);
    if (test.length === 0) continue;
    const set = prepareTrainingSet(x, labels, nClasses, { rows: train, standardize: options.standardize });
    let warm: Float64Array | undefined;
    for (const lambda of order) {
      const model = fitPrepared(set, { ...options, regularization: lambda }, warm);
      warm = modelParameters(model);
      onFit();
      const run = runs.get(lambda) as CrossValidationRun;
      run.converged &&= model.converged;
      run.maxIterations = Math.max(run.maxIterations, model.iterations);
      const p = predictProbabilities(model, x, test);
      test.forEach((row, t) => run.probabilities.set(p.subarray(t * nClasses, (t + 1) * nClasses), row * nClasses));
    }
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
