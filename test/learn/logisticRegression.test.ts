import { describe, expect, it } from 'vitest';
import { createMatrix, fromRows, type Matrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import {
  fitLogisticRegression,
  fitPrepared,
  logisticObjective,
  modelParameters,
  parameterCount,
  predictClasses,
  predictProbabilities,
  prepareTrainingSet,
  type LogisticModel,
} from '../../src/learn/logisticRegression.js';
import { minimizeLbfgs, minimizeLbfgsAsync } from '../../src/learn/lbfgs.js';

/**
 * Gradient of the objective written out independently of the implementation:
 * f = mean softmax cross-entropy (binary: logistic loss) + λ/2 ‖W‖², on features standardised here with the
 * population standard deviation.
 */
function independentGradientMaxNorm(literal: number[][], y: number[], model: LogisticModel): number {
  const x = literal.map((row) => row.map(Math.fround)); // the float32 values the Matrix holds
  const n = x.length;
  const d = x[0].length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n));
  const z = x.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
  const lambda = model.regularization;
  const rows = model.kind === 'binary' ? 1 : model.classes.length;
  const gW = Array.from({ length: rows }, () => new Array<number>(d).fill(0));
  const gB = new Array<number>(rows).fill(0);
  for (let i = 0; i < n; i++) {
    const logits = Array.from(
      { length: rows },
      (_, c) => model.intercepts[c] + z[i].reduce((s, v, j) => s + v * model.weights[c * d + j], 0),
    );
    let residuals: number[];
    if (model.kind === 'binary') residuals = [1 / (1 + Math.exp(-logits[0])) - (y[i] === model.classes[1] ? 1 : 0)];
    else {
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const total = e.reduce((a, b) => a + b, 0);
      residuals = e.map((v, c) => v / total - (y[i] === model.classes[c] ? 1 : 0));
    }
    residuals.forEach((r, c) => {
      gB[c] += r / n;
      for (let j = 0; j < d; j++) gW[c][j] += (r * z[i][j]) / n;
    });
  }
  let max = 0;
  for (let c = 0; c < rows; c++) {
    max = Math.max(max, Math.abs(gB[c]));
    for (let j = 0; j < d; j++) max = Math.max(max, Math.abs(gW[c][j] + lambda * model.weights[c * d + j]));
  }
  return max;
}

// Golden optima from scipy.optimize.minimize(L-BFGS-B, gtol 1e-13) on the same objective
// (script: standardise with ddof=0, mean log-loss + λ/2‖W‖², intercepts unpenalised).
const BINARY_X = [
  [1.7, 1.49],
  [-0.47, -0.43],
  [0.89, 1.26],
  [0.37, -0.48],
  [-0.76, 0.58],
  [-0.39, -0.4],
  [0.41, 0.38],
  [-0.84, -1.69],
  [0.36, 0.41],
  [2.27, 0.21],
  [-3.72, -2.01],
  [0.07, -1.94],
];
const BINARY_Y = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
const BINARY_THETA = [0.704049951031, -1.11278181361, 0.019681802549];
const BINARY_OBJECTIVE = 0.535086285782763;

const MULTI_X = [
  [-0.64, 0.94, -0.88],
  [-2.93, 0.61, 1.83],
  [-0.47, 1.59, -0.63],
  [0.38, -1.86, 0.85],
  [-2.16, 2.3, 1.76],
  [-1.84, 1.95, 3.37],
  [-2.27, -3.12, -2.67],
  [-1.18, 1.99, 2.76],
  [0.76, 1.09, 0.71],
  [-0.07, 0.78, -2.11],
  [-3.07, 2.16, 3.85],
  [-1.47, -0.84, -0.56],
  [1.64, -0.88, 1.57],
  [-5.25, 3.49, 2.7],
  [-2.45, 1.0, 2.1],
];
const MULTI_Y = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];
const MULTI_THETA = [
  0.819393800562, -0.809138057066, -0.706082307794, -0.872973031109, 0.668203934833, 0.601810812514, 0.0535792305469,
  0.140934122233, 0.10427149528, -0.485025845123, -0.100686941835, 0.585712786958,
];
const MULTI_OBJECTIVE = 0.6405514492605;

function gaussianClasses(
  n: number,
  d: number,
  K: number,
  separation: number,
  seed: number,
): { x: Matrix; y: Int32Array } {
  const rng = createRng(seed);
  const centres = Array.from({ length: K }, () => Array.from({ length: d }, () => rng.normal() * separation));
  const x = createMatrix(n, d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % K;
    for (let j = 0; j < d; j++) x.data[i * d + j] = centres[y[i]][j] + rng.normal();
  }
  return { x, y };
}

