/**
 * Classifier two-sample test (C2ST; Lopez-Paz & Oquab, ICLR 2017): can a domain classifier tell reference rows
 * from target rows? The classifier is the probe's own L2 logistic regression (src/learn/logisticRegression.ts),
 * features standardised on each training fold.
 *
 * Effect size: the out-of-fold AUC from stratified k-fold cross-validation (default 5 folds) over all rows,
 * reported as AUC − 0.5 (0 = indistinguishable, 0.5 = perfectly separable). These out-of-fold probabilities
 * are also the per-sample "which samples drove it" scores.
 *
 * p-value (default 'cross-fit'): every row scored out of fold by a cross-fitted ridge discriminant whose scores are
 * linear in the labels (kernels/crossFitMatrix.ts), so its statistic (mean target score − mean reference score) is
 * a quadratic form of the labelling and P permutations cost one product, without refitting (evaluated from the
 * N×d whitened rows, kernels/crossFitPermutations.ts, never the N×N matrix); the folds are drawn
 * independently of the labels, so (1 + #{T_perm ≥ T}) / (1 + P) is exact. It shares the suite's labellings (whole
 * groups when rows are grouped). Measured at n = 20 per side on real shift pairs it has about twice the power of
 * the held-out half (docs/methods.md). Above CROSS_FIT_MAX_POOLED pooled rows, or when min(N, d) exceeds
 * CROSS_FIT_MAX_RANK, it falls back to 'holdout'.
 * p-value 'holdout': a stratified random half of each side trains the classifier, the other half is
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
import { z } from 'zod';
import { concatRows, selectRows, type Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import { mannWhitneyAuc } from '../learn/auc.js';
import { foldRows, stratifiedFolds } from '../learn/crossValidation.js';
import {
  fitLogisticRegression,
  predictProbabilities,
  type LogisticModel,
  type LogisticRegressionOptions,
} from '../learn/logisticRegression.js';
import type { TwoSampleInput, TwoSampleTestResult } from './detector.js';
import { CROSS_FIT_MAX_RANK, labelBlindFolds, whitenedFactor } from './kernels/crossFitMatrix.js';
import { crossFitPermutationTest } from './kernels/crossFitPermutations.js';
import { centredPooled } from './kernels/pooledSample.js';
import { POOLED_MATRIX_MAX_ROWS } from './kernels/pooledMatrix.js';
import { nullSummary } from './kernels/nullSummary.js';
import {
  crossFitMinDetectableEffect,
  DEFAULT_MDE_ALPHA,
  learnedAucMinDetectableEffect,
  permutationCanReject,
} from './minDetectableEffect.js';
import {
  createPermutationDesign,
  groupedFolds,
  recordNull,
  withObserved,
  type PermutationDesign,
} from './permutationDesign.js';
import {
  defineDetector,
  type DetectorOutcome,
  type FitContext,
  type TestContext,
  type TwoSamples,
} from './registry/detectorSpec.js';
import { choiceOption, integerOption, positiveOption } from './registry/options.js';
import { asTwoSampleDetector, contextOf, fitAndRunDetector } from './registry/runDetector.js';

/** Largest pooled sample the cross-fitted p-value takes (its N×N matrix, as the exact MMD's). */
export const CROSS_FIT_MAX_POOLED = POOLED_MATRIX_MAX_ROWS;

export const c2stOptionsSchema = z.strictObject({
  folds: integerOption(5, 2),
  /** λ of the logistic regression (mean-loss scale, standardised features). */
  regularization: positiveOption(0.1),
  /** Rows per side above which a seeded random subsample of this size is used. */
  maxPerSide: integerOption(5000, 2),
  pValueMethod: choiceOption(['cross-fit', 'holdout', 'permutation'], 'cross-fit'),
  /** Permutations for pValueMethod 'permutation' (each reruns the k-fold fits). */
  permutations: integerOption(200),
  /** Permutations for 'cross-fit' when the suite shares none. */
  crossFitPermutations: integerOption(1000),
  /** ρ of the cross-fit's ridge λ = ρ · mean eigenvalue. */
  crossFitRidge: positiveOption(1),
});

export type C2stOptions = z.infer<typeof c2stOptionsSchema>;

export const DEFAULT_C2ST_OPTIONS: C2stOptions = c2stOptionsSchema.parse({});

/**
 * The C2ST's MDE on its effect-size scale (population AUC − 0.5 of a location shift; minDetectableEffect.ts):
 * from the cross-fit's own permutation null when that gave the p-value (the learning difficulty at this n and
 * dimension is in its spread), else the Mann–Whitney requirement on the scored rows corrected for what a classifier
 * trained on the other rows reaches. Null when the permutation p-value cannot reach α at all; groups, not rows,
 * count for that (the units the group-aware tests exchange).
 */
