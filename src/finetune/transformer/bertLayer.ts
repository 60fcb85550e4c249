/**
 * A trainable BERT encoder layer (post-LayerNorm, exact-erf GELU, as Hugging Face's BertLayer) in TensorFlow.js,
 * initialised from the ONNX export's weights, plus the masked pooling and the linear head on top.
 *
 * On the WebAssembly backend, matMul with transpose flags is an order of magnitude slower than a plain matMul
 * (measured: 3.3 s against 0.24 s for 2048×384 by 384×1536), and the built-in matMul gradient uses those flags.
 * And @tensorflow/tfjs-core's Node entry registers no gradients at all (they ship only as extensionless ES
 * modules that Node cannot load). So the backward pass is written out by hand (layerBackward), with every
 * transpose materialised before a plain matMul (dA = dY · Bᵀ, dB = Aᵀ · dY), and checked against finite
 * differences in test/finetune.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { BertLayerWeights, DenseWeights, LayerNormWeights } from '../onnx/bertWeights.js';

type Tf = typeof TF;

export interface TfDense {
  weight: TF.Variable;
  bias: TF.Variable;
}

export interface TfNorm {
  gamma: TF.Variable;
  beta: TF.Variable;
}

export interface TfBertLayer {
  query: TfDense;
  key: TfDense;
  value: TfDense;
  attentionOutput: TfDense;
  attentionNorm: TfNorm;
  intermediate: TfDense;
  output: TfDense;
  outputNorm: TfNorm;
  heads: number;
  epsilon: number;
}

/** Plain products: every transpose is materialised by the caller (see the header). */
export function createMatmul(tf: Tf): MatMul {
  return (a, b) => tf.matMul(a, b);
}

export function createTfLayer(tf: Tf, w: BertLayerWeights, heads: number, epsilon: number, name: string): TfBertLayer {
  const dense = (d: DenseWeights, part: string): TfDense => ({
    weight: tf.variable(tf.tensor2d(d.weight, [d.inputs, d.outputs]), true, `${name}.${part}.weight`),
    bias: tf.variable(tf.tensor1d(d.bias), true, `${name}.${part}.bias`),
  });
  const norm = (n: LayerNormWeights, part: string): TfNorm => ({
    gamma: tf.variable(tf.tensor1d(n.gamma), true, `${name}.${part}.gamma`),
    beta: tf.variable(tf.tensor1d(n.beta), true, `${name}.${part}.beta`),
  });
  return {
    query: dense(w.query, 'query'),
    key: dense(w.key, 'key'),
    value: dense(w.value, 'value'),
    attentionOutput: dense(w.attentionOutput, 'attentionOutput'),
    attentionNorm: norm(w.attentionNorm, 'attentionNorm'),
    intermediate: dense(w.intermediate, 'intermediate'),
    output: dense(w.output, 'output'),
    outputNorm: norm(w.outputNorm, 'outputNorm'),
    heads,
    epsilon,
  };
}

export function layerVariables(layer: TfBertLayer): TF.Variable[] {
  const out: TF.Variable[] = [];
  for (const part of [layer.query, layer.key, layer.value, layer.attentionOutput, layer.intermediate, layer.output]) {
    out.push(part.weight, part.bias);
  }
  for (const n of [layer.attentionNorm, layer.outputNorm]) out.push(n.gamma, n.beta);
  return out;
}

/** What the backward pass of one layer needs from its forward pass. */
export interface LayerCache {
  B: number;
  T: number;
  x: TF.Tensor2D;
  q: TF.Tensor3D;
  kT: TF.Tensor3D;
  v: TF.Tensor3D;
  probs: TF.Tensor3D;
  context: TF.Tensor2D;
  norm1: NormCache;
  attended: TF.Tensor2D;
  inner: TF.Tensor2D;
  /** Φ(inner), the standard normal CDF: GELU(u) = u Φ(u), GELU'(u) = Φ(u) + u φ(u). */
  cdf: TF.Tensor2D;
  gelu: TF.Tensor2D;
  norm2: NormCache;
}

interface NormCache {
  xhat: TF.Tensor2D;
  rstd: TF.Tensor2D;
}