describe('logistic regression against independent optima', () => {
  it('binary: matches the scipy optimum, and the gradient vanishes there', () => {
    const model = fitLogisticRegression(fromRows(BINARY_X), BINARY_Y, 2, {
      regularization: 0.1,
      gradientTolerance: 1e-10,
    });
    expect(model.kind).toBe('binary');
    expect(model.converged).toBe(true);
    const theta = modelParameters(model);
    BINARY_THETA.forEach((v, i) => expect(theta[i]).toBeCloseTo(v, 7));
    expect(model.objective).toBeCloseTo(BINARY_OBJECTIVE, 10);
    expect(independentGradientMaxNorm(BINARY_X, BINARY_Y, model)).toBeLessThan(1e-9);
  });

  it('multinomial (K = 3): matches the scipy optimum, and the gradient vanishes there', () => {
    const model = fitLogisticRegression(fromRows(MULTI_X), MULTI_Y, 3, {
      regularization: 0.05,
      gradientTolerance: 1e-10,
    });
    expect(model.kind).toBe('multinomial');
    const theta = modelParameters(model);
    MULTI_THETA.forEach((v, i) => expect(theta[i]).toBeCloseTo(v, 7));
    expect(model.objective).toBeCloseTo(MULTI_OBJECTIVE, 10);
    expect(independentGradientMaxNorm(MULTI_X, MULTI_Y, model)).toBeLessThan(1e-9);
  });

  it('1-D, unregularised: the saturated two-group model hits the exact log-odds', () => {
    // x = +1: 3 of 4 positive; x = −1: 1 of 4 positive. Exact optimum w + b = ln 3, −w + b = −ln 3.
    const x = fromRows([[1], [1], [1], [1], [-1], [-1], [-1], [-1]]);
    const y = [1, 1, 1, 0, 1, 0, 0, 0];
    const model = fitLogisticRegression(x, y, 2, { regularization: 0, gradientTolerance: 1e-12 });
    expect(model.weights[0]).toBeCloseTo(Math.log(3), 9);
    expect(model.intercepts[0]).toBeCloseTo(0, 9);
    const p = predictProbabilities(model, fromRows([[1], [-1]]));
    expect(p[1]).toBeCloseTo(0.75, 9);
    expect(p[3]).toBeCloseTo(0.25, 9);
  });

  it('1-D, regularised: the weight solves σ(w) − 0.75 + λw = 0 (root found here by bisection)', () => {
    const x = fromRows([[1], [1], [1], [1], [-1], [-1], [-1], [-1]]);
    const y = [1, 1, 1, 0, 1, 0, 0, 0];
    const lambda = 0.3;
    let lo = 0;
    let hi = 5;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (1 / (1 + Math.exp(-mid)) - 0.75 + lambda * mid > 0) hi = mid;
      else lo = mid;
    }
    const model = fitLogisticRegression(x, y, 2, { regularization: lambda, gradientTolerance: 1e-12 });
    expect(model.weights[0]).toBeCloseTo((lo + hi) / 2, 9);
    expect(model.intercepts[0]).toBeCloseTo(0, 9);
  });

  it('warm starts change the path, not the optimum', () => {
    const { x, y } = gaussianClasses(300, 20, 3, 0.5, 4);
    const set = prepareTrainingSet(x, y, 3);
    const cold = fitPrepared(set, { regularization: 0.01, gradientTolerance: 1e-9 });
    const strong = fitPrepared(set, { regularization: 1 });
    const warm = fitPrepared(set, { regularization: 0.01, gradientTolerance: 1e-9 }, modelParameters(strong));
    const a = modelParameters(cold);
    const b = modelParameters(warm);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    expect(maxDiff).toBeLessThan(1e-6);
  });
});

/**
 * The objective as a plain row-by-row loop (the form it had before it was blocked over rows): the blocked one must
 * give the same value and gradient to the last bit, since every sum keeps its order.
 */
