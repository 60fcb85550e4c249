/**
 * The linear probe on frozen embeddings (Vargas et al., arXiv 2310.13836): how well do the reference's labels
 * transfer to the target, and are the target's own labels linearly separable in this representation?
 *
 * - reference: stratified k-fold probe, λ chosen on the grid by out-of-fold log-loss; held-out accuracy and
 *   macro-F1 with bootstrap intervals;
 * - transfer: a probe fitted on all reference rows (chosen λ) scored on the target rows whose class the
 *   reference has; target rows of unseen classes are excluded and counted; the transfer gap is reference
 *   held-out accuracy − target accuracy, its interval from resampling both sides independently;
 * - targetOnly: the same k-fold probe on the target's own labels, against the majority-class baseline, and the
 *   label-efficiency curve, and the separability gap: how far the target's own accuracy falls short of what the
 *   reference's separability predicts at the target's class balance (./separability.ts).
 * Rows with an empty label are excluded and counted; the label map applies to both sides.
 *
 * Defaults: 5 folds, λ grid 1e-4…1, 1000 bootstrap replicates, 95 % intervals, label-efficiency sizes
 * 10, 20, 50, 100, 200, 500, … with 5 draws each.
 */
import { InputError } from '../core/errors.js';
import { firstNonFinite, selectRows, type Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import { binaryCounts, countBootstrapInterval, shareRight } from './bootstrap.js';
import { capRows, DEFAULT_REGULARIZATION_GRID } from '../learn/crossValidation.js';
import { kFoldProbe } from './kFoldProbe.js';
import { DEFAULT_LABEL_EFFICIENCY_SIZES, labelEfficiencyCurve, usableSizes } from './labelEfficiency.js';
import { capLabelledRows, classCounts, encodeLabels, selectLabelledRows, sortedClasses } from './labels.js';
import { fitLogisticRegression, predictClasses, type LogisticModel } from '../learn/logisticRegression.js';
import { confusionCounts, confusionMatrix, macroF1FromConfusion, majorityShare } from '../learn/metrics.js';
import { DEFAULT_MAX_FIT_ROWS, type Interval, type ProbeOptions, type ProbeResult } from './probeTypes.js';
import { separabilityGap } from './separability.js';

export const DEFAULT_PROBE_OPTIONS: ProbeOptions = {
  folds: 5,
  regularizationGrid: [...DEFAULT_REGULARIZATION_GRID],
  bootstrapReplicates: 1000,
  level: 0.95,
  labelEfficiencySizes: [...DEFAULT_LABEL_EFFICIENCY_SIZES],
  labelEfficiencyDraws: 5,
  gradientTolerance: 1e-6,
  maxIterations: 1000,
  maxTrainingRows: 20000,
  maxFitRows: DEFAULT_MAX_FIT_ROWS,
};

/** The target-only probe needs at least this many labelled rows (and two classes) to mean anything. */
const MIN_TARGET_ONLY_ROWS = 4;

export interface ProbeInput {
  reference: Matrix;
  referenceLabels: string[];
  target: Matrix;
  targetLabels: string[] | null;
  labelMap: Record<string, string> | null;
  rng: Rng;
  progress: Progress;
  options?: Partial<ProbeOptions>;
}

export async function runProbe(input: ProbeInput): Promise<ProbeResult> {
  validateMatrices(input.reference, input.target);
  return probeTarget(await fitReferenceProbe(input), input);
}

/**
 * The reference side of the probe, fitted once and reusable against any target (a reference bundle stores it):
 * the labelled rows' classes and encoded labels, the k-fold held-out quality (and which rows it got right, for the
 * transfer gap and the separability gap), and the probe fitted on every labelled reference row — its weights,
 * intercepts and standardisation. Typed arrays and plain values only (Storable). `fitReferenceProbe` then
 * `probeTarget` gives exactly `runProbe` (same rng streams).
 */
export type ReferenceProbe = {
  labelMap: Record<string, string> | null;
  /** Reference classes, sorted; labels are encoded as indices into it. */
  classes: string[];
  /** Labelled reference rows used (after the maxTrainingRows cap) and the empty labels left out. */
  n: number;
  nEmpty: number;
  labels: Int32Array;
  classCounts: Record<string, number>;
  folds: number;
  /** The most training rows one k-fold fit used (the maxFitRows cap, when it applied); absent in older bundles. */
  fitRows?: number;
  /** The maxFitRows cap the probe was fitted with (null: no cap); absent in older bundles (see fittedMaxFitRows). */
  maxFitRows?: number | null;
  accuracy: Interval;
  macroF1: Interval;
  /** 1 where the out-of-fold prediction was right. */
  correct: Int32Array;
  crossValidationConverged: boolean;
  model: LogisticModel;
  /** Notes on the reference side (subsampled, single class), first in the result's notes. */
  notes: string[];
};

export async function fitReferenceProbe(
  input: Pick<ProbeInput, 'reference' | 'referenceLabels' | 'labelMap' | 'rng' | 'progress' | 'options'>,
): Promise<ReferenceProbe> {
  const options = { ...DEFAULT_PROBE_OPTIONS, ...input.options };
  validateOptions(options);
  validateFinite(input.reference, 'reference');
  const notes: string[] = [];
  const solver = { gradientTolerance: options.gradientTolerance, maxIterations: options.maxIterations };
  const bootstrap = { replicates: options.bootstrapReplicates, level: options.level };

  const allReference = selectLabelledRows(input.referenceLabels, input.labelMap, input.reference.rows, 'reference');
  const referenceSide = capLabelledRows(allReference, options.maxTrainingRows, input.rng.fork('reference-subsample'));
  if (referenceSide !== allReference) {
    notes.push(
      `The reference probe used a seeded random ${referenceSide.rows.length} of the ${allReference.rows.length} labelled reference rows (maxTrainingRows).`,
    );
  }
  if (referenceSide.rows.length < 2) {
    throw new InputError(
      `the reference has ${referenceSide.rows.length} labelled samples; the probe needs at least 2 (check --label-column and empty labels)`,
    );
  }
  const referenceClasses = sortedClasses(referenceSide.labels);
  const referenceX = selectRows(input.reference, referenceSide.rows);
  const referenceY = encodeLabels(referenceSide.labels, referenceClasses);
  if (referenceClasses.length === 1) {
    notes.push(`The reference has a single class ("${referenceClasses[0]}"): its probe can only predict that class.`);
  }
  const task = input.progress.start('linear probe (reference)', planFits(options, referenceSide.rows.length, 0, 0));
  // Reference: k-fold held-out quality, then the probe on all reference rows.
  const reference = await kFoldProbe(referenceX, referenceY, referenceClasses.length, {
    folds: options.folds,
    grid: options.regularizationGrid,
    bootstrap,
    solver,
    rng: input.rng.fork('reference'),
    onFit: () => task.increment(),
    maxFitRows: options.maxFitRows,
  });
  // The probe the target is scored with: every labelled reference row, or a seeded maxFitRows of them.
  const finalRows = capRows(range(referenceY.length), options.maxFitRows, input.rng.fork('reference-fit-rows'));
  const finalModel = fitLogisticRegression(referenceX, referenceY, referenceClasses.length, {
    ...solver,
    regularization: reference.run.regularization,
    rows: finalRows,
  });
  if (reference.fitRows < referenceSide.rows.length - Math.floor(referenceSide.rows.length / reference.folds)) {
    notes.push(
      `Each reference probe fit trained on a seeded random ${options.maxFitRows} of its training rows (maxFitRows); every one of the ${referenceSide.rows.length} rows was still scored out of fold, and the probe scored on the target trained on ${finalRows.length} rows.`,
    );
  }
  task.increment();
  task.done();
  await yieldToEventLoop();
  return {
    labelMap: input.labelMap,
    classes: referenceClasses,
    n: referenceSide.rows.length,
    nEmpty: referenceSide.nEmpty,
    labels: referenceY,
    classCounts: classCounts(referenceSide.labels),
    folds: reference.folds,
    fitRows: reference.fitRows,
    maxFitRows: capOrNull(options.maxFitRows),
    accuracy: reference.accuracy,
    macroF1: reference.macroF1,
    correct: Int32Array.from(reference.correct),
    crossValidationConverged: reference.run.converged,
    model: finalModel,
    notes,
  };
}

/** The target side of the probe against a fitted reference probe: transfer, target-only probe, separability. */
export async function probeTarget(
  fitted: ReferenceProbe,
  input: Pick<ProbeInput, 'target' | 'targetLabels' | 'rng' | 'progress' | 'options'>,
): Promise<ProbeResult> {
  const options = { ...DEFAULT_PROBE_OPTIONS, ...input.options };
  validateOptions(options);
  if (input.target.cols !== fitted.model.nFeatures) {
    throw new InputError(
      `reference embeddings have ${fitted.model.nFeatures} dimensions but target ${input.target.cols}; embed both with the same model`,
    );
  }
  validateFinite(input.target, 'target');
  const notes = [...fitted.notes];
  const solver = { gradientTolerance: options.gradientTolerance, maxIterations: options.maxIterations };
  const bootstrap = { replicates: options.bootstrapReplicates, level: options.level };
  const referenceClasses = fitted.classes;
  const referenceY = fitted.labels;
  const referenceCorrect = Uint8Array.from(fitted.correct);
  const finalModel = fitted.model;
  const lambda = finalModel.regularization;

  const targetSide = input.targetLabels
    ? selectLabelledRows(input.targetLabels, fitted.labelMap, input.target.rows, 'target')
    : null;
  const targetClasses = targetSide ? sortedClasses(targetSide.labels) : [];
  const plan = planFits(options, 0, targetSide?.rows.length ?? 0, targetClasses.length);
  const task = input.progress.start('linear probe', plan);

  const transfer = targetSide
    ? transferToTarget(
        input.target,
        targetSide.rows,
        targetSide.labels,
        referenceClasses,
        finalModel,
        referenceCorrect,
        input.rng.fork('transfer'),
        bootstrap,
        notes,
      )
    : null;
  await yieldToEventLoop();

  let targetOnly: ProbeResult['targetOnly'] = null;
  if (targetSide) {
    const n = targetSide.rows.length;
    if (targetClasses.length < 2 || n < MIN_TARGET_ONLY_ROWS) {
      notes.push(
        targetClasses.length < 2
          ? `The target's labels have ${targetClasses.length} class${targetClasses.length === 1 ? '' : 'es'}: there is nothing to separate, so no target-only probe.`
          : `Only ${n} target rows are labelled: too few for a target-only probe (needs ${MIN_TARGET_ONLY_ROWS}).`,
      );
    } else {
      const trainable = capLabelledRows(targetSide, options.maxTrainingRows, input.rng.fork('target-subsample'));
      if (trainable !== targetSide) {
        notes.push(
          `The target-only probe used a seeded random ${trainable.rows.length} of the ${n} labelled target rows (maxTrainingRows).`,
        );
      }
      const targetX = selectRows(input.target, trainable.rows);
      const targetY = encodeLabels(trainable.labels, targetClasses);
      const rng = input.rng.fork('target-only');
      const own = await kFoldProbe(targetX, targetY, targetClasses.length, {
        folds: options.folds,
        grid: options.regularizationGrid,
        bootstrap,
        solver,
        rng,
        onFit: () => task.increment(),
        maxFitRows: options.maxFitRows,
      });
      if (own.fitRows < trainable.rows.length - Math.floor(trainable.rows.length / own.folds)) {
        notes.push(
          `Each target-only probe fit trained on a seeded random ${options.maxFitRows} of its training rows (maxFitRows); every one of the ${trainable.rows.length} rows was still scored out of fold.`,
        );
      }
      await yieldToEventLoop();
      // No probe fit trains on more than maxFitRows rows: larger label-efficiency sizes are left out.
      const skipped = usableSizes(options.labelEfficiencySizes, targetY.length).filter((m) => m > options.maxFitRows);
      if (skipped.length > 0) {
        notes.push(
          `The label-efficiency curve stops at maxFitRows (${options.maxFitRows} labels): ${skipped.join(', ')} left out.`,
        );
      }
      const labelEfficiency = await labelEfficiencyCurve(targetX, targetY, targetClasses.length, {
        sizes: labelEfficiencySizes(options),
        draws: options.labelEfficiencyDraws,
        solver: { ...solver, regularization: own.run.regularization },
        rng: rng.fork('label-efficiency'),
        onFit: () => task.increment(),
      });
      targetOnly = {
        n,
        folds: own.folds,
        fitRows: own.fitRows,
        accuracy: own.accuracy,
        macroF1: own.macroF1,
        majorityBaseline: majorityShare(targetY, targetClasses.length),
        labelEfficiency,
        regularization: own.run.regularization,
        converged: own.run.converged,
        classes: targetClasses,
        classCounts: classCounts(targetSide.labels),
        labelEfficiencyDraws: options.labelEfficiencyDraws,
        separabilityGap: separabilityGap(
          { correct: referenceCorrect, labels: referenceY, nClasses: referenceClasses.length },
          { correct: own.correct, labels: targetY, nClasses: targetClasses.length },
          rng.fork('separability-gap'),
          bootstrap,
        ),
      };
    }
  }
  task.done();

  if (!fitted.crossValidationConverged || !finalModel.converged) {
    notes.push(
      `The reference probe's solver stopped at gradient max-norm ${finalModel.gradientNorm.toExponential(1)} ` +
        `(tolerance ${options.gradientTolerance}) after ${finalModel.iterations} iterations: results are close to, not at, the optimum.`,
    );
  }

  return {
    classes: sortedClasses([...referenceClasses, ...targetClasses]),
    labelMap: fitted.labelMap,
    maxFitRows: capOrNull(options.maxFitRows),
    reference: {
      n: fitted.n,
      folds: fitted.folds,
      // Bundles written before the fit-row cap existed trained every fold on all its rows.
      fitRows: fitted.fitRows ?? fitted.n - Math.floor(fitted.n / fitted.folds),
      accuracy: fitted.accuracy,
      macroF1: fitted.macroF1,
      regularization: lambda,
      converged: fitted.crossValidationConverged && finalModel.converged,
      regularizationGrid: [...options.regularizationGrid],
      iterations: finalModel.iterations,
      gradientNorm: finalModel.gradientNorm,
      gradientTolerance: options.gradientTolerance,
      classCounts: fitted.classCounts,
      majorityBaseline: majorityShare(referenceY, referenceClasses.length),
    },
    transfer,
    targetOnly,
    excludedEmptyLabels: { reference: fitted.nEmpty, target: targetSide?.nEmpty ?? 0 },
    notes,
  };
}

function transferToTarget(
  target: Matrix,
  rows: number[],
  labels: string[],
  referenceClasses: string[],
  model: LogisticModel,
  referenceCorrect: Uint8Array,
  rng: Rng,
  bootstrap: { replicates: number; level: number },
  notes: string[],
): ProbeResult['transfer'] {
  const seen = new Set(referenceClasses);
  const keptRows: number[] = [];
  const keptLabels: string[] = [];
  const unseen = new Map<string, number>();
  rows.forEach((row, k) => {
    if (seen.has(labels[k])) {
      keptRows.push(row);
      keptLabels.push(labels[k]);
    } else unseen.set(labels[k], (unseen.get(labels[k]) ?? 0) + 1);
  });
  const unseenClasses = [...unseen.keys()].sort();
  const nExcluded = rows.length - keptRows.length;
  if (nExcluded > 0) {
    notes.push(
      `${nExcluded} labelled target rows belong to classes the reference never saw (${unseenClasses
        .map((c) => `"${c}": ${unseen.get(c)}`)
        .join(', ')}) and are excluded from the transfer metrics.`,
    );
  }
  if (keptRows.length === 0) {
    notes.push('No labelled target row has a class the reference knows: the transfer gap cannot be measured.');
    return null;
  }
  const K = referenceClasses.length;
  const truth = encodeLabels(keptLabels, referenceClasses);
  const predicted = predictClasses(model, target, keptRows);
  const targetCorrect = Uint8Array.from(truth, (t, i) => (t === predicted[i] ? 1 : 0));
  return {
    n: keptRows.length,
    nExcludedUnseenClass: nExcluded,
    unseenClasses,
    // Statistics of counts (right/wrong, the confusion matrix, right/wrong per side): the count bootstrap.
    accuracy: countBootstrapInterval(
      [binaryCounts(targetCorrect)],
      ([counts]) => shareRight(counts),
      rng.fork('accuracy'),
      bootstrap,
    ),
    macroF1: countBootstrapInterval(
      [confusionCounts(truth, predicted, K)],
      ([counts]) => macroF1FromConfusion(counts, K),
      rng.fork('macro-f1'),
      bootstrap,
    ),
    gap: countBootstrapInterval(
      [binaryCounts(referenceCorrect), binaryCounts(targetCorrect)],
      ([ref, tgt]) => shareRight(ref) - shareRight(tgt),
      rng.fork('gap'),
      bootstrap,
    ),
    confusion: { classes: referenceClasses, matrix: confusionMatrix(truth, predicted, K) },
  };
}

/** Solver fits of the reference side (k folds × grid, then the final probe) and of the target side. */
function planFits(options: ProbeOptions, nReference: number, nTarget: number, nTargetClasses: number): number {
  const grid = options.regularizationGrid.length;
  let fits = nReference > 0 ? Math.min(options.folds, nReference) * grid + 1 : 0;
  if (nTargetClasses >= 2 && nTarget >= MIN_TARGET_ONLY_ROWS) {
    fits += Math.min(options.folds, nTarget) * grid;
    fits += usableSizes(labelEfficiencySizes(options), nTarget).length * options.labelEfficiencyDraws;
  }
  return fits;
}

/** The label-efficiency sizes a run uses: those up to maxFitRows. */
function labelEfficiencySizes(options: ProbeOptions): number[] {
  return options.labelEfficiencySizes.filter((m) => m <= options.maxFitRows);
}

function validateOptions(options: ProbeOptions): void {
  if (!Number.isInteger(options.folds) || options.folds < 2) {
    throw new InputError(`probe folds must be an integer ≥ 2, got ${options.folds}`);
  }
  if (
    options.regularizationGrid.length === 0 ||
    options.regularizationGrid.some((l) => !(l > 0) || !Number.isFinite(l))
  ) {
    throw new InputError(
      `probe regularisation grid must hold positive numbers, got [${options.regularizationGrid.join(', ')}]`,
    );
  }
  if (!Number.isInteger(options.bootstrapReplicates) || options.bootstrapReplicates < 1) {
    throw new InputError(`bootstrap replicates must be a positive integer, got ${options.bootstrapReplicates}`);
  }
  if (!Number.isInteger(options.labelEfficiencyDraws) || options.labelEfficiencyDraws < 1) {
    throw new InputError(`label-efficiency draws must be a positive integer, got ${options.labelEfficiencyDraws}`);
  }
  if (!Number.isInteger(options.maxTrainingRows) || options.maxTrainingRows < 4) {
    throw new InputError(`probe maxTrainingRows must be an integer ≥ 4, got ${options.maxTrainingRows}`);
  }
  const cap = options.maxFitRows;
  if (cap !== Number.POSITIVE_INFINITY && (!Number.isInteger(cap) || cap < 4)) {
    throw new InputError(`probe maxFitRows must be an integer ≥ 4 or Infinity (no cap), got ${cap}`);
  }
}

function validateMatrices(reference: Matrix, target: Matrix): void {
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
    if (bad >= 0) {
      throw new InputError(
        `${side} embedding row ${Math.floor(bad / m.cols)} has a non-finite value; fix or drop that sample`,
      );
    }
  }
}

function validateFinite(m: Matrix, side: 'reference' | 'target'): void {
  const bad = firstNonFinite(m);
  if (bad >= 0) {
    throw new InputError(
      `${side} embedding row ${Math.floor(bad / m.cols)} has a non-finite value; fix or drop that sample`,
    );
  }
}

/** The cap as result.json and a bundle record it: null for none (JSON has no Infinity). */
function capOrNull(maxFitRows: number): number | null {
  return Number.isFinite(maxFitRows) ? maxFitRows : null;
}

/**
 * The maxFitRows cap a fitted reference probe used: recorded since the field exists; before it, bundles with
 * fitRows had the default cap, and those without trained every fold on all its rows.
 */
export function fittedMaxFitRows(fitted: ReferenceProbe): number {
  if (fitted.maxFitRows !== undefined) return fitted.maxFitRows ?? Number.POSITIVE_INFINITY;
  return fitted.fitRows === undefined ? Number.POSITIVE_INFINITY : DEFAULT_PROBE_OPTIONS.maxFitRows;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Let the event loop breathe between long synchronous stretches (progress output, signals). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
