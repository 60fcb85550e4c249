/**
 * Fine-tuning for the transformers backend: the top k encoder layers (default 1) and a linear head are trained,
 * initialised from the model's own ONNX weights; the frozen lower layers run once through onnxruntime (their
 * output exposed as an extra graph output) and their token states are kept. Training is TensorFlow.js on its
 * WebAssembly backend with Adam, early stopping on reference validation loss, learning rate chosen on it.
 * Supported: BERT-style encoders exported by Hugging Face Optimum (post-LayerNorm layers, right padding), mean
 * or cls pooling.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs-core';
import { InputError } from '../../core/errors.js';
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Progress } from '../../core/progress.js';
import type { Rng } from '../../core/random.js';
import type { Pooling } from '../../embed/embedder.js';
import { loadTransformer, type LoadedTransformer } from '../../embed/transformers/loadTransformer.js';
import { resolveModelSource } from '../../embed/transformers/modelSource.js';
import { fitStandardizer } from '../../learn/standardize.js';
import { countEncoderLayers, layerInputTensor, readBertLayer } from '../onnx/bertWeights.js';
import { readOnnxGraph } from '../onnx/onnxModel.js';
import { summaryOf } from '../frozenHeads.js';
import { DEFAULT_ITERATIVE, type FittedMethod, type Finetuner, type IterativeOptions, type Side } from '../method.js';
import { trainWithEarlyStopping, type TrainingHistory } from '../trainLoop.js';
import { createTfLayer, type TfBertLayer } from './bertLayer.js';
import { TransformerClassifier } from './classifier.js';
import { computeLowerStates, type TokenStateStore } from './lowerStates.js';
import { tfWasm } from './tfBackend.js';

type Tf = typeof TF;

export interface TransformerFinetuneOptions extends IterativeOptions {
  learningRates: number[];
  headLearningRate: number;
  l2: number;
}

export const DEFAULT_TRANSFORMER_FINETUNE: TransformerFinetuneOptions = {
  ...DEFAULT_ITERATIVE,
  learningRates: [3e-5, 1e-4],
  headLearningRate: 1e-3,
  l2: 1e-4,
};

export interface TransformerFinetunerRequest {
  modelSpec: string;
  pooling: Pooling;
  maxLength: number;
  layers: number;
  referenceTexts: string[];
  targetTexts: string[];
  cacheDir: string;
  iterative: Partial<IterativeOptions>;
  progress: Progress;
  options?: Partial<TransformerFinetuneOptions>;
}

/** The loaded model, its top layers' weights and the cached lower states of all texts. */
export interface PreparedTransformer {
  tf: Tf;
  loaded: LoadedTransformer;
  store: TokenStateStore;
  /** Index of the first trainable layer, and the layer count. */
  firstLayer: number;
  nLayers: number;
  heads: number;
  epsilon: number;
  build(name: string): TfBertLayer[];
}

export async function prepareTransformer(
  request: Pick<TransformerFinetunerRequest, 'modelSpec' | 'layers' | 'maxLength' | 'cacheDir' | 'progress'> & {
    /** Token states above this many bytes are streamed to a temporary file (default 1 GiB). */
    diskThresholdBytes?: number;
  },
  texts: string[],
  keepFinal: boolean,
): Promise<PreparedTransformer> {
  const name = request.modelSpec.replace(/^transformers:/, '');
  const source = resolveModelSource(name);
  const loaded = await loadTransformer(source, { modelCacheDir: request.cacheDir, progress: request.progress });
  await loaded.model.dispose();
  if (loaded.tokenizer.padding_side === 'left') {
    throw new InputError(`fine-tuning supports right-padded BERT-style encoders; ${name} pads on the left`);
  }
  const onnxFile =
    source.kind === 'local' ? source.onnxFile : path.join(request.cacheDir, 'models', source.id, 'onnx', 'model.onnx');
  if (!fs.existsSync(onnxFile)) throw new InputError(`cannot find the model's ONNX file at ${onnxFile}`);
  const bytes = new Uint8Array(fs.readFileSync(onnxFile));
  const graph = readOnnxGraph(bytes);
  const nLayers = countEncoderLayers(graph);
  if (nLayers === 0) {
    throw new InputError(
      `${name}: no encoder.layer.<i> weights in its ONNX graph; fine-tuning supports BERT-style encoders`,
    );
  }
  if (request.layers > nLayers) {
    throw new InputError(`--finetune-layers ${request.layers} exceeds the ${nLayers} encoder layers of ${name}`);
  }
  const config = JSON.parse(
    fs.readFileSync(path.join(path.dirname(path.dirname(onnxFile)), 'config.json'), 'utf8'),
  ) as Record<string, unknown>;
  const heads = Number(config.num_attention_heads);
  const epsilon = typeof config.layer_norm_eps === 'number' ? config.layer_norm_eps : 1e-12;
  if (!Number.isInteger(heads) || heads < 1 || loaded.hiddenSize % heads !== 0) {
    throw new InputError(
      `${name}: config.json num_attention_heads (${config.num_attention_heads}) does not divide hidden_size`,
    );
  }
  const firstLayer = nLayers - request.layers;
  const weights = Array.from({ length: request.layers }, (_, i) => readBertLayer(graph, firstLayer + i));
  const store = await computeLowerStates(loaded, bytes, layerInputTensor(graph, firstLayer), texts, request.maxLength, {
    keepFinal,
    progress: request.progress,
    threads: 2,
    diskThresholdBytes: request.diskThresholdBytes,
  });
  const tf = await tfWasm();
  return {
    tf,
    loaded,
    store,
    firstLayer,
    nLayers,
    heads,
    epsilon,
    build: (prefix) => weights.map((w, i) => createTfLayer(tf, w, heads, epsilon, `${prefix}.layer${firstLayer + i}`)),
  };
}