function plainObjective(
  x: Float64Array,
  y: Int32Array,
  n: number,
  d: number,
  K: number,
  lambda: number,
  theta: Float64Array,
) {
  const outputs = K === 2 ? 1 : K;
  const grad = new Float64Array(outputs * (d + 1));
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const logits = new Float64Array(outputs);
    for (let c = 0; c < outputs; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += theta[c * d + j] * x[i * d + j];
      logits[c] = theta[outputs * d + c] + s;
    }
    const residuals = new Float64Array(outputs);
    if (K === 2) {
      const z = logits[0];
      loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (y[i] === 1 ? z : 0);
      residuals[0] = (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))) - y[i];
    } else {
      let max = -Infinity;
      for (let c = 0; c < K; c++) if (logits[c] > max) max = logits[c];
      let total = 0;
      for (let c = 0; c < K; c++) total += Math.exp(logits[c] - max);
      const logNormaliser = max + Math.log(total);
      loss += logNormaliser - logits[y[i]];
      for (let c = 0; c < K; c++) residuals[c] = Math.exp(logits[c] - logNormaliser) - (y[i] === c ? 1 : 0);
    }
    for (let c = 0; c < outputs; c++) {
      grad[outputs * d + c] += residuals[c];
      for (let j = 0; j < d; j++) grad[c * d + j] += residuals[c] * x[i * d + j];
    }
  }
  let penalty = 0;
  for (let j = 0; j < outputs * d; j++) {
    grad[j] = grad[j] / n + lambda * theta[j];
    penalty += theta[j] * theta[j];
  }
  for (let c = 0; c < outputs; c++) grad[outputs * d + c] /= n;
  return { value: loss / n + 0.5 * lambda * penalty, grad };
}

describe('the objective, blocked over rows', () => {
  it('gives the plain loop’s value and gradient bit for bit (binary and multinomial, partial last blocks)', () => {
    const rng = createRng(17);
    for (const [n, d, K] of [
      [5, 3, 2],
      [8, 4, 2],
      [29, 6, 2],
      [7, 3, 3],
      [16, 5, 3],
      [43, 9, 5],
    ]) {
      const x = createMatrix(n, d);
      for (let i = 0; i < n * d; i++) x.data[i] = rng.normal();
      const y = Int32Array.from({ length: n }, (_, i) => i % K);
      const set = prepareTrainingSet(x, y, K);
      const theta = Float64Array.from({ length: parameterCount(set) }, () => rng.normal() * 0.5);
      const grad = new Float64Array(theta.length);
      const value = logisticObjective(set, 0.01)(theta, grad);
      const plain = plainObjective(set.x, set.y, n, d, K, 0.01, theta);
      expect(Object.is(value, plain.value)).toBe(true);
      expect(Array.from(grad)).toEqual(Array.from(plain.grad));
    }
  });
});

describe('predictions, blocked over rows', () => {
  it('give the row-by-row probabilities bit for bit (binary and multinomial, partial last blocks, any row order)', () => {
    const rng = createRng(19);
    for (const [n, d, K] of [
      [21, 5, 2],
      [19, 4, 4],
    ]) {
      const x = createMatrix(n, d);
      for (let i = 0; i < n * d; i++) x.data[i] = rng.normal();
      const y = Int32Array.from({ length: n }, (_, i) => i % K);
      const model = fitLogisticRegression(x, y, K, { regularization: 0.1 });
      const rows = [...Array.from(rng.permutation(n)), 3, 3];
      const got = predictProbabilities(model, x, rows);
      const { mean, scale } = model.standardizer;
      const outputs = K === 2 ? 1 : K;
      rows.forEach((row, k) => {
        const z = Array.from({ length: d }, (_, j) => (x.data[row * d + j] - mean[j]) / scale[j]);
        const logits = Array.from({ length: outputs }, (_, c) => {
          let s = 0;
          for (let j = 0; j < d; j++) s += model.weights[c * d + j] * z[j];
          return model.intercepts[c] + s;
        });
        let expected: number[];
        if (K === 2) {
          const t = logits[0];
          const p = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
          expected = [1 - p, p];
        } else {
          const max = Math.max(...logits);
          const e = logits.map((l) => Math.exp(l - max));
          const total = e.reduce((a, b) => a + b, 0);
          expected = e.map((v) => v / total);
        }
        expect(Array.from(got.subarray(k * K, (k + 1) * K))).toEqual(expected);
      });
    }
  });
});

