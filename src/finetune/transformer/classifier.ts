/**
 * The trainable part of transformer fine-tuning: the top encoder layers, masked pooling, a fixed
 * standardisation (the frozen pooled vectors' training-row mean and spread, as the probe uses) and a linear
 * head, on the cached lower-layer states. One `step` is forward, the hand-written backward pass
 * (./bertLayer.ts layerBackward; the head and pooling below) and an Adam update of the layers and of the head,
 * each with its own learning rate.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/random.js';
import {
  createMatmul,
  layerBackward,
  layerForward,
  layerVariables,
  poolStates,
  type LayerCache,
  type TfBertLayer,
} from './bertLayer.js';
import type { TokenStateStore } from './lowerStates.js';

type Tf = typeof TF;

/** Padding positions get this added to their attention scores (softmax weight exp(−1e9) = 0). */
const MASK_NEGATIVE = -1e9;

/** Padded batch of cached lower states: x [B, T, H], mask [B, T], maskBias [B, 1, 1, T]. */
export function batchInputs(tf: Tf, store: TokenStateStore, docs: ArrayLike<number>) {
  const H = store.hidden;
  let T = 1;
  for (let i = 0; i < docs.length; i++) T = Math.max(T, store.lengths[docs[i]]);
  const B = docs.length;
  const x = new Float32Array(B * T * H);
  const mask = new Float32Array(B * T);
  const bias = new Float32Array(B * T).fill(MASK_NEGATIVE);
  for (let b = 0; b < B; b++) {
    const n = store.lengths[docs[b]];
    x.set(store.stateOf(docs[b]), b * T * H);
    mask.fill(1, b * T, b * T + n);
    bias.fill(0, b * T, b * T + n);
  }
  return {
    x: tf.tensor3d(x, [B, T, H]),
    mask: tf.tensor2d(mask, [B, T]),
    maskBias: tf.tensor4d(bias, [B, 1, 1, T]),
    T,
  };
}

export class TransformerClassifier {
  readonly head: TF.Variable[];
  private readonly matmul: (a: TF.Tensor, b: TF.Tensor) => TF.Tensor;
  private mean: TF.Tensor1D | null = null;
  private scale: TF.Tensor1D | null = null;

  constructor(
    private readonly tf: Tf,
    private readonly store: TokenStateStore,
    readonly layers: TfBertLayer[],
    private readonly pooling: 'mean' | 'cls',
    readonly nClasses: number,
    rng: Rng,
  ) {
    this.matmul = createMatmul(tf);
    const H = store.hidden;
    const a = Math.sqrt(6 / (H + nClasses));
    const w0 = Float32Array.from({ length: H * nClasses }, () => (2 * rng.next() - 1) * a);
    this.head = [tf.variable(tf.tensor2d(w0, [H, nClasses]), true), tf.variable(tf.zeros([nClasses]), true)];
  }

  get variables(): TF.Variable[] {
    return [...this.layers.flatMap(layerVariables), ...this.head];
  }

  /** Fix the head's input standardisation (mean and scale per dimension). */
  setStandardizer(mean: Float64Array, scale: Float64Array): void {
    this.mean?.dispose();
    this.scale?.dispose();
    this.mean = this.tf.tensor1d(Float32Array.from(mean));
    this.scale = this.tf.tensor1d(Float32Array.from(scale));
  }

  /** Token states after the trainable layers, [B, T, H] (with the batch's mask). */
  states(docs: ArrayLike<number>): { states: TF.Tensor3D; mask: TF.Tensor2D } {
    const { tf } = this;
    const inputs = batchInputs(tf, this.store, docs);
    let h = inputs.x;
    for (const layer of this.layers) h = layerForward(tf, this.matmul, layer, h, inputs.maskBias).y;
    return { states: h, mask: inputs.mask };
  }

  pooled(docs: ArrayLike<number>): TF.Tensor2D {
    const { states, mask } = this.states(docs);
    return poolStates(this.tf, states, mask, this.pooling);
  }

  logits(docs: ArrayLike<number>): TF.Tensor2D {
    const { tf } = this;
    if (!this.mean || !this.scale) throw new Error('setStandardizer must be called before logits');
    const z = tf.div(tf.sub(this.pooled(docs), this.mean), this.scale);
    return tf.add(this.matmul(z, this.head[0]), this.head[1]) as TF.Tensor2D;
  }

