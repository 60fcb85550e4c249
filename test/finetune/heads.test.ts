import { describe, expect, it } from 'vitest';
import { createMatrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import type { WordTable } from '../../src/embed/wordvec/tableFormat.js';
import { createWordvecBackend } from '../../src/embed/wordvec/wordvecBackend.js';
import { Adam, SparseRowAdam } from '../../src/finetune/adam.js';
import { linearCka } from '../../src/finetune/cka.js';
import { bagLoss, buildBagCorpus, createBagGradient, initBagHead, poolBag } from '../../src/finetune/embeddingBag.js';
import { initMlp, mlpLayout, mlpLoss } from '../../src/finetune/mlpHead.js';
import { stratifiedSplit } from '../../src/finetune/splits.js';

/** Central differences of f at every coordinate of p (float64). */
function numericGradient(p: Float64Array | Float32Array, f: () => number, eps: number): Float64Array {
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    p[i] = v + eps;
    const up = f();
    p[i] = v - eps;
    const down = f();
    p[i] = v;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}

function gaussianMatrix(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, () => rng.normal());
}

describe('MLP head', () => {
  it('backpropagation matches central finite differences (float64)', () => {
    const layout = mlpLayout({ inputs: 5, hidden: 7, classes: 3 });
    const params = initMlp(layout, createRng(1));
    // Non-zero biases so every ReLU region is exercised away from its kink.
    for (let i = layout.b1; i < layout.w2; i++) params[i] = 0.1 * ((i % 3) - 1);
    const x = gaussianMatrix(9, 5, 2);
    const labels = Int32Array.from({ length: 9 }, (_, i) => i % 3);
    const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const grad = new Float64Array(layout.size);
    mlpLoss(layout, params, x, labels, rows, 0.05, grad);
    const numeric = numericGradient(params, () => mlpLoss(layout, params, x, labels, rows, 0.05), 1e-6);
    let worst = 0;
    for (let i = 0; i < grad.length; i++) worst = Math.max(worst, Math.abs(grad[i] - numeric[i]));
    expect(worst).toBeLessThan(1e-6);
    expect(Math.max(...grad.map(Math.abs))).toBeGreaterThan(1e-2);
  });

  it('an Adam step lowers the training loss', () => {
    const layout = mlpLayout({ inputs: 5, hidden: 8, classes: 2 });
    const params = initMlp(layout, createRng(3));
    const x = gaussianMatrix(40, 5, 4);
    const labels = Int32Array.from({ length: 40 }, (_, i) => (x[i * 5] + x[i * 5 + 1] > 0 ? 1 : 0));
    const rows = [...Array(40).keys()];
    const grad = new Float64Array(layout.size);
    const adam = new Adam(layout.size, { learningRate: 1e-2 });
    const before = mlpLoss(layout, params, x, labels, rows, 1e-3, grad);
    adam.step(params, grad);
    expect(mlpLoss(layout, params, x, labels, rows, 1e-3)).toBeLessThan(before);
  });
});

/** A small real-format word table: 6 words, 4 dimensions. */
function smallTable(): WordTable {
  const words = ['good', 'bad', 'movie', 'food', 'great', 'awful'];
  const rng = createRng(5);
  const vectors = Float32Array.from({ length: words.length * 4 }, () => rng.normal());
  return {
    dim: 4,
    nWords: words.length,
    words,
    index: new Map(words.map((w, i) => [w, i])),
    vectors,
    metadata: { source: 'test', sourceVersion: '0', sourceBytes: 0 },
  };
}

const TEXTS = ['good movie', 'bad food', 'great great food', 'awful movie, bad!', 'no known word here', 'good'];