type MatMul = (a: TF.Tensor, b: TF.Tensor) => TF.Tensor;

/**
 * x: [B, T, H] token states; maskBias: [B, 1, 1, T], 0 for real tokens and a large negative number for padding.
 * Returns the layer's output states [B, T, H] and, for backward, the intermediates.
 */
export function layerForward(
  tf: Tf,
  matmul: MatMul,
  layer: TfBertLayer,
  x3: TF.Tensor3D,
  maskBias: TF.Tensor4D,
): { y: TF.Tensor3D; cache: LayerCache } {
  const [B, T, H] = x3.shape;
  const nh = layer.heads;
  const dh = H / nh;
  const x = tf.reshape(x3, [B * T, H]) as TF.Tensor2D;
  const dense = (input: TF.Tensor, d: TfDense) => tf.add(matmul(input, d.weight), d.bias) as TF.Tensor2D;
  const q = splitHeads(tf, dense(x, layer.query), B, T, nh, dh);
  const kT = tf.reshape(tf.transpose(tf.reshape(dense(x, layer.key), [B, T, nh, dh]), [0, 2, 3, 1]), [
    B * nh,
    dh,
    T,
  ]) as TF.Tensor3D;
  const v = splitHeads(tf, dense(x, layer.value), B, T, nh, dh);
  const scores = tf.add(tf.reshape(tf.div(matmul(q, kT), Math.sqrt(dh)), [B, nh, T, T]), maskBias);
  const probs = tf.reshape(tf.softmax(scores), [B * nh, T, T]) as TF.Tensor3D;
  const context = mergeHeads(tf, matmul(probs, v) as TF.Tensor3D, B, T, nh, dh);
  const norm1 = layerNorm(tf, tf.add(dense(context, layer.attentionOutput), x) as TF.Tensor2D, layer.epsilon);
  const attended = affine(tf, norm1.xhat, layer.attentionNorm);
  const inner = dense(attended, layer.intermediate);
  const cdf = tf.mul(tf.add(tf.erf(tf.div(inner, Math.SQRT2)), 1), 0.5) as TF.Tensor2D;
  const gelu = tf.mul(inner, cdf) as TF.Tensor2D;
  const norm2 = layerNorm(tf, tf.add(dense(gelu, layer.output), attended) as TF.Tensor2D, layer.epsilon);
  const y = tf.reshape(affine(tf, norm2.xhat, layer.outputNorm), [B, T, H]) as TF.Tensor3D;
  return { y, cache: { B, T, x, q, kT, v, probs, context, norm1, attended, inner, cdf, gelu, norm2 } };
}

