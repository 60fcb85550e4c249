/**
 * The two methods on frozen embeddings:
 * - linear probe: the project's L2 logistic regression (src/probe), λ chosen on the reference validation split
 *   by log-loss from the probe's own grid;
 * - MLP head: one hidden ReLU layer (./mlpHead.ts), Adam, early stopping on validation loss, L2 strength chosen
 *   on validation loss.
 * Both standardise features on the training rows only.
 */
import { createMatrix, type Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import { DEFAULT_REGULARIZATION_GRID } from '../learn/crossValidation.js';
import {
  fitLogisticRegression,
  predictClasses,
  predictProbabilities,
  type LogisticModel,
} from '../learn/logisticRegression.js';
import { logLoss } from '../learn/metrics.js';
import { fitStandardizer, standardizeRows } from '../learn/standardize.js';
import { Adam } from './adam.js';
import { DEFAULT_ITERATIVE, type FittedMethod, type IterativeOptions, type Side, type TrainingData } from './method.js';
import { initMlp, mlpHidden, mlpLayout, mlpLogits, mlpLoss } from './mlpHead.js';
import { argmaxRows } from './softmaxLoss.js';
import { trainWithEarlyStopping, type TrainingHistory } from './trainLoop.js';

export interface FrozenInputs {
  reference: Matrix;
  target: Matrix;
}

function labelsAt(labels: Int32Array, rows: number[]): Int32Array {
  return Int32Array.from(rows, (r) => labels[r]);
}

export async function fitLinearProbe(
  inputs: FrozenInputs,
  data: TrainingData,
  grid: readonly number[] = DEFAULT_REGULARIZATION_GRID,
): Promise<FittedMethod> {
  const started = performance.now();
  const { split, referenceLabels: y, nClasses } = data;
  const search: FittedMethod['search'] = [];
  let best: { model: LogisticModel; loss: number; ms: number } | null = null;
  for (const lambda of grid) {
    const t0 = performance.now();
    const model = fitLogisticRegression(inputs.reference, y, nClasses, { rows: split.train, regularization: lambda });
    const ms = performance.now() - t0;
    const loss = logLoss(
      labelsAt(y, split.validation),
      predictProbabilities(model, inputs.reference, split.validation),
      nClasses,
    );
    search.push({ configuration: { regularization: lambda }, validationLoss: loss });
    if (!best || loss < best.loss) best = { model, loss, ms };
    await new Promise((resolve) => setImmediate(resolve));
  }
  const chosen = best as { model: LogisticModel; loss: number; ms: number };
  const matrixOf = (side: Side) => (side === 'reference' ? inputs.reference : inputs.target);
  return {
    description:
      'L2 logistic regression on the frozen, standardised embeddings (the linear probe of src/probe), λ chosen on the reference validation split by log-loss',
    featuresName: 'frozen embedding',
    hyperparameters: { regularization: chosen.model.regularization },
    search,
    training: {
      totalMs: performance.now() - started,
      chosenMs: chosen.ms,
      configurationsTried: grid.length,
      validationLoss: chosen.loss,
    },
    predict: async (side, rows) => predictClasses(chosen.model, matrixOf(side), rows),
    features: async (side, rows) => selectMatrixRows(matrixOf(side), rows),
  };
}

export interface MlpOptions extends IterativeOptions {
  hidden: number;
  learningRate: number;
  l2Grid: number[];
}

export const DEFAULT_MLP_OPTIONS: MlpOptions = {
  ...DEFAULT_ITERATIVE,
  hidden: 128,
  learningRate: 1e-3,
  l2Grid: [1e-4, 1e-3, 1e-2],
};

export async function fitMlpHead(
  inputs: FrozenInputs,
  data: TrainingData,
  rng: Rng,
  progress: Progress,
  options: Partial<MlpOptions> = {},
): Promise<FittedMethod> {
  const opts = { ...DEFAULT_MLP_OPTIONS, ...options };
  const started = performance.now();
  const { split, referenceLabels: y, nClasses } = data;
  const standardizer = fitStandardizer(inputs.reference, split.train);
  const xRef = standardizeRows(inputs.reference, range(inputs.reference.rows), standardizer);
  const xTgt = standardizeRows(inputs.target, range(inputs.target.rows), standardizer);
  const layout = mlpLayout({ inputs: inputs.reference.cols, hidden: opts.hidden, classes: nClasses });
  const search: FittedMethod['search'] = [];
  let best: { params: Float64Array; history: TrainingHistory; l2: number } | null = null;
  const task = progress.start('MLP head', opts.l2Grid.length);
  for (const l2 of opts.l2Grid) {
    const params = initMlp(layout, rng.fork('init'));
    const grad = new Float64Array(layout.size);
    const adam = new Adam(layout.size, { learningRate: opts.learningRate });
    const trainRows = Int32Array.from(split.train);
    const history = await trainWithEarlyStopping(
      {
        step: (batch) => {
          const rows = Int32Array.from(batch, (b) => trainRows[b]);
          const loss = mlpLoss(layout, params, xRef, y, rows, l2, grad);
          adam.step(params, grad);
          return loss;
        },
        validationLoss: () => mlpLoss(layout, params, xRef, y, split.validation, 0),
        snapshot: () => Float64Array.from(params),
        restore: (s) => params.set(s),
      },
      split.train.length,
      opts,
      rng.fork(`epochs-${l2}`),
    );
    search.push({ configuration: { l2 }, validationLoss: history.bestValidationLoss });
    if (!best || history.bestValidationLoss < best.history.bestValidationLoss) best = { params, history, l2 };
    task.increment();
  }
  task.done();
  const chosen = best as { params: Float64Array; history: TrainingHistory; l2: number };
  const xOf = (side: Side) => (side === 'reference' ? xRef : xTgt);
  return {
    description: `one-hidden-layer MLP (${opts.hidden} ReLU units) on the frozen, standardised embeddings; Adam (lr ${opts.learningRate}), batch ${opts.batchSize}, early stopping on reference validation loss (patience ${opts.patience}), L2 chosen on validation loss`,
    featuresName: `MLP hidden layer (${opts.hidden} ReLU units)`,
    hyperparameters: {
      hidden: opts.hidden,
      l2: chosen.l2,
      learningRate: opts.learningRate,
      batchSize: opts.batchSize,
    },
    search,
    training: {
      ...summaryOf(chosen.history),
      totalMs: performance.now() - started,
      configurationsTried: opts.l2Grid.length,
    },
    predict: async (side, rows) => argmaxRows(mlpLogits(layout, chosen.params, xOf(side), rows), nClasses),
    features: async (side, rows) =>
      createMatrix(rows.length, opts.hidden, Float32Array.from(mlpHidden(layout, chosen.params, xOf(side), rows))),
  };
}

export function summaryOf(history: TrainingHistory): Omit<FittedMethod['training'], 'totalMs' | 'configurationsTried'> {
  return {
    chosenMs: history.trainingMs,
    epochsRun: history.epochsRun,
    bestEpoch: history.bestEpoch,
    steps: history.steps,
    msPerStep: history.msPerStep,
    msPerEpoch: history.msPerEpoch,
    validationLoss: history.bestValidationLoss,
  };
}

export function selectMatrixRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = createMatrix(rows.length, m.cols);
  for (let k = 0; k < rows.length; k++)
    out.data.set(m.data.subarray(rows[k] * m.cols, (rows[k] + 1) * m.cols), k * m.cols);
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