export async function createTransformerFinetuner(request: TransformerFinetunerRequest): Promise<Finetuner> {
  const opts = { ...DEFAULT_TRANSFORMER_FINETUNE, ...request.iterative, ...request.options };
  if (request.pooling !== 'mean' && request.pooling !== 'cls') {
    throw new InputError(`fine-tuning a transformer supports --pooling mean or cls, not ${request.pooling}`);
  }
  const pooling = request.pooling;
  const nRef = request.referenceTexts.length;
  const prepared = await prepareTransformer(request, [...request.referenceTexts, ...request.targetTexts], false);
  const { tf, store } = prepared;
  const docOf = (side: Side, rows: ArrayLike<number>) =>
    Int32Array.from(rows as ArrayLike<number>, (r) => (side === 'reference' ? r : nRef + r));
  const H = store.hidden;

  return {
    id: 'transformer-top-layers',
    async fit(data, rng: Rng, progress: Progress): Promise<FittedMethod> {
      const started = performance.now();
      const { split, nClasses } = data;
      const labels = new Int32Array(nRef + request.targetTexts.length).fill(-1);
      labels.set(data.referenceLabels);
      const search: FittedMethod['search'] = [];
      let best: { model: TransformerClassifier; history: TrainingHistory; lr: number } | null = null;
      let standardizer: { mean: Float64Array; scale: Float64Array } | null = null;
      const task = progress.start(`fine-tuning the top ${request.layers} layer(s)`, opts.learningRates.length);
      for (const lr of opts.learningRates) {
        const model = new TransformerClassifier(
          tf,
          store,
          prepared.build(`lr${lr}`),
          pooling,
          nClasses,
          rng.fork('head'),
        );
        if (!standardizer) {
          // The head's fixed standardisation: the frozen pooled vectors of the training rows.
          const frozen = await model.collect(split.train, (d) => model.pooled(d));
          standardizer = fitStandardizer(createMatrix(split.train.length, H, frozen), range(split.train.length));
        }
        model.setStandardizer(standardizer.mean, standardizer.scale);
        const bodyOptimizer = tf.train.adam(lr);
        const headOptimizer = tf.train.adam(opts.headLearningRate);
        const trainDocs = Int32Array.from(split.train);
        const variables = model.variables;
        const history = await trainWithEarlyStopping(
          {
            step: (batch) =>
              model.step(
                Int32Array.from(batch, (b) => trainDocs[b]),
                labels,
                opts.l2,
                bodyOptimizer,
                headOptimizer,
              ),
            validationLoss: async () => {
              const losses = await model.collect(split.validation, (d) =>
                tf.reshape(tf.mul(model.loss(d, labels, 0), d.length), [1]),
              );
              return losses.reduce((a, b) => a + b, 0) / split.validation.length;
            },
            snapshot: () => variables.map((v) => tf.clone(v)),
            restore: (saved) => variables.forEach((v, i) => v.assign(saved[i])),
            discard: (saved) => tf.dispose(saved),
          },
          split.train.length,
          opts,
          rng.fork(`epochs-${lr}`),
        );
        bodyOptimizer.dispose();
        headOptimizer.dispose();
        search.push({ configuration: { learningRate: lr }, validationLoss: history.bestValidationLoss });
        if (!best || history.bestValidationLoss < best.history.bestValidationLoss) {
          best?.model.dispose();
          best = { model, history, lr };
        } else model.dispose();
        task.increment();
      }
      task.done();
      const chosen = best as { model: TransformerClassifier; history: TrainingHistory; lr: number };
      const model = chosen.model;
      return {
        description:
          `top ${request.layers} of ${prepared.nLayers} encoder layers + linear head (on the ${pooling}-pooled, standardised states), ` +
          `initialised from the ONNX weights, lower layers frozen (computed once by onnxruntime); TensorFlow.js (WebAssembly), ` +
          `Adam (head lr ${opts.headLearningRate}), batch ${opts.batchSize}, early stopping on reference validation loss (patience ${opts.patience}); layer learning rate chosen on validation loss`,
        featuresName: `${pooling}-pooled states of the tuned top layer`,
        hyperparameters: {
          learningRate: chosen.lr,
          headLearningRate: opts.headLearningRate,
          l2: opts.l2,
          batchSize: opts.batchSize,
          trainableLayers: request.layers,
          encoderLayers: prepared.nLayers,
          lowerStatesMs: store.ms,
          lowerStatesBytes: store.bytes,
          lowerStatesKept: store.location === 'memory' ? 'memory' : 'temporary file',
        },
        search,
        training: {
          ...summaryOf(chosen.history),
          totalMs: performance.now() - started,
          configurationsTried: opts.learningRates.length,
        },
        predict: async (side, rows) =>
          Int32Array.from(
            await model.collect(docOf(side, rows), (d) => tf.cast(tf.argMax(model.logits(d), -1), 'float32')),
          ),
        features: async (side, rows): Promise<Matrix> =>
          createMatrix(rows.length, H, await model.collect(docOf(side, rows), (d) => model.pooled(d))),
      };
    },
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
