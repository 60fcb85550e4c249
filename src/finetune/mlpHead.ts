/**
 * A one-hidden-layer MLP head on frozen (standardised) embeddings: h = ReLU(x W1 + b1), logits = h W2 + b2,
 * loss = mean softmax cross-entropy + (λ/2)(‖W1‖² + ‖W2‖²). Parameters live in one float64 array
 * [W1 (d×h), b1 (h), W2 (h×K), b2 (K)] so Adam and the finite-difference check see one vector.
 * Initialisation: He-uniform for W1 (ReLU), Glorot-uniform for W2, zero biases, from the caller's Rng.
 */
import type { Rng } from '../core/random.js';
import { softmaxCrossEntropy } from './softmaxLoss.js';

export interface MlpShape {
  inputs: number;
  hidden: number;
  classes: number;
}

export interface MlpLayout extends MlpShape {
  w1: number;
  b1: number;
  w2: number;
  b2: number;
  size: number;
}

export function mlpLayout(shape: MlpShape): MlpLayout {
  const { inputs: d, hidden: h, classes: k } = shape;
  const w1 = 0;
  const b1 = d * h;
  const w2 = b1 + h;
  const b2 = w2 + h * k;
  return { ...shape, w1, b1, w2, b2, size: b2 + k };
}

export function initMlp(layout: MlpLayout, rng: Rng): Float64Array {
  const p = new Float64Array(layout.size);
  const a1 = Math.sqrt(6 / layout.inputs);
  for (let i = 0; i < layout.inputs * layout.hidden; i++) p[layout.w1 + i] = (2 * rng.next() - 1) * a1;
  const a2 = Math.sqrt(6 / (layout.hidden + layout.classes));
  for (let i = 0; i < layout.hidden * layout.classes; i++) p[layout.w2 + i] = (2 * rng.next() - 1) * a2;
  return p;
}

/** Hidden activations (rows × hidden) of the given rows of x (n × inputs, row-major). */
export function mlpHidden(
  layout: MlpLayout,
  params: Float64Array,
  x: Float64Array,
  rows: ArrayLike<number>,
): Float64Array {
  const { inputs: d, hidden: h } = layout;
  const out = new Float64Array(rows.length * h);
  for (let r = 0; r < rows.length; r++) {
    const xo = rows[r] * d;
    const ho = r * h;
    for (let j = 0; j < h; j++) out[ho + j] = params[layout.b1 + j];
    for (let i = 0; i < d; i++) {
      const xi = x[xo + i];
      if (xi === 0) continue;
      const wo = layout.w1 + i * h;
      for (let j = 0; j < h; j++) out[ho + j] += xi * params[wo + j];
    }
    for (let j = 0; j < h; j++) if (out[ho + j] < 0) out[ho + j] = 0;
  }
  return out;
}

function logitsOf(layout: MlpLayout, params: Float64Array, hidden: Float64Array, n: number): Float64Array {
  const { hidden: h, classes: k } = layout;
  const logits = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < k; c++) logits[r * k + c] = params[layout.b2 + c];
    for (let j = 0; j < h; j++) {
      const hj = hidden[r * h + j];
      if (hj === 0) continue;
      const wo = layout.w2 + j * k;
      for (let c = 0; c < k; c++) logits[r * k + c] += hj * params[wo + c];
    }
  }
  return logits;
}

export function mlpLogits(
  layout: MlpLayout,
  params: Float64Array,
  x: Float64Array,
  rows: ArrayLike<number>,
): Float64Array {
  return logitsOf(layout, params, mlpHidden(layout, params, x, rows), rows.length);
}

/** Loss on `rows` and, when `grad` is given, its gradient (overwritten) by backpropagation. */
export function mlpLoss(
  layout: MlpLayout,
  params: Float64Array,
  x: Float64Array,
  labels: ArrayLike<number>,
  rows: ArrayLike<number>,
  l2: number,
  grad?: Float64Array,
): number {
  const { inputs: d, hidden: h, classes: k } = layout;
  const n = rows.length;
  const hidden = mlpHidden(layout, params, x, rows);
  const logits = logitsOf(layout, params, hidden, n);
  const y = Int32Array.from({ length: n }, (_, r) => labels[rows[r]]);
  let loss = softmaxCrossEntropy(logits, y, k, grad !== undefined);
  let penalty = 0;
  for (let i = 0; i < d * h; i++) penalty += params[layout.w1 + i] ** 2;
  for (let i = 0; i < h * k; i++) penalty += params[layout.w2 + i] ** 2;
  loss += (l2 / 2) * penalty;
  if (!grad) return loss;
  grad.fill(0);
  const dHidden = new Float64Array(h);
  for (let r = 0; r < n; r++) {
    const dl = logits.subarray(r * k, (r + 1) * k);
    for (let c = 0; c < k; c++) grad[layout.b2 + c] += dl[c];
    dHidden.fill(0);
    for (let j = 0; j < h; j++) {
      const hj = hidden[r * h + j];
      if (hj <= 0) continue;
      const wo = layout.w2 + j * k;
      let s = 0;
      for (let c = 0; c < k; c++) {
        grad[wo + c] += hj * dl[c];
        s += params[wo + c] * dl[c];
      }
      dHidden[j] = s;
    }
    const xo = rows[r] * d;
    for (let j = 0; j < h; j++) grad[layout.b1 + j] += dHidden[j];
    for (let i = 0; i < d; i++) {
      const xi = x[xo + i];
      if (xi === 0) continue;
      const wo = layout.w1 + i * h;
      for (let j = 0; j < h; j++) grad[wo + j] += xi * dHidden[j];
    }
  }
  for (let i = 0; i < d * h; i++) grad[layout.w1 + i] += l2 * params[layout.w1 + i];
  for (let i = 0; i < h * k; i++) grad[layout.w2 + i] += l2 * params[layout.w2 + i];
  return loss;
}