/** Gradients of one layer's parameters (by variable name) and of its input, given dL/dy ([B·T, H]). */
export function layerBackward(
  tf: Tf,
  matmul: MatMul,
  layer: TfBertLayer,
  c: LayerCache,
  dy: TF.Tensor2D,
): { dx: TF.Tensor2D; grads: Map<string, TF.Tensor> } {
  const grads = new Map<string, TF.Tensor>();
  const { B, T } = c;
  const H = c.x.shape[1];
  const nh = layer.heads;
  const dh = H / nh;
  const t2 = (m: TF.Tensor) => tf.transpose(m);
  const t3 = (m: TF.Tensor) => tf.transpose(m, [0, 2, 1]);
  const denseBack = (input: TF.Tensor2D, d: TfDense, dOut: TF.Tensor2D): TF.Tensor2D => {
    grads.set(d.weight.name, matmul(t2(input), dOut));
    grads.set(d.bias.name, tf.sum(dOut, 0));
    return matmul(dOut, t2(d.weight)) as TF.Tensor2D;
  };
  // Output LayerNorm, then the feed-forward block with its residual.
  const dO = normBackward(tf, c.norm2, layer.outputNorm, dy, grads);
  const dGelu = denseBack(c.gelu, layer.output, dO);
  const u = c.inner;
  const cdf = c.cdf;
  const pdf = tf.mul(tf.exp(tf.mul(tf.square(u), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  const dInner = tf.mul(dGelu, tf.add(cdf, tf.mul(u, pdf))) as TF.Tensor2D;
  const dAttended = tf.add(dO, denseBack(c.attended, layer.intermediate, dInner)) as TF.Tensor2D;
  // Attention output LayerNorm, the output projection and its residual.
  const dA = normBackward(tf, c.norm1, layer.attentionNorm, dAttended, grads);
  const dContext = denseBack(c.context, layer.attentionOutput, dA);
  // Attention: C = P V, P = softmax(Q Kᵀ / √dh + mask).
  const dC = splitHeads(tf, dContext, B, T, nh, dh);
  const dP = matmul(dC, t3(c.v));
  const dV = matmul(t3(c.probs), dC) as TF.Tensor3D;
  const dS = tf.mul(c.probs, tf.sub(dP, tf.sum(tf.mul(dP, c.probs), -1, true)));
  const scale = 1 / Math.sqrt(dh);
  const dQ = tf.mul(matmul(dS, t3(c.kT)), scale) as TF.Tensor3D;
  const dK = tf.mul(matmul(t3(dS), c.q), scale) as TF.Tensor3D;
  let dx = tf.add(dA, denseBack(c.x, layer.query, mergeHeads(tf, dQ, B, T, nh, dh))) as TF.Tensor2D;
  dx = tf.add(dx, denseBack(c.x, layer.key, mergeHeads(tf, dK, B, T, nh, dh))) as TF.Tensor2D;
  dx = tf.add(dx, denseBack(c.x, layer.value, mergeHeads(tf, dV, B, T, nh, dh))) as TF.Tensor2D;
  return { dx, grads };
}

function splitHeads(tf: Tf, m: TF.Tensor, B: number, T: number, nh: number, dh: number): TF.Tensor3D {
  return tf.reshape(tf.transpose(tf.reshape(m, [B, T, nh, dh]), [0, 2, 1, 3]), [B * nh, T, dh]) as TF.Tensor3D;
}

function mergeHeads(tf: Tf, m: TF.Tensor, B: number, T: number, nh: number, dh: number): TF.Tensor2D {
  return tf.reshape(tf.transpose(tf.reshape(m, [B, nh, T, dh]), [0, 2, 1, 3]), [B * T, nh * dh]) as TF.Tensor2D;
}

function layerNorm(tf: Tf, x: TF.Tensor2D, epsilon: number): NormCache {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  const rstd = tf.rsqrt(tf.add(variance, epsilon)) as TF.Tensor2D;
  return { xhat: tf.mul(centred, rstd) as TF.Tensor2D, rstd };
}

function affine(tf: Tf, xhat: TF.Tensor2D, n: TfNorm): TF.Tensor2D {
  return tf.add(tf.mul(xhat, n.gamma), n.beta) as TF.Tensor2D;
}

/** y = x̂ γ + β with x̂ = (x − mean) · rstd: dx = rstd (dx̂ − mean(dx̂) − x̂ mean(dx̂ x̂)). */
function normBackward(tf: Tf, c: NormCache, n: TfNorm, dy: TF.Tensor2D, grads: Map<string, TF.Tensor>): TF.Tensor2D {
  grads.set(n.gamma.name, tf.sum(tf.mul(dy, c.xhat), 0));
  grads.set(n.beta.name, tf.sum(dy, 0));
  const dxhat = tf.mul(dy, n.gamma);
  const centredGrad = tf.sub(dxhat, tf.mean(dxhat, -1, true));
  return tf.mul(tf.sub(centredGrad, tf.mul(c.xhat, tf.mean(tf.mul(dxhat, c.xhat), -1, true))), c.rstd) as TF.Tensor2D;
}

/** Masked pooling of [B, T, H] states: mean over real tokens, or the first token ([CLS]); mask [B, T] of 0/1. */
export function poolStates(tf: Tf, states: TF.Tensor3D, mask: TF.Tensor2D, pooling: 'mean' | 'cls'): TF.Tensor2D {
  if (pooling === 'cls') {
    const [B, , H] = states.shape;
    return tf.reshape(tf.slice(states, [0, 0, 0], [B, 1, H]), [B, H]);
  }
  const m = tf.expandDims(mask, 2);
  const sum = tf.sum(tf.mul(states, m), 1);
  const count = tf.maximum(tf.sum(m, 1), 1);
  return tf.div(sum, count) as TF.Tensor2D;
}