function c2stMde(
  sizes: { nRef: number; nTgt: number; dims: number; method: string; folds: number },
  alpha: number,
  design: PermutationDesign | undefined,
  permuted: Float64Array | null,
): number | null {
  const { nRef, nTgt, dims, method, folds } = sizes;
  if (!permutationCanReject(alpha, nRef, nTgt, design)) return null;
  if (permuted) return crossFitMinDetectableEffect(permuted, alpha, { nReference: nRef, nTarget: nTgt, folds, dims });
  const [a, b] = design?.clusters
    ? [design.referenceClusters, design.nClusters - design.referenceClusters]
    : [nRef, nTgt];
  // holdout: half scored, half trained; permutation: every row scored, each by a model of the other k − 1 folds.
  const scored = method === 'holdout' ? { reference: a / 2, target: b / 2 } : { reference: a, target: b };
  const share = method === 'holdout' ? 0.5 : (folds - 1) / folds;
  return learnedAucMinDetectableEffect(scored, { reference: nRef * share, target: nTgt * share }, dims, alpha);
}

export interface C2stRun {
  result: TwoSampleTestResult;
  /** Out-of-fold probability of "target" for every reference row. */
  referenceProbability: Float64Array;
  /** Out-of-fold probability of "target" for every target row. */
  targetProbability: Float64Array;
}

/**
 * Fitted on the reference: which of its rows the classifier uses above maxPerSide (a seeded subsample; null when
 * all). Folds, fits and permutations need both sides' labels (test time).
 */
export type C2stState = { referenceRows: Uint32Array | null };

export const c2stSpec = defineDetector({
  name: 'c2st',
  label: 'C2ST (logistic domain classifier)',
  summary:
    'classifier two-sample test: out-of-fold AUC of a logistic domain classifier, cross-fitted permutation p-value',
  inDefaultSuite: true,
  optionsSchema: c2stOptionsSchema,
  fit: fitC2st,
  test: testC2st,
});

export const c2stDetector = asTwoSampleDetector(c2stSpec);

/** The C2ST with its per-row out-of-fold probabilities (the suite's "which samples drove it" scores). */
export async function runC2st(input: TwoSampleInput, options: Partial<C2stOptions> = {}): Promise<C2stRun> {
  const run = await fitAndRunDetector(c2stSpec, input, options, contextOf(input));
  if (!run.sampleScores) throw new Error('c2st gave no sample scores');
  return {
    result: run.result,
    referenceProbability: run.sampleScores.reference,
    targetProbability: run.sampleScores.target,
  };
}

async function fitC2st(reference: Matrix, opts: C2stOptions, { rng }: FitContext): Promise<C2stState> {
  const sub = rng.fork('subsample-reference');
  return { referenceRows: reference.rows > opts.maxPerSide ? subsample(reference.rows, opts.maxPerSide, sub) : null };
}

