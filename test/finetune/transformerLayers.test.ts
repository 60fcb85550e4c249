import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { TransformerClassifier } from '../../src/finetune/transformer/classifier.js';
import { prepareTransformer, type PreparedTransformer } from '../../src/finetune/transformer/transformerFinetuner.js';
import { tinyBertDir } from '../helpers/repoPaths.js';

const TEXTS = [
  'The battery lasts all day and the screen is bright.',
  'Terrible service, I will never come back.',
  'ok',
  'A much longer sentence about a film whose plot wandered, whose actors mumbled, and whose ending nobody in the room understood at all.',
  'Great food!',
  'It broke after two days.',
];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('frozen lower states', () => {
  it('streamed to a temporary file above the threshold read back exactly as kept in memory', async () => {
    const request = {
      modelSpec: `transformers:${tinyBertDir}`,
      layers: 1,
      maxLength: 32,
      cacheDir: path.join(os.tmpdir(), 'shiftlens-finetune-test'),
      progress: silentProgress,
    };
    const memory = await prepareTransformer(request, TEXTS, false);
    const disk = await prepareTransformer({ ...request, diskThresholdBytes: 1000 }, TEXTS, false);
    expect(memory.store.location).toBe('memory');
    expect(disk.store.location).toMatch(/states\.f32$/);
    TEXTS.forEach((_, d) => {
      expect(Array.from(disk.store.stateOf(d))).toEqual(Array.from(memory.store.stateOf(d)));
    });
  });
});

describe.each([1, 2])('top %i trainable layer(s) of the tiny BERT', (layers) => {
  let prepared: PreparedTransformer;
  beforeAll(async () => {
    prepared = await prepareTransformer(
      {
        modelSpec: `transformers:${tinyBertDir}`,
        layers,
        maxLength: 32,
        cacheDir: path.join(os.tmpdir(), 'shiftlens-finetune-test'),
        progress: silentProgress,
      },
      TEXTS,
      true,
    );
  });
  afterAll(() => {
    prepared?.tf.disposeVariables();
  });

  it('reproduces the ONNX model’s last hidden states before training (≤ 1e-4)', async () => {
    expect(prepared.firstLayer).toBe(2 - layers);
    const model = new TransformerClassifier(
      prepared.tf,
      prepared.store,
      prepared.build('repro'),
      'mean',
      2,
      createRng(1),
    );
    const docs = Int32Array.from(TEXTS.keys());
    const H = prepared.store.hidden;
    const { tf } = prepared;
    const out = tf.tidy(() => model.states(docs).states);
    const states = (await out.data()) as Float32Array;
    const T = out.shape[1] as number;
    out.dispose();
    let worst = 0;
    docs.forEach((d) => {
      const n = prepared.store.lengths[d];
      const ours = states.subarray(d * T * H, d * T * H + n * H);
      worst = Math.max(worst, maxAbsDiff(Float32Array.from(ours), prepared.store.finalStates?.[d] as Float32Array));
    });
    expect(worst).toBeLessThanOrEqual(1e-4);
    model.dispose();
  });

  it('hand-written backward pass matches central finite differences', async () => {
    const { tf } = prepared;
    const model = new TransformerClassifier(tf, prepared.store, prepared.build('grad'), 'mean', 2, createRng(3));
    const docs = Int32Array.from(TEXTS.keys());
    const labels = Int32Array.from([1, 0, 1, 0, 1, 0]);
    const H = prepared.store.hidden;
    model.setStandardizer(new Float64Array(H), new Float64Array(H).fill(1));
    const l2 = 1e-2;
    const { loss, grads } = model.lossAndGradients(docs, labels, l2);
    loss.dispose();
    const lossAt = async () => {
      const t = tf.tidy(() => model.loss(docs, labels, l2));
      const v = (await t.data())[0];
      t.dispose();
      return v;
    };
    const checked: string[] = [];
    for (const variable of model.variables) {
      const g = (await (
        grads.get(variable.name) as typeof grads extends Map<string, infer T> ? T : never
      ).data()) as Float32Array;
      // The entry with the largest analytic derivative: float32 differences are too noisy for tiny ones.
      let at = 0;
      for (let i = 1; i < g.length; i++) if (Math.abs(g[i]) > Math.abs(g[at])) at = i;
      if (Math.abs(g[at]) < 1e-4) continue;
      const eps = 1e-2;
      const original = (await variable.data()) as Float32Array;
      const nudged = (delta: number) => {
        const values = Float32Array.from(original);
        values[at] += delta;
        variable.assign(tf.tensor(values, variable.shape));
      };
      nudged(eps);
      const up = await lossAt();
      nudged(-eps);
      const down = await lossAt();
      variable.assign(tf.tensor(original, variable.shape));
      const numeric = (up - down) / (2 * eps);
      expect(Math.abs(numeric - g[at])).toBeLessThanOrEqual(0.05 * Math.abs(g[at]) + 1e-4);
      checked.push(variable.name);
    }
    // Every layer's projections and norms and the head were checked, not a lucky few.
    expect(checked.length).toBeGreaterThanOrEqual(14 * layers);
    tf.dispose([...grads.values()]);
    model.dispose();
  });

  it('one training step lowers the loss on its batch', async () => {
    const { tf } = prepared;
    const model = new TransformerClassifier(tf, prepared.store, prepared.build('step'), 'mean', 2, createRng(2));
    const docs = Int32Array.from(TEXTS.keys());
    const labels = Int32Array.from([1, 0, 1, 0, 1, 0]);
    const frozen = await model.collect(docs, (d) => model.pooled(d));
    const mean = new Float64Array(prepared.store.hidden);
    const scale = new Float64Array(prepared.store.hidden).fill(1);
    for (let j = 0; j < mean.length; j++) {
      let s = 0;
      for (let i = 0; i < docs.length; i++) s += frozen[i * mean.length + j];
      mean[j] = s / docs.length;
    }
    model.setStandardizer(mean, scale);
    const body = tf.train.adam(1e-3);
    const head = tf.train.adam(1e-2);
    const before = await model.step(docs, labels, 0, body, head);
    const after = tf.tidy(() => model.loss(docs, labels, 0));
    const afterValue = (await after.data())[0];
    after.dispose();
    expect(afterValue).toBeLessThan(before);
    // The layers moved too, not just the head.
    const moved = tf.tidy(() =>
      tf.max(tf.abs(tf.sub(model.layers[0].query.weight, prepared.build('ref')[0].query.weight))),
    );
    expect((await moved.data())[0]).toBeGreaterThan(0);
    body.dispose();
    head.dispose();
    model.dispose();
  });
});
