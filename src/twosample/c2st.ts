/**
 * Classifier two-sample test (C2ST; Lopez-Paz & Oquab, ICLR 2017): can a domain classifier tell reference rows
 * from target rows? The classifier is the probe's own L2 logistic regression (src/probe/logisticRegression.ts),
 * features standardised on each training fold.
 *
 * Effect size: the out-of-fold AUC from stratified k-fold cross-validation (default 5 folds) over all rows,
 * reported as AUC − 0.5 (0 = indistinguishable, 0.5 = perfectly separable). These out-of-fold probabilities
 * are also the per-sample "which samples drove it" scores.
 *
 * p-value (default 'holdout'): a stratified random half of each side trains the classifier, the other half is
 * scored, and a one-sided Mann–Whitney test asks whether held-out target rows score higher than held-out
 * reference rows. Given the training half, the held-out rows are exchangeable under H0, so this p-value is exact
 * (Mann–Whitney exact distribution up to 50 per side, normal approximation with tie correction above).
 * The pooled out-of-fold AUC itself is NOT used for the p-value: its folds share training rows, so their scores
 * are correlated and the Mann–Whitney null variance does not apply.
 * Option 'permutation': the out-of-fold AUC against its permutation null (labels shuffled, the whole k-fold
 * procedure rerun), p = (1 + #{AUC_perm ≥ AUC}) / (1 + P). Also exact, uses every row, but costs P × k fits.
 *
 * Regularisation is fixed (λ = 0.1 on the mean-loss scale, see DEFAULT_C2ST_OPTIONS) rather than tuned by an
 * inner CV: a test of "any difference" gains little from tuning, and a fixed λ keeps the cost at k + 1 fits.
 * Above `maxPerSide` rows per side (default 5000), a seeded random subsample of that size per side is used
 * (said in details); rows left out are scored by the average of the k fold models, which never saw them.
 */
