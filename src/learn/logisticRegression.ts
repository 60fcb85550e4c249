/**
 * Multinomial L2-regularised logistic regression on standardised features, solved by L-BFGS (./lbfgs.ts).
 * One implementation serves the linear probe and the C2ST domain classifier.
 *
 * Objective (n training rows, K classes present, W the weights, b the unpenalised intercepts):
 *   f(W, b) = (1/n) Σ_i −log softmax(W x_i + b)[y_i] + (λ/2) ‖W‖²
 * The loss is a mean, so λ does not need rescaling with n (sklearn's C corresponds to 1/(n λ)). With K = 2 the
 * model is the usual binary one (a single weight vector for the logit of the second class), as in sklearn.
 * With λ > 0 the optimum is unique and finite even on linearly separable data.
 *
 * Degenerate case: a training set with a single class gives a model that predicts that class with
 * probability 1 (`kind: 'singleClass'`), without running the solver.
 */
import type { Matrix } from '../core/matrix.js';
import { minimizeLbfgs, type LbfgsStopReason } from './lbfgs.js';
import { fitStandardizer, identityStandardizer, standardizeRows, type Standardizer } from './standardize.js';

export interface LogisticRegressionOptions {
  /** λ in the objective above (≥ 0). */
  regularization: number;
  /** Standardise features on the training rows (default true). */
  standardize: boolean;
  /** Converged when max |∂f/∂θ| ≤ this (the objective is a mean, so this is scale-free). */
  gradientTolerance: number;
  maxIterations: number;
  /** L-BFGS memory. */
  memory: number;
}

export const DEFAULT_LOGISTIC_OPTIONS: LogisticRegressionOptions = {
  regularization: 1e-2,
  standardize: true,
  gradientTolerance: 1e-6,
  maxIterations: 1000,
  memory: 10,
};

export type LogisticModelKind = 'binary' | 'multinomial' | 'singleClass';

export interface LogisticModel {
  kind: LogisticModelKind;
  /** Size of the label space (labels are integers in [0, nClasses)). */
  nClasses: number;
  /** Labels present in the training rows, ascending: the classes this model can predict. */
  classes: Int32Array;
  nFeatures: number;
  standardizer: Standardizer;
  /**
   * Weights in standardised feature space, row-major (outputs × nFeatures): one row for 'binary' (logit of
   * classes[1] against classes[0]), classes.length rows for 'multinomial', none for 'singleClass'.
   */
  weights: Float64Array;
  /** One per weight row; multinomial intercepts are centred (they are defined only up to a constant). */
  intercepts: Float64Array;
  regularization: number;
  /** Objective value at the returned weights. */
  objective: number;
  iterations: number;
  /** max |∂f/∂θ| at the returned weights. */
  gradientNorm: number;
  gradientTolerance: number;
  converged: boolean;
  stopReason: LbfgsStopReason | 'singleClass';
}

/** Standardised training rows with compact labels, reusable across several λ (regularisation paths, CV). */
export interface TrainingSet {
  x: Float64Array;
  n: number;
  d: number;
  /** Index into `classes` for each row. */
  y: Int32Array;
  classes: Int32Array;
  nClasses: number;
  standardizer: Standardizer;
}

export function prepareTrainingSet(
  x: Matrix,
  labels: ArrayLike<number>,
  nClasses: number,
  options: { rows?: ArrayLike<number>; standardize?: boolean } = {},
): TrainingSet {
  const rows = options.rows ?? range(x.rows);
  if (labels.length !== x.rows) throw new RangeError(`${labels.length} labels for ${x.rows} rows`);
  if (rows.length === 0) throw new RangeError('logistic regression needs at least one training row');
  const present = new Uint8Array(nClasses);
  for (let k = 0; k < rows.length; k++) {
    const label = labels[rows[k]];
    if (!Number.isInteger(label) || label < 0 || label >= nClasses) {
      throw new RangeError(`label ${label} at row ${rows[k]} is outside [0, ${nClasses})`);
    }
    present[label] = 1;
  }
  const classes = Int32Array.from(range(nClasses).filter((c) => present[c] === 1));
  const compact = new Int32Array(nClasses).fill(-1);
  classes.forEach((c, i) => (compact[c] = i));
  const y = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) y[k] = compact[labels[rows[k]]];
  const standardizer = options.standardize === false ? identityStandardizer(x.cols) : fitStandardizer(x, rows);
  return { x: standardizeRows(x, rows, standardizer), n: rows.length, d: x.cols, y, classes, nClasses, standardizer };
}