  /** Mean softmax cross-entropy of the docs against labels[doc], plus (l2/2)‖W_head‖². */
  loss(docs: ArrayLike<number>, labels: Int32Array, l2: number): TF.Scalar {
    const { tf } = this;
    const logits = this.logits(docs);
    const truth = tf.tensor1d(
      Int32Array.from(docs, (d) => labels[d]),
      'int32',
    );
    const logProbs = tf.sub(logits, tf.logSumExp(logits, -1, true));
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(truth, this.nClasses), logProbs), -1)));
    return (l2 > 0 ? tf.add(ce, tf.mul(tf.sum(tf.square(this.head[0])), l2 / 2)) : ce) as TF.Scalar;
  }

  /**
   * Loss and gradients (by variable name) on a batch, by the hand-written backward pass. The caller disposes
   * the returned tensors.
   */
  lossAndGradients(
    docs: ArrayLike<number>,
    labels: Int32Array,
    l2: number,
  ): { loss: TF.Scalar; grads: Map<string, TF.Tensor> } {
    const { tf } = this;
    if (!this.mean || !this.scale) throw new Error('setStandardizer must be called before training');
    const mean = this.mean;
    const scale = this.scale;
    const grads = new Map<string, TF.Tensor>();
    const loss = tf.tidy(() => {
      const inputs = batchInputs(tf, this.store, docs);
      const [B, T, H] = inputs.x.shape;
      const caches: LayerCache[] = [];
      let h = inputs.x;
      for (const layer of this.layers) {
        const out = layerForward(tf, this.matmul, layer, h, inputs.maskBias);
        caches.push(out.cache);
        h = out.y;
      }
      const pooled = poolStates(tf, h, inputs.mask, this.pooling);
      const z = tf.div(tf.sub(pooled, mean), scale) as TF.Tensor2D;
      const logits = tf.add(this.matmul(z, this.head[0]), this.head[1]) as TF.Tensor2D;
      const truth = tf.oneHot(
        tf.tensor1d(
          Int32Array.from(docs, (d) => labels[d]),
          'int32',
        ),
        this.nClasses,
      );
      const logSum = tf.logSumExp(logits, -1, true);
      const ce = tf.neg(tf.mean(tf.sum(tf.mul(truth, tf.sub(logits, logSum)), -1)));
      const value = (l2 > 0 ? tf.add(ce, tf.mul(tf.sum(tf.square(this.head[0])), l2 / 2)) : ce) as TF.Scalar;
      // Head: dlogits = (softmax − onehot) / B.
      const dLogits = tf.div(tf.sub(tf.exp(tf.sub(logits, logSum)), truth), B) as TF.Tensor2D;
      grads.set(this.head[0].name, tf.keep(tf.add(this.matmul(tf.transpose(z), dLogits), tf.mul(this.head[0], l2))));
      grads.set(this.head[1].name, tf.keep(tf.sum(dLogits, 0)));
      const dPooled = tf.div(this.matmul(dLogits, tf.transpose(this.head[0])), scale) as TF.Tensor2D;
      // Pooling: mean spreads dPooled over the real tokens; cls sends it to the first token.
      let dStates: TF.Tensor;
      if (this.pooling === 'mean') {
        const m = tf.expandDims(inputs.mask, 2);
        dStates = tf.mul(tf.expandDims(dPooled, 1), tf.div(m, tf.maximum(tf.sum(m, 1, true), 1)));
      } else {
        const first = tf.expandDims(dPooled, 1);
        dStates = T > 1 ? tf.concat([first, tf.zeros([B, T - 1, H])], 1) : first;
      }
      let dy = tf.reshape(dStates, [B * T, H]) as TF.Tensor2D;
      for (let i = this.layers.length - 1; i >= 0; i--) {
        const back = layerBackward(tf, this.matmul, this.layers[i], caches[i], dy);
        for (const [name, g] of back.grads) grads.set(name, tf.keep(g));
        dy = back.dx;
      }
      return value;
    });
    return { loss, grads };
  }

  /** One optimisation step; returns the batch loss before the update. */
  async step(
    docs: ArrayLike<number>,
    labels: Int32Array,
    l2: number,
    bodyOptimizer: TF.Optimizer,
    headOptimizer: TF.Optimizer,
  ): Promise<number> {
    const { tf } = this;
    const body = this.layers.flatMap(layerVariables);
    const { loss, grads } = this.lossAndGradients(docs, labels, l2);
    bodyOptimizer.applyGradients(body.map((v) => ({ name: v.name, tensor: grads.get(v.name) as TF.Tensor })));
    headOptimizer.applyGradients(this.head.map((v) => ({ name: v.name, tensor: grads.get(v.name) as TF.Tensor })));
    const value = (await loss.data())[0];
    tf.dispose([loss, ...grads.values()]);
    return value;
  }

  /** Evaluate `f` on chunks of docs and concatenate the float results. */
  async collect(docs: ArrayLike<number>, f: (chunk: Int32Array) => TF.Tensor, chunk = 64): Promise<Float32Array> {
    const all = Int32Array.from(docs);
    const parts: Float32Array[] = [];
    for (let s = 0; s < all.length; s += chunk) {
      const t = this.tf.tidy(() => f(all.subarray(s, s + chunk)));
      parts.push(Float32Array.from((await t.data()) as ArrayLike<number>));
      t.dispose();
    }
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  dispose(): void {
    this.tf.dispose([...this.variables, ...(this.mean ? [this.mean] : []), ...(this.scale ? [this.scale] : [])]);
  }
}