import { InputError } from '../core/errors.js';
import { concatRows, firstNonFinite, selectRows, type Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import { mannWhitneyAuc } from '../probe/auc.js';
import { foldRows, stratifiedFolds } from '../probe/crossValidation.js';
import {
  fitLogisticRegression,
  predictProbabilities,
  type LogisticModel,
  type LogisticRegressionOptions,
} from '../probe/logisticRegression.js';
import type { TwoSampleDetector, TwoSampleInput, TwoSampleTestResult } from './detector.js';

export interface C2stOptions {
  folds: number;
  /** λ of the logistic regression (mean-loss scale, standardised features). */
  regularization: number;
  /** Rows per side above which a seeded random subsample of this size is used. */
  maxPerSide: number;
  pValueMethod: 'holdout' | 'permutation';
  /** Permutations for pValueMethod 'permutation'. */
  permutations: number;
}

export const DEFAULT_C2ST_OPTIONS: C2stOptions = {
  folds: 5,
  regularization: 0.1,
  maxPerSide: 5000,
  pValueMethod: 'holdout',
  permutations: 200,
};

export interface C2stRun {
  result: TwoSampleTestResult;
  /** Out-of-fold probability of "target" for every reference row. */
  referenceProbability: Float64Array;
  /** Out-of-fold probability of "target" for every target row. */
  targetProbability: Float64Array;
}

export async function runC2st(input: TwoSampleInput, options: Partial<C2stOptions> = {}): Promise<C2stRun> {
  const started = performance.now();
  const opts = { ...DEFAULT_C2ST_OPTIONS, ...options };
  validate(input.reference, input.target, opts);
  const solver: Partial<LogisticRegressionOptions> = { regularization: opts.regularization };

  // Subsample large sides (seeded), keeping the indices to map scores back.
  const referenceRows = subsample(input.reference.rows, opts.maxPerSide, input.rng.fork('subsample-reference'));
  const targetRows = subsample(input.target.rows, opts.maxPerSide, input.rng.fork('subsample-target'));
  const pooled = concatRows(selectRows(input.reference, referenceRows), selectRows(input.target, targetRows));
  const nRef = referenceRows.length;
  const nTgt = targetRows.length;
  const isTarget = Int32Array.from({ length: nRef + nTgt }, (_, i) => (i < nRef ? 0 : 1));
  const k = Math.min(opts.folds, nRef, nTgt);

  const permutationFits = opts.pValueMethod === 'permutation' ? opts.permutations * k : 1;
  const task = input.progress.start('C2ST domain classifier', k + permutationFits);

  const outOfFold = outOfFoldProbabilities(pooled, isTarget, k, solver, input.rng.fork('folds'), () =>
    task.increment(),
  );
  const auc = aucOf(outOfFold.probabilities, isTarget);

  let pValue: number;
  let method: string;
  const details: Record<string, unknown> = {
    auc,
    folds: k,
    regularization: opts.regularization,
    nReference: nRef,
    nTarget: nTgt,
    subsampled: nRef < input.reference.rows || nTgt < input.target.rows,
    maxPerSide: opts.maxPerSide,
    pValueMethod: opts.pValueMethod,
    foldsConverged: outOfFold.converged,
  };
  if (opts.pValueMethod === 'holdout') {
    const holdout = holdoutTest(pooled, isTarget, solver, input.rng.fork('holdout'));
    task.increment();
    pValue = holdout.pValue;
    method =
      `one-sided Mann–Whitney test (${holdout.method}) on a held-out half (${holdout.nReference} reference vs ` +
      `${holdout.nTarget} target rows) scored by a classifier trained on the other half`;
    Object.assign(details, {
      holdoutAuc: holdout.auc,
      holdoutReference: holdout.nReference,
      holdoutTarget: holdout.nTarget,
      holdoutConverged: holdout.converged,
    });
  } else {
    const rng = input.rng.fork('permutations');
    let atLeast = 0;
    for (let p = 0; p < opts.permutations; p++) {
      const permuted = rng.shuffle(Int32Array.from(isTarget));
      const run = outOfFoldProbabilities(pooled, permuted, k, solver, rng.fork(`folds-${p}`), () => task.increment());
      if (aucOf(run.probabilities, permuted) >= auc) atLeast++;
      if (p % 10 === 9) await yieldToEventLoop();
    }
    pValue = (1 + atLeast) / (1 + opts.permutations);
    method = `permutation null of the ${k}-fold out-of-fold AUC, ${opts.permutations} permutations, (1+b)/(1+P)`;
    details.permutations = opts.permutations;
  }
  task.done();

  const { referenceProbability, targetProbability } = scoreAllRows(
    input,
    referenceRows,
    targetRows,
    outOfFold.probabilities,
    outOfFold.models,
  );
  const subsampleNote = details.subsampled ? `; subsampled to ${opts.maxPerSide} rows per side` : '';
  return {
    result: {
      name: 'c2st',
      label: `C2ST (logistic domain classifier, ${k}-fold AUC)`,
      statistic: auc,
      pValue,
      effectSize: auc - 0.5,
      effectSizeName: 'AUC − 0.5',
      shift: false,
      pValueAdjusted: null,
      method: method + subsampleNote,
      details,
      timingMs: performance.now() - started,
    },
    referenceProbability,
    targetProbability,
  };
}

export const c2stDetector: TwoSampleDetector<C2stOptions> = {
  name: 'c2st',
  run: async (input, options) => (await runC2st(input, options)).result,
};

interface OutOfFold {
  /** P(target) per pooled row. */
  probabilities: Float64Array;
  models: LogisticModel[];
  converged: boolean;
}

function outOfFoldProbabilities(
  pooled: Matrix,
  isTarget: Int32Array,
  k: number,
  solver: Partial<LogisticRegressionOptions>,
  rng: Rng,
  onFit: () => void,
): OutOfFold {
  const folds = stratifiedFolds(isTarget, k, rng);
  const probabilities = new Float64Array(pooled.rows);
  const models: LogisticModel[] = [];
  let converged = true;
  for (let fold = 0; fold < k; fold++) {
    const { train, test } = foldRows(folds, fold);
    const model = fitLogisticRegression(pooled, isTarget, 2, { ...solver, rows: train });
    onFit();
    converged &&= model.converged;
    models.push(model);
    const p = predictProbabilities(model, pooled, test);
    test.forEach((row, t) => (probabilities[row] = p[t * 2 + 1]));
  }
  return { probabilities, models, converged };
}

function holdoutTest(
  pooled: Matrix,
  isTarget: Int32Array,
  solver: Partial<LogisticRegressionOptions>,
  rng: Rng,
): { pValue: number; auc: number; method: string; nReference: number; nTarget: number; converged: boolean } {
  // Two stratified "folds": fold 0 trains, fold 1 is scored.
  const halves = stratifiedFolds(isTarget, 2, rng);
  const { train, test } = foldRows(halves, 1);
  const model = fitLogisticRegression(pooled, isTarget, 2, { ...solver, rows: train });
  const p = predictProbabilities(model, pooled, test);
  const targetScores: number[] = [];
  const referenceScores: number[] = [];
  test.forEach((row, t) => (isTarget[row] === 1 ? targetScores : referenceScores).push(p[t * 2 + 1]));
  const mw = mannWhitneyAuc(targetScores, referenceScores);
  return {
    pValue: mw.pValue,
    auc: mw.auc,
    method: mw.method,
    nReference: referenceScores.length,
    nTarget: targetScores.length,
    converged: model.converged,
  };
}

function aucOf(probabilities: Float64Array, isTarget: Int32Array): number {
  const positive: number[] = [];
  const negative: number[] = [];
  isTarget.forEach((t, i) => (t === 1 ? positive : negative).push(probabilities[i]));
  return mannWhitneyAuc(positive, negative).auc;
}

/** Out-of-fold probabilities for sampled rows; the fold models' mean for rows left out by subsampling. */
function scoreAllRows(
  input: TwoSampleInput,
  referenceRows: number[],
  targetRows: number[],
  pooledProbabilities: Float64Array,
  models: LogisticModel[],
): { referenceProbability: Float64Array; targetProbability: Float64Array } {
  const score = (m: Matrix, rows: number[], offset: number): Float64Array => {
    const out = new Float64Array(m.rows).fill(-1);
    rows.forEach((row, k) => (out[row] = pooledProbabilities[offset + k]));
    const missing: number[] = [];
    for (let i = 0; i < m.rows; i++) if (out[i] < 0) missing.push(i);
    if (missing.length > 0) {
      const sums = new Float64Array(missing.length);
      for (const model of models) {
        const p = predictProbabilities(model, m, missing);
        for (let k = 0; k < missing.length; k++) sums[k] += p[k * 2 + 1];
      }
      missing.forEach((row, k) => (out[row] = sums[k] / models.length));
    }
    return out;
  };
  return {
    referenceProbability: score(input.reference, referenceRows, 0),
    targetProbability: score(input.target, targetRows, referenceRows.length),
  };
}

function subsample(n: number, max: number, rng: Rng): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from(rng.sample(n, max)).sort((a, b) => a - b);
}