describe('logistic regression edge cases', () => {
  it('separable data: L2 keeps the weights finite, and weaker λ gives larger weights', () => {
    const x = fromRows([
      [-2, 0.1],
      [-1.5, -0.3],
      [-1, 0.2],
      [1, -0.1],
      [1.5, 0.4],
      [2, 0],
    ]);
    const y = [0, 0, 0, 1, 1, 1];
    const norms = [1e-1, 1e-2, 1e-3, 1e-4].map((lambda) => {
      const model = fitLogisticRegression(x, y, 2, { regularization: lambda });
      expect(model.converged).toBe(true);
      expect(Array.from(model.weights).every(Number.isFinite)).toBe(true);
      expect(Array.from(predictClasses(model, x))).toEqual(y);
      return Math.hypot(...model.weights);
    });
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeGreaterThan(norms[i - 1]);
  });

  it('a single class: the model says so and predicts that class', () => {
    const { x } = gaussianClasses(20, 3, 1, 1, 1);
    const labels = new Array(20).fill(2);
    const model = fitLogisticRegression(x, labels, 4);
    expect(model.kind).toBe('singleClass');
    expect(model.converged).toBe(true);
    expect(Array.from(model.classes)).toEqual([2]);
    expect(Array.from(predictClasses(model, x))).toEqual(labels);
    const p = predictProbabilities(model, x, [0]);
    expect(Array.from(p)).toEqual([0, 0, 1, 0]);
  });

  it('classes absent from the training rows get probability 0; the rest sum to 1', () => {
    const { x, y } = gaussianClasses(60, 4, 3, 2, 2);
    const rows = Array.from(y.keys()).filter((i) => y[i] !== 1);
    const model = fitLogisticRegression(x, y, 3, { rows });
    expect(model.kind).toBe('binary');
    expect(Array.from(model.classes)).toEqual([0, 2]);
    const p = predictProbabilities(model, x);
    for (let i = 0; i < 60; i++) {
      expect(p[i * 3 + 1]).toBe(0);
      expect(p[i * 3] + p[i * 3 + 2]).toBeCloseTo(1, 12);
    }
  });

  it('a constant feature is ignored rather than dividing by zero', () => {
    const x = fromRows([
      [5, 0],
      [5, 1],
      [5, 2],
      [5, 3],
    ]);
    const model = fitLogisticRegression(x, [0, 0, 1, 1], 2, { regularization: 0.1 });
    expect(model.weights[0]).toBe(0);
    expect(Number.isFinite(model.weights[1])).toBe(true);
    expect(model.weights[1]).toBeGreaterThan(0);
  });

  it('d = 2000 with n = 300 and 3 classes converges within the iteration cap', () => {
    const { x, y } = gaussianClasses(300, 2000, 3, 0.15, 9);
    const model = fitLogisticRegression(x, y, 3, { regularization: 1e-3 });
    expect(model.converged).toBe(true);
    expect(model.iterations).toBeLessThan(500);
    expect(model.gradientNorm).toBeLessThanOrEqual(1e-6);
    // n < d: the training data are separable, and the fitted probe separates them.
    const predicted = predictClasses(model, x);
    expect(Array.from(predicted)).toEqual(Array.from(y));
  });

  it('stops at maxIterations and says it did not converge', () => {
    const { x, y } = gaussianClasses(200, 50, 3, 0.3, 3);
    const model = fitLogisticRegression(x, y, 3, { regularization: 1e-4, maxIterations: 3 });
    expect(model.iterations).toBe(3);
    expect(model.converged).toBe(false);
    expect(model.stopReason).toBe('maxIterations');
  });
});

describe('L-BFGS', () => {
  it('minimises the Rosenbrock function to (1, 1)', () => {
    const result = minimizeLbfgs(
      (v, g) => {
        const [a, b] = [v[0], v[1]];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { gradientTolerance: 1e-10 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
    expect(result.x[1]).toBeCloseTo(1, 8);
  });

  it('solves an ill-conditioned quadratic exactly', () => {
    const scales = [1, 10, 100, 1000, 1e4];
    const result = minimizeLbfgs(
      (v, g) => {
        let f = 0;
        scales.forEach((s, i) => {
          f += 0.5 * s * (v[i] - i) ** 2;
          g[i] = s * (v[i] - i);
        });
        return f;
      },
      new Float64Array(5),
      { gradientTolerance: 1e-10 },
    );
    expect(result.converged).toBe(true);
    scales.forEach((_, i) => expect(result.x[i]).toBeCloseTo(i, 9));
  });
});

describe('L-BFGS drivers', () => {
  it('the async driver takes the same steps as the synchronous one', async () => {
    const rosenbrock = (x: Float64Array, g: Float64Array): number => {
      g[0] = -400 * x[0] * (x[1] - x[0] * x[0]) - 2 * (1 - x[0]);
      g[1] = 200 * (x[1] - x[0] * x[0]);
      return 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;
    };
    const start = Float64Array.of(-1.2, 1);
    const sync = minimizeLbfgs(rosenbrock, start, { gradientTolerance: 1e-10 });
    const asynchronous = await minimizeLbfgsAsync(async (x, g) => rosenbrock(x, g), start, {
      gradientTolerance: 1e-10,
    });
    expect(asynchronous).toEqual(sync);
    expect(sync.converged).toBe(true);
    expect(sync.x[0]).toBeCloseTo(1, 8);
  });
});