async function testC2st(
  state: C2stState,
  data: TwoSamples,
  opts: C2stOptions,
  ctx: TestContext,
): Promise<DetectorOutcome> {
  const input = { ...data, ...ctx };
  const solver: Partial<LogisticRegressionOptions> = { regularization: opts.regularization };

  // Subsample large sides (seeded), keeping the indices to map scores back.
  const referenceRows = state.referenceRows
    ? Array.from(state.referenceRows)
    : Array.from({ length: input.reference.rows }, (_, i) => i);
  const targetRows = Array.from(
    subsample(input.target.rows, opts.maxPerSide, input.rng.fork('subsample-target')) ??
      Uint32Array.from({ length: input.target.rows }, (_, i) => i),
  );
  const pooled = concatRows(selectRows(input.reference, referenceRows), selectRows(input.target, targetRows));
  const nRef = referenceRows.length;
  const nTgt = targetRows.length;
  const isTarget = Int32Array.from({ length: nRef + nTgt }, (_, i) => (i < nRef ? 0 : 1));
  const subsampled = nRef < input.reference.rows || nTgt < input.target.rows;
  // Clusters of the rows used (the design's when no row was subsampled).
  const clusters = subsampled ? null : (input.design?.clusters ?? null);
  const classifierFolds = groupedFolds(nRef, nTgt, clusters, opts.folds, input.rng.fork('folds'));
  const k = Math.min(classifierFolds.k, nRef, nTgt);

  const crossFit =
    opts.pValueMethod === 'cross-fit' &&
    nRef + nTgt <= CROSS_FIT_MAX_POOLED &&
    Math.min(nRef + nTgt, pooled.cols) <= CROSS_FIT_MAX_RANK &&
    nRef >= 2 &&
    nTgt >= 2;
  const method_ = opts.pValueMethod === 'cross-fit' && !crossFit ? 'holdout' : opts.pValueMethod;
  const permutationFits = method_ === 'permutation' ? opts.permutations * k : 1;
  const task = input.progress.start('C2ST domain classifier', k + permutationFits);

  const outOfFold = clusters
    ? outOfFoldWithFolds(pooled, isTarget, classifierFolds.folds, k, solver, () => task.increment())
    : outOfFoldProbabilities(pooled, isTarget, k, solver, input.rng.fork('folds'), () => task.increment());
  const auc = aucOf(outOfFold.probabilities, isTarget);

  let pValue: number;
  let method: string;
  let crossFitNull: Float64Array | null = null; // the cross-fit's permuted statistics (for the MDE)
  let crossFitFolds = 0;
  const details: Record<string, unknown> = {
    auc,
    folds: k,
    regularization: opts.regularization,
    nReference: nRef,
    nTarget: nTgt,
    subsampled,
    maxPerSide: opts.maxPerSide,
    pValueMethod: method_,
    foldsConverged: outOfFold.converged,
  };
  if (method_ === 'cross-fit') {
    const design: PermutationDesign =
      !subsampled && input.design
        ? input.design
        : createPermutationDesign(nRef, nTgt, opts.crossFitPermutations, input.rng.fork('cross-fit-permutations'));
    const centred = centredPooled(selectRows(input.reference, referenceRows), selectRows(input.target, targetRows));
    const crossFolds = labelBlindFolds(
      nRef + nTgt,
      design.clusters,
      Math.min(opts.folds, design.nClusters),
      input.rng.fork('cross-fit-folds'),
    );
    const foldCount = Math.max(...crossFolds) + 1;
    // The statistic of every labelling from the whitened factor (N×d), without the N×N matrix.
    const factor = await whitenedFactor(centred, opts.crossFitRidge);
    const outcome = await crossFitPermutationTest(factor, crossFolds, foldCount, design);
    task.increment();
    if (design === input.design)
      recordNull(design, 'c2st', withObserved(outcome.observed, outcome.permuted), outcome.tieTolerance);
    pValue = outcome.pValue;
    crossFitNull = outcome.permuted;
    crossFitFolds = foldCount;
    method =
      `${design.permutations} ${design.clusters ? 'permutations of whole groups' : 'permutations'} of a cross-fitted ridge discriminant ` +
      `(${foldCount} label-blind folds, every row scored out of fold; mean target − mean reference score), (1+b)/(1+P)`;
    const summary = nullSummary(outcome.permuted);
    Object.assign(details, {
      crossFitStatistic: outcome.observed,
      crossFitFolds: foldCount,
      crossFitRidge: opts.crossFitRidge,
      crossFitNullMean: summary.nullMean,
      crossFitNullSd: summary.nullSd,
      permutations: design.permutations,
      permutationsAtLeastObserved: outcome.atLeast,
    });
  } else if (method_ === 'holdout') {
    const holdout = holdoutTest(pooled, isTarget, solver, input.rng.fork('holdout'), clusters);
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
  const subsampleNote = subsampled ? `; subsampled to ${opts.maxPerSide} rows per side` : '';
  return {
    label: `C2ST (logistic domain classifier, ${k}-fold AUC)`,
    statistic: auc,
    pValue,
    effectSize: auc - 0.5,
    effectSizeName: 'AUC − 0.5',
    minDetectableEffect: c2stMde(
      { nRef, nTgt, dims: pooled.cols, method: method_, folds: method_ === 'cross-fit' ? crossFitFolds : k },
      input.alpha ?? DEFAULT_MDE_ALPHA,
      subsampled ? undefined : input.design,
      crossFitNull,
    ),
    method: method + subsampleNote,
    details,
    sampleScores: { kind: 'classifierProbability', reference: referenceProbability, target: targetProbability },
  };
}

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
  return outOfFoldWithFolds(pooled, isTarget, stratifiedFolds(isTarget, k, rng), k, solver, onFit);
}

function outOfFoldWithFolds(
  pooled: Matrix,
  isTarget: Int32Array,
  folds: Int32Array,
  k: number,
  solver: Partial<LogisticRegressionOptions>,
  onFit: () => void,
): OutOfFold {
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
  clusters: Int32Array | null,
): { pValue: number; auc: number; method: string; nReference: number; nTarget: number; converged: boolean } {
  // Two stratified "folds" (whole groups when grouped): fold 0 trains, fold 1 is scored.
  const nRef = isTarget.reduce((s, t) => s + (t === 0 ? 1 : 0), 0);
  const halves = clusters
    ? groupedFolds(nRef, isTarget.length - nRef, clusters, 2, rng).folds
    : stratifiedFolds(isTarget, 2, rng);
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

/** Sorted indices of a seeded subsample of `max` rows, or null when all n are kept. */
function subsample(n: number, max: number, rng: Rng): Uint32Array | null {
  if (n <= max) return null;
  return rng.sample(n, max).sort();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