export function fitLogisticRegression(
  x: Matrix,
  labels: ArrayLike<number>,
  nClasses: number,
  options: Partial<LogisticRegressionOptions> & { rows?: ArrayLike<number> } = {},
): LogisticModel {
  const set = prepareTrainingSet(x, labels, nClasses, { rows: options.rows, standardize: options.standardize });
  return fitPrepared(set, options);
}

/** Number of parameters for a training set: outputs × (d + 1). */
export function parameterCount(set: TrainingSet): number {
  return outputCount(set.classes.length) * (set.d + 1);
}

/**
 * Fit on a prepared set. `warmStart` (parameters of a model fitted on the same set, e.g. at a neighbouring λ)
 * only changes the starting point, not the optimum.
 */
export function fitPrepared(
  set: TrainingSet,
  options: Partial<LogisticRegressionOptions> = {},
  warmStart?: Float64Array,
): LogisticModel {
  const opts = { ...DEFAULT_LOGISTIC_OPTIONS, ...options };
  if (!(opts.regularization >= 0) || !Number.isFinite(opts.regularization)) {
    throw new RangeError(`regularization must be a finite number ≥ 0, got ${opts.regularization}`);
  }
  const K = set.classes.length;
  const base = {
    nClasses: set.nClasses,
    classes: set.classes,
    nFeatures: set.d,
    standardizer: set.standardizer,
    regularization: opts.regularization,
    gradientTolerance: opts.gradientTolerance,
  };
  if (K === 1) {
    return {
      ...base,
      kind: 'singleClass',
      weights: new Float64Array(0),
      intercepts: new Float64Array(1),
      objective: 0,
      iterations: 0,
      gradientNorm: 0,
      converged: true,
      stopReason: 'singleClass',
    };
  }
  const outputs = outputCount(K);
  const start = new Float64Array(outputs * (set.d + 1));
  if (warmStart && warmStart.length === start.length) start.set(warmStart);
  else initialiseIntercepts(set, start);
  const objective = logisticObjective(set, opts.regularization);
  const solution = minimizeLbfgs(objective, start, {
    gradientTolerance: opts.gradientTolerance,
    maxIterations: opts.maxIterations,
    memory: opts.memory,
  });
  const weightCount = outputs * set.d;
  return {
    ...base,
    kind: K === 2 ? 'binary' : 'multinomial',
    weights: solution.x.slice(0, weightCount),
    intercepts: solution.x.slice(weightCount),
    objective: solution.value,
    iterations: solution.iterations,
    gradientNorm: solution.gradientNorm,
    converged: solution.converged,
    stopReason: solution.stopReason,
  };
}

/** The model's parameters as one vector (weights then intercepts), for warm starts. */
export function modelParameters(model: LogisticModel): Float64Array {
  const out = new Float64Array(model.weights.length + model.intercepts.length);
  out.set(model.weights);
  out.set(model.intercepts, model.weights.length);
  return out;
}

/**
 * Class probabilities for the given rows (all rows by default): row-major rows × nClasses, over the full label
 * space; classes the model never saw in training get probability 0.
 */
export function predictProbabilities(model: LogisticModel, x: Matrix, rows?: ArrayLike<number>): Float64Array {
  if (x.cols !== model.nFeatures) {
    throw new RangeError(`model expects ${model.nFeatures} features, got ${x.cols}`);
  }
  const indices = rows ?? range(x.rows);
  const C = model.nClasses;
  const out = new Float64Array(indices.length * C);
  if (model.kind === 'singleClass') {
    for (let k = 0; k < indices.length; k++) out[k * C + model.classes[0]] = 1;
    return out;
  }
  const d = model.nFeatures;
  const { mean, scale } = model.standardizer;
  const z = new Float64Array(d);
  const K = model.classes.length;
  const logits = new Float64Array(K);
  for (let k = 0; k < indices.length; k++) {
    const offset = indices[k] * d;
    for (let j = 0; j < d; j++) z[j] = (x.data[offset + j] - mean[j]) / scale[j];
    if (model.kind === 'binary') {
      const p = sigmoid(model.intercepts[0] + dotAt(model.weights, 0, z, d));
      out[k * C + model.classes[0]] = 1 - p;
      out[k * C + model.classes[1]] = p;
    } else {
      let max = -Infinity;
      for (let c = 0; c < K; c++) {
        logits[c] = model.intercepts[c] + dotAt(model.weights, c * d, z, d);
        if (logits[c] > max) max = logits[c];
      }
      let total = 0;
      for (let c = 0; c < K; c++) total += logits[c] = Math.exp(logits[c] - max);
      for (let c = 0; c < K; c++) out[k * C + model.classes[c]] = logits[c] / total;
    }
  }
  return out;
}

