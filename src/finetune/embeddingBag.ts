/**
 * Fine-tuning word vectors: an embedding-bag classifier whose word vectors are trained together with its
 * linear head. A text is the (optionally SIF-weighted) mean of its known words' vectors, exactly as
 * wordvec:sg100d pools it, so before training the model's text vectors equal the frozen embeddings. The head
 * sees them through a fixed standardisation fitted on the training rows' frozen vectors (as the probe does):
 *   p = (1/n) Σ_t w(t) E[t],  z = (p − μ) / σ,  logits = z W + b,
 *   loss = mean CE + (λ/2)‖W‖²
 * Only the table rows a batch touches receive gradient (sparse updates, lazy Adam).
 */
import type { Rng } from '../core/random.js';
import type { WordTable } from '../embed/wordvec/tableFormat.js';
import { lookupTokens } from '../embed/wordvec/tokenize.js';
import { softmaxCrossEntropy } from './softmaxLoss.js';

/** Texts as token lists into a local table holding only the words they use. */
export interface BagCorpus {
  /** Text i's tokens are ids[offsets[i] .. offsets[i+1]). */
  offsets: Int32Array;
  ids: Int32Array;
  /** Local table rows: words × dim, copied from the word-vector table (trainable copy). */
  table: Float32Array;
  /** Pooling weight per local word (1 for mean pooling, SIF weight otherwise). */
  weights: Float32Array;
  /** Global row in the source table of each local word. */
  sourceRows: Int32Array;
  dim: number;
}

export function buildBagCorpus(texts: string[], source: WordTable, sourceWeights: Float32Array | null): BagCorpus {
  const local = new Map<number, number>();
  const offsets = new Int32Array(texts.length + 1);
  const ids: number[] = [];
  texts.forEach((text, i) => {
    for (const row of lookupTokens(text, source.index).known) {
      let id = local.get(row);
      if (id === undefined) {
        id = local.size;
        local.set(row, id);
      }
      ids.push(id);
    }
    offsets[i + 1] = ids.length;
  });
  const dim = source.dim;
  const sourceRows = Int32Array.from(local.keys());
  const table = new Float32Array(sourceRows.length * dim);
  const weights = new Float32Array(sourceRows.length);
  sourceRows.forEach((row, id) => {
    table.set(source.vectors.subarray(row * dim, (row + 1) * dim), id * dim);
    weights[id] = sourceWeights ? sourceWeights[row] : 1;
  });
  return { offsets, ids: Int32Array.from(ids), table, weights, sourceRows, dim };
}

/** Pooled vectors (rows × dim, float64 accumulation as wordvec pooling) of the given texts under `table`. */
export function poolBag(corpus: BagCorpus, table: Float32Array, docs: ArrayLike<number>): Float32Array {
  const { dim, offsets, ids, weights } = corpus;
  const out = new Float32Array(docs.length * dim);
  const acc = new Float64Array(dim);
  for (let r = 0; r < docs.length; r++) {
    const from = offsets[docs[r]];
    const to = offsets[docs[r] + 1];
    if (to === from) continue;
    acc.fill(0);
    for (let t = from; t < to; t++) {
      const base = ids[t] * dim;
      const w = weights[ids[t]];
      for (let j = 0; j < dim; j++) acc[j] += w * table[base + j];
    }
    for (let j = 0; j < dim; j++) out[r * dim + j] = acc[j] / (to - from);
  }
  return out;
}

export interface BagHead {
  /** Fixed standardisation of the pooled vector. */
  mean: Float64Array;
  scale: Float64Array;
  /** [W (dim × K), b (K)]. */
  params: Float64Array;
  classes: number;
}

export function initBagHead(mean: Float64Array, scale: Float64Array, classes: number, rng: Rng): BagHead {
  const dim = mean.length;
  const params = new Float64Array(dim * classes + classes);
  const a = Math.sqrt(6 / (dim + classes));
  for (let i = 0; i < dim * classes; i++) params[i] = (2 * rng.next() - 1) * a;
  return { mean, scale, params, classes };
}

export function bagLogits(head: BagHead, pooled: Float32Array, n: number): Float64Array {
  const dim = head.mean.length;
  const k = head.classes;
  const logits = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < k; c++) logits[r * k + c] = head.params[dim * k + c];
    for (let j = 0; j < dim; j++) {
      const z = (pooled[r * dim + j] - head.mean[j]) / head.scale[j];
      for (let c = 0; c < k; c++) logits[r * k + c] += z * head.params[j * k + c];
    }
  }
  return logits;
}

export interface BagGradient {
  /** Same shape as the table; only rows listed in `touched` are non-zero (and must be cleared by the user). */
  table: Float32Array;
  touched: number[];
  head: Float64Array;
}

export function createBagGradient(corpus: BagCorpus, head: BagHead): BagGradient {
  return { table: new Float32Array(corpus.table.length), touched: [], head: new Float64Array(head.params.length) };
}

/** Zero the rows the previous batch touched. */
export function clearBagGradient(grad: BagGradient, dim: number): void {
  for (const row of grad.touched) grad.table.fill(0, row * dim, (row + 1) * dim);
  grad.touched.length = 0;
  grad.head.fill(0);
}

/** Mean loss on `docs` and, with `grad` (cleared first), its gradient with respect to the table and the head. */
export function bagLoss(
  corpus: BagCorpus,
  table: Float32Array,
  head: BagHead,
  labels: ArrayLike<number>,
  docs: ArrayLike<number>,
  l2: number,
  grad?: BagGradient,
): number {
  const { dim, offsets, ids, weights } = corpus;
  const k = head.classes;
  const n = docs.length;
  const pooled = poolBag(corpus, table, docs);
  const logits = bagLogits(head, pooled, n);
  const y = Int32Array.from({ length: n }, (_, r) => labels[docs[r]]);
  let loss = softmaxCrossEntropy(logits, y, k, grad !== undefined);
  let penalty = 0;
  for (let i = 0; i < dim * k; i++) penalty += head.params[i] ** 2;
  loss += (l2 / 2) * penalty;
  if (!grad) return loss;
  clearBagGradient(grad, dim);
  const seen = new Uint8Array(corpus.sourceRows.length);
  const dPooled = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    const dl = logits.subarray(r * k, (r + 1) * k);
    for (let c = 0; c < k; c++) grad.head[dim * k + c] += dl[c];
    for (let j = 0; j < dim; j++) {
      const z = (pooled[r * dim + j] - head.mean[j]) / head.scale[j];
      let s = 0;
      for (let c = 0; c < k; c++) {
        grad.head[j * k + c] += z * dl[c];
        s += head.params[j * k + c] * dl[c];
      }
      dPooled[j] = s / head.scale[j];
    }
    const from = offsets[docs[r]];
    const to = offsets[docs[r] + 1];
    for (let t = from; t < to; t++) {
      const id = ids[t];
      if (!seen[id]) {
        seen[id] = 1;
        grad.touched.push(id);
      }
      const f = weights[id] / (to - from);
      const base = id * dim;
      for (let j = 0; j < dim; j++) grad.table[base + j] += f * dPooled[j];
    }
  }
  for (let i = 0; i < dim * k; i++) grad.head[i] += l2 * head.params[i];
  return loss;
}
