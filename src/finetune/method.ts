/**
 * What every compared method returns once fitted on the reference split: predictions and the features its final
 * linear layer sees, for reference or target rows, plus how it was chosen and trained.
 */
import type { Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { TrainingSummary } from './finetuneTypes.js';
import type { ReferenceSplit } from './splits.js';

export type Side = 'reference' | 'target';

export interface FittedMethod {
  description: string;
  /** What `features` returns, e.g. "frozen embedding", "MLP hidden layer (128 ReLU units)". */
  featuresName: string;
  hyperparameters: Record<string, number | string>;
  search: { configuration: Record<string, number | string>; validationLoss: number }[];
  training: TrainingSummary;
  predict(side: Side, rows: ArrayLike<number>): Promise<Int32Array>;
  features(side: Side, rows: ArrayLike<number>): Promise<Matrix>;
}

export interface TrainingData {
  /** Class index per reference row (−1 = no usable label: never trained on or scored). */
  referenceLabels: Int32Array;
  nClasses: number;
  split: ReferenceSplit;
}

/** A backend's fine-tuning of the representation itself (word vectors, or a transformer's top layers). */
export interface Finetuner {
  readonly id: string;
  fit(data: TrainingData, rng: Rng, progress: Progress): Promise<FittedMethod>;
}

/** Early-stopping defaults shared by the iterative methods. */
export interface IterativeOptions {
  batchSize: number;
  maxEpochs: number;
  patience: number;
}

export const DEFAULT_ITERATIVE: IterativeOptions = { batchSize: 32, maxEpochs: 100, patience: 5 };