/** Most probable class per row (ties → the lower label). */
export function argmaxRows(probabilities: Float64Array, nClasses: number): Int32Array {
  const n = probabilities.length / nClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < nClasses; c++)
      if (probabilities[i * nClasses + c] > probabilities[i * nClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}

export function predictClasses(model: LogisticModel, x: Matrix, rows?: ArrayLike<number>): Int32Array {
  return argmaxRows(predictProbabilities(model, x, rows), model.nClasses);
}

/**
 * The objective above with its gradient, over the parameter vector (weights row-major, then intercepts), for
 * solvers other than the built-in one (benchmarks compare against plain gradient descent).
 */
export function logisticObjective(
  set: TrainingSet,
  lambda: number,
): (theta: Float64Array, grad: Float64Array) => number {
  if (set.classes.length < 2) throw new RangeError('the objective needs at least two classes in the training set');
  return set.classes.length === 2 ? binaryObjective(set, lambda) : multinomialObjective(set, lambda);
}

function outputCount(K: number): number {
  return K === 2 ? 1 : K;
}

/**
 * Start from the class log-frequencies with zero weights: the optimum of the intercept-only model. Multinomial
 * intercepts are only defined up to a common constant (softmax ignores it, the penalty skips intercepts); they
 * start centred, and since the intercept gradient always sums to zero they stay centred: a canonical answer.
 */
function initialiseIntercepts(set: TrainingSet, theta: Float64Array): void {
  const K = set.classes.length;
  const counts = new Float64Array(K);
  for (let i = 0; i < set.n; i++) counts[set.y[i]]++;
  const offset = outputCount(K) * set.d;
  if (K === 2) {
    theta[offset] = Math.log(counts[1] / counts[0]);
    return;
  }
  let meanLog = 0;
  for (let c = 0; c < K; c++) meanLog += Math.log(counts[c]) / K;
  for (let c = 0; c < K; c++) theta[offset + c] = Math.log(counts[c]) - meanLog;
}

function binaryObjective(set: TrainingSet, lambda: number): (theta: Float64Array, grad: Float64Array) => number {
  const { x, n, d, y } = set;
  return (theta, grad) => {
    grad.fill(0);
    const b = theta[d];
    let loss = 0;
    let gradB = 0;
    for (let i = 0; i < n; i++) {
      const offset = i * d;
      const z = b + dotAt(theta, 0, x.subarray(offset, offset + d), d);
      // log(1 + e^z) − y z, computed without overflow.
      loss += softplus(z) - (y[i] === 1 ? z : 0);
      const r = sigmoid(z) - y[i];
      gradB += r;
      for (let j = 0; j < d; j++) grad[j] += r * x[offset + j];
    }
    let penalty = 0;
    for (let j = 0; j < d; j++) {
      grad[j] = grad[j] / n + lambda * theta[j];
      penalty += theta[j] * theta[j];
    }
    grad[d] = gradB / n;
    return loss / n + 0.5 * lambda * penalty;
  };
}

function multinomialObjective(set: TrainingSet, lambda: number): (theta: Float64Array, grad: Float64Array) => number {
  const { x, n, d, y } = set;
  const K = set.classes.length;
  const weightCount = K * d;
  const logits = new Float64Array(K);
  return (theta, grad) => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const offset = i * d;
      const row = x.subarray(offset, offset + d);
      let max = -Infinity;
      for (let c = 0; c < K; c++) {
        logits[c] = theta[weightCount + c] + dotAt(theta, c * d, row, d);
        if (logits[c] > max) max = logits[c];
      }
      let total = 0;
      for (let c = 0; c < K; c++) total += Math.exp(logits[c] - max);
      const logNormaliser = max + Math.log(total);
      loss += logNormaliser - logits[y[i]];
      for (let c = 0; c < K; c++) {
        const r = Math.exp(logits[c] - logNormaliser) - (y[i] === c ? 1 : 0);
        grad[weightCount + c] += r;
        const g = c * d;
        for (let j = 0; j < d; j++) grad[g + j] += r * row[j];
      }
    }
    let penalty = 0;
    for (let j = 0; j < weightCount; j++) {
      grad[j] = grad[j] / n + lambda * theta[j];
      penalty += theta[j] * theta[j];
    }
    for (let c = 0; c < K; c++) grad[weightCount + c] /= n;
    return loss / n + 0.5 * lambda * penalty;
  };
}

function dotAt(weights: Float64Array, offset: number, z: Float64Array, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) total += weights[offset + j] * z[j];
  return total;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
