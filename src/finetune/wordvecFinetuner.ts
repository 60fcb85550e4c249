/**
 * Fine-tuning for the word-vector backend: the embedding-bag model of ./embeddingBag.ts, initialised from the
 * GloVe table, trained end to end (word vectors with sparse lazy Adam, the linear head with dense Adam),
 * early-stopped on reference validation loss; the word vectors' learning rate is chosen on validation loss.
 * Its features are the texts' pooled vectors under the tuned table: the same function as wordvec:sg100d with
 * new word vectors, so CKA against the frozen embeddings measures exactly how far the words moved.
 */
import { createMatrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { Pooling } from '../embed/embedder.js';
import { sifWeights, zipfProbabilities } from '../embed/wordvec/pooling.js';
import type { WordTable } from '../embed/wordvec/tableFormat.js';
import { fitStandardizer } from '../learn/standardize.js';
import { Adam, SparseRowAdam } from './adam.js';
import {
  bagLogits,
  bagLoss,
  buildBagCorpus,
  createBagGradient,
  initBagHead,
  poolBag,
  type BagHead,
} from './embeddingBag.js';
import { summaryOf } from './frozenHeads.js';
import { DEFAULT_ITERATIVE, type FittedMethod, type Finetuner, type IterativeOptions, type Side } from './method.js';
import { argmaxRows } from './softmaxLoss.js';
import { trainWithEarlyStopping, type TrainingHistory } from './trainLoop.js';

export interface WordvecFinetuneOptions extends IterativeOptions {
  /** Word-vector learning rates tried (chosen on validation loss). */
  embeddingLearningRates: number[];
  headLearningRate: number;
  l2: number;
}

export const DEFAULT_WORDVEC_FINETUNE: WordvecFinetuneOptions = {
  ...DEFAULT_ITERATIVE,
  embeddingLearningRates: [1e-3, 1e-2],
  headLearningRate: 1e-3,
  l2: 1e-4,
};

export function createWordvecFinetuner(
  table: WordTable,
  pooling: Pooling,
  referenceTexts: string[],
  targetTexts: string[],
  options: Partial<WordvecFinetuneOptions> = {},
): Finetuner {
  const opts = { ...DEFAULT_WORDVEC_FINETUNE, ...options };
  const weights = pooling === 'sif' ? sifWeights(zipfProbabilities(table.nWords)) : null;
  const corpus = buildBagCorpus([...referenceTexts, ...targetTexts], table, weights);
  const nRef = referenceTexts.length;
  const docOf = (side: Side, rows: ArrayLike<number>) =>
    Int32Array.from(rows as ArrayLike<number>, (r) => (side === 'reference' ? r : nRef + r));
  return {
    id: 'embedding-bag',
    async fit(data, rng: Rng, progress: Progress): Promise<FittedMethod> {
      const started = performance.now();
      const { split, nClasses } = data;
      const labels = new Int32Array(corpus.offsets.length - 1).fill(-1);
      labels.set(data.referenceLabels);
      const frozenTrain = poolBag(corpus, corpus.table, split.train);
      const standardizer = fitStandardizer(
        createMatrix(split.train.length, corpus.dim, frozenTrain),
        range(split.train.length),
      );
      const trainDocs = Int32Array.from(split.train);
      const search: FittedMethod['search'] = [];
      let best: { table: Float32Array; head: BagHead; history: TrainingHistory; lr: number } | null = null;
      const task = progress.start('fine-tuning word vectors', opts.embeddingLearningRates.length);
      for (const lr of opts.embeddingLearningRates) {
        const tuned = Float32Array.from(corpus.table);
        const head = initBagHead(standardizer.mean, standardizer.scale, nClasses, rng.fork('head'));
        const grad = createBagGradient(corpus, head);
        const headAdam = new Adam(head.params.length, { learningRate: opts.headLearningRate });
        const tableAdam = new SparseRowAdam(corpus.sourceRows.length, corpus.dim, { learningRate: lr });
        const history = await trainWithEarlyStopping(
          {
            step: (batch) => {
              const docs = Int32Array.from(batch, (b) => trainDocs[b]);
              const loss = bagLoss(corpus, tuned, head, labels, docs, opts.l2, grad);
              headAdam.step(head.params, grad.head);
              tableAdam.step(tuned, grad.table, grad.touched);
              return loss;
            },
            validationLoss: () => bagLoss(corpus, tuned, head, labels, split.validation, 0),
            snapshot: () => ({ table: Float32Array.from(tuned), head: Float64Array.from(head.params) }),
            restore: (s) => {
              tuned.set(s.table);
              head.params.set(s.head);
            },
          },
          split.train.length,
          opts,
          rng.fork(`epochs-${lr}`),
        );
        search.push({ configuration: { embeddingLearningRate: lr }, validationLoss: history.bestValidationLoss });
        if (!best || history.bestValidationLoss < best.history.bestValidationLoss)
          best = { table: tuned, head, history, lr };
        task.increment();
      }
      task.done();
      const chosen = best as { table: Float32Array; head: BagHead; history: TrainingHistory; lr: number };
      const features = (side: Side, rows: ArrayLike<number>) => poolBag(corpus, chosen.table, docOf(side, rows));
      let moved = 0;
      for (let i = 0; i < chosen.table.length; i++) moved += (chosen.table[i] - corpus.table[i]) ** 2;
      return {
        description:
          `embedding-bag classifier (${pooling} of word vectors → fixed standardisation → linear softmax) with the ` +
          `${corpus.sourceRows.length.toLocaleString('en-US')} word vectors the data uses initialised from GloVe and trained with it ` +
          `(sparse lazy Adam), head Adam lr ${opts.headLearningRate}, batch ${opts.batchSize}, early stopping on reference validation loss (patience ${opts.patience}); word-vector learning rate chosen on validation loss`,
        featuresName: `${pooling}-pooled tuned word vectors`,
        hyperparameters: {
          embeddingLearningRate: chosen.lr,
          headLearningRate: opts.headLearningRate,
          l2: opts.l2,
          batchSize: opts.batchSize,
          trainableWords: corpus.sourceRows.length,
          wordVectorChangeRms: Math.sqrt(moved / chosen.table.length),
        },
        search,
        training: {
          ...summaryOf(chosen.history),
          totalMs: performance.now() - started,
          configurationsTried: opts.embeddingLearningRates.length,
        },
        predict: async (side, rows) => argmaxRows(bagLogits(chosen.head, features(side, rows), rows.length), nClasses),
        features: async (side, rows) => createMatrix(rows.length, corpus.dim, features(side, rows)),
      };
    },
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