function validate(reference: Matrix, target: Matrix, options: C2stOptions): void {
  if (reference.rows < 2 || target.rows < 2) {
    throw new InputError(
      `C2ST needs at least 2 samples per side (reference ${reference.rows}, target ${target.rows}); give more data`,
    );
  }
  if (reference.cols !== target.cols) {
    throw new InputError(
      `reference embeddings have ${reference.cols} dimensions but target ${target.cols}; embed both with the same model`,
    );
  }
  for (const [side, m] of [
    ['reference', reference],
    ['target', target],
  ] as const) {
    const bad = firstNonFinite(m);
    if (bad >= 0)
      throw new InputError(
        `${side} embedding row ${Math.floor(bad / m.cols)} has a non-finite value; fix or drop that sample`,
      );
  }
  if (!Number.isInteger(options.folds) || options.folds < 2)
    throw new RangeError(`C2ST folds must be ≥ 2, got ${options.folds}`);
  if (!(options.regularization > 0))
    throw new RangeError(`C2ST regularization must be > 0, got ${options.regularization}`);
  if (!Number.isInteger(options.maxPerSide) || options.maxPerSide < 2) {
    throw new RangeError(`C2ST maxPerSide must be an integer ≥ 2, got ${options.maxPerSide}`);
  }
  if (!Number.isInteger(options.permutations) || options.permutations < 1) {
    throw new RangeError(`C2ST permutations must be a positive integer, got ${options.permutations}`);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