describe('embedding-bag fine-tuning', () => {
  it('before training, its text vectors are exactly wordvec:sg100d’s pooled vectors', async () => {
    const table = smallTable();
    const corpus = buildBagCorpus(TEXTS, table, null);
    const backend = createWordvecBackend(table, { id: 'wordvec:test', pooling: 'mean', normalize: false });
    const frozen = await backend.embedBatch(TEXTS);
    expect(Array.from(poolBag(corpus, corpus.table, [...TEXTS.keys()]))).toEqual(Array.from(frozen.vectors.data));
    expect(corpus.sourceRows.length).toBe(6);
  });

  it('its gradient (table and head) matches central finite differences', () => {
    const table = smallTable();
    const corpus = buildBagCorpus(TEXTS, table, null);
    const mean = Float64Array.from([0.1, -0.2, 0, 0.3]);
    const scale = Float64Array.from([1.5, 0.7, 1, 2]);
    const head = initBagHead(mean, scale, 2, createRng(6));
    const labels = Int32Array.from([1, 0, 1, 0, 0, 1]);
    const docs = [0, 1, 2, 3, 4, 5];
    // Float64 copy of the table so the differences are exact enough.
    const tuned = Float32Array.from(corpus.table);
    const grad = createBagGradient(corpus, head);
    bagLoss(corpus, tuned, head, labels, docs, 0.1, grad);
    const numericHead = numericGradient(head.params, () => bagLoss(corpus, tuned, head, labels, docs, 0.1), 1e-6);
    for (let i = 0; i < head.params.length; i++) expect(grad.head[i]).toBeCloseTo(numericHead[i], 5);
    // float32 table: a larger step, a looser tolerance.
    const numericTable = numericGradient(tuned, () => bagLoss(corpus, tuned, head, labels, docs, 0.1), 1e-2);
    for (let i = 0; i < tuned.length; i++) expect(Math.abs(grad.table[i] - numericTable[i])).toBeLessThan(2e-3);
    expect(new Set(grad.touched)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('a sparse step lowers the loss and touches only the batch’s words', () => {
    const table = smallTable();
    const corpus = buildBagCorpus(TEXTS, table, null);
    const head = initBagHead(new Float64Array(4), new Float64Array(4).fill(1), 2, createRng(7));
    const labels = Int32Array.from([1, 0, 1, 0, 0, 1]);
    const tuned = Float32Array.from(corpus.table);
    const grad = createBagGradient(corpus, head);
    const docs = [0, 1];
    const before = bagLoss(corpus, tuned, head, labels, docs, 0, grad);
    new SparseRowAdam(corpus.sourceRows.length, 4, { learningRate: 1e-2 }).step(tuned, grad.table, grad.touched);
    new Adam(head.params.length, { learningRate: 1e-2 }).step(head.params, grad.head);
    expect(bagLoss(corpus, tuned, head, labels, docs, 0)).toBeLessThan(before);
    // "good movie" and "bad food" use local words 0–3; "great" and "awful" (4, 5) must not move.
    for (let j = 16; j < 24; j++) expect(tuned[j]).toBe(corpus.table[j]);
    expect(tuned.slice(0, 16)).not.toEqual(corpus.table.slice(0, 16));
  });
});

describe('linear CKA', () => {
  it('is 1 under rotation and isotropic scaling, and matches a hand computation', () => {
    const x = createMatrix(4, 2, Float32Array.from([1, 0, 0, 1, -1, 0, 0, -2]));
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    const rotated = createMatrix(
      4,
      2,
      Float32Array.from({ length: 8 }, (_, k) => {
        const i = Math.floor(k / 2);
        const [a, b] = [x.data[2 * i], x.data[2 * i + 1]];
        return 3 * (k % 2 === 0 ? c * a - s * b : s * a + c * b) + 5;
      }),
    );
    expect(linearCka(x, rotated)).toBeCloseTo(1, 6);
    // Y = first column only: centred X = [[1,0.25],[0,1.25],[-1,0.25],[0,-1.75]], Y = X[:,0] (mean 0).
    // XᵀX = [[2,0],[0,4.75]], YᵀY = 2, YᵀX = [2, 0] → CKA = 4 / (√(4 + 22.5625) · 2) = 0.38806…
    const y = createMatrix(4, 1, Float32Array.from([1, 0, -1, 0]));
    expect(linearCka(x, y)).toBeCloseTo(4 / (Math.sqrt(4 + 4.75 ** 2) * 2), 6);
  });
});

describe('stratified reference split', () => {
  it('keeps class shares, is disjoint and complete, and is fixed by the seed', () => {
    const labels = Int32Array.from({ length: 200 }, (_, i) => (i < 150 ? 0 : 1));
    const a = stratifiedSplit(labels, { validation: 0.15, test: 0.15 }, createRng(9));
    const b = stratifiedSplit(labels, { validation: 0.15, test: 0.15 }, createRng(9));
    expect(a).toEqual(b);
    const all = [...a.train, ...a.validation, ...a.test].sort((p, q) => p - q);
    expect(all).toEqual([...Array(200).keys()]);
    expect(a.test.filter((r) => labels[r] === 1).length).toBe(Math.round(0.15 * 50));
    expect(a.validation.filter((r) => labels[r] === 0).length).toBe(Math.round(0.15 * 150));
    const c = stratifiedSplit(labels, { validation: 0.15, test: 0.15 }, createRng(10));
    expect(c.test).not.toEqual(a.test);
  });
});
