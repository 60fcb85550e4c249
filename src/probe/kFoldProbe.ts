/**
 * One side's k-fold probe: choose λ on the grid by out-of-fold log-loss, then report out-of-fold accuracy and
 * macro-F1 at that λ with percentile-bootstrap intervals over rows.
 *
 * λ is selected on the same folds that score it (not nested): with five candidate values on a smooth curve the
 * optimism this adds is small, and it keeps the cost at folds × grid fits.
 */
import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import { binaryCounts, countBootstrapInterval, shareRight } from './bootstrap.js';
import { bestRun, crossValidate, stratifiedFolds, type CrossValidationRun } from '../learn/crossValidation.js';
import { withFoldRunner } from '../learn/foldPool.js';
import type { LogisticRegressionOptions } from '../learn/logisticRegression.js';
import { confusionCounts, macroF1FromConfusion } from '../learn/metrics.js';
import type { Interval } from './probeTypes.js';

export interface KFoldProbeResult {
  folds: number;
  /** The most training rows one fold's fits used (below the maxFitRows cap: all of that fold's training rows). */
  fitRows: number;
  run: CrossValidationRun;
  accuracy: Interval;
  macroF1: Interval;
  /** 1 where the out-of-fold prediction was right (for the transfer-gap bootstrap). */
  correct: Uint8Array;
}

export async function kFoldProbe(
  x: Matrix,
  labels: Int32Array,
  nClasses: number,
  settings: {
    folds: number;
    grid: readonly number[];
    bootstrap: { replicates: number; level: number };
    solver: Partial<LogisticRegressionOptions>;
    rng: Rng;
    onFit?: () => void;
    /** Each fold trains on at most this many of its training rows (a seeded sample); every row is still scored. */
    maxFitRows?: number;
  },
): Promise<KFoldProbeResult> {
  const k = Math.min(settings.folds, labels.length);
  const folds = stratifiedFolds(labels, k, settings.rng.fork('folds'));
  const maxFitRows = settings.maxFitRows ?? Number.POSITIVE_INFINITY;
  const fitRows = { max: maxFitRows, rng: settings.rng.fork('fit-rows') };
  // The most rows any fold trained on (fold training sets differ in size by at most one row per class).
  const largestTraining = labels.length - Math.floor(labels.length / k);
  // Folds on worker threads when they are large (the same numbers either way).
  const runs = await withFoldRunner(x, labels, nClasses, k, settings.solver, (runner) =>
    crossValidate(x, labels, nClasses, folds, settings.grid, settings.solver, settings.onFit, runner, fitRows),
  );
  const run = bestRun(runs);
  const predicted = run.predictions;
  const correct = Uint8Array.from(labels, (label, i) => (label === predicted[i] ? 1 : 0));
  const bootstrap = settings.bootstrap;
  return {
    folds: k,
    fitRows: Math.min(largestTraining, maxFitRows),
    run,
    correct,
    // Both statistics depend on the rows only through their counts: right/wrong, the confusion matrix.
    accuracy: countBootstrapInterval(
      [binaryCounts(correct)],
      ([counts]) => shareRight(counts),
      settings.rng.fork('bootstrap-accuracy'),
      bootstrap,
    ),
    macroF1: countBootstrapInterval(
      [confusionCounts(labels, predicted, nClasses)],
      ([counts]) => macroF1FromConfusion(counts, nClasses),
      settings.rng.fork('bootstrap-macro-f1'),
      bootstrap,
    ),
  };
}

/** Mean of 0/1 values over the given indices. */
export function meanOf(values: Uint8Array, indices: ArrayLike<number>): number {
  if (indices.length === 0) return 0;
  let total = 0;
  for (let k = 0; k < indices.length; k++) total += values[indices[k]];
  return total / indices.length;
}
