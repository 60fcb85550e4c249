/** Shapes of the fine-tuning versus linear-probe comparison (issue 10): what result.json's `finetune` holds. */
import type { Interval } from '../probe/probeTypes.js';

export type FinetuneMethodId = 'linearProbe' | 'mlpHead' | 'fineTune';

export interface SeparabilityMeasure {
  /** Out-of-fold AUC of a logistic domain classifier, held-out reference rows vs target rows (0.5 = inseparable). */
  domainAuc: number;
  /** MMD (kernel mean embedding distance, median-heuristic Gaussian kernel) between the same rows. */
  mmd: number;
  mmdPValue: number;
}

export interface RepresentationChange {
  /** What the final linear layer sees: the frozen embedding, the MLP's hidden layer, or the tuned embedding. */
  features: string;
  /** Linear CKA between the frozen embeddings and these features, on held-out reference + target rows. */
  cka: number;
  before: SeparabilityMeasure;
  after: SeparabilityMeasure;
}

export interface TrainingSummary {
  /** Wall time of the whole method: hyper-parameter search and the final model. */
  totalMs: number;
  /** Wall time of training the chosen configuration. */
  chosenMs: number;
  configurationsTried: number;
  /** Iterative methods: epochs run, epoch kept by early stopping (0 = initial), optimiser steps. */
  epochsRun?: number;
  bestEpoch?: number;
  steps?: number;
  msPerStep?: number;
  msPerEpoch?: number;
  /** Validation loss (mean cross-entropy) of the chosen configuration. */
  validationLoss: number;
}

export interface FinetuneMethodResult {
  method: FinetuneMethodId;
  description: string;
  /** Chosen hyper-parameters (chosen on the reference validation split). */
  hyperparameters: Record<string, number | string>;
  /** Every configuration tried with its validation loss. */
  search: { configuration: Record<string, number | string>; validationLoss: number }[];
  referenceAccuracy: Interval;
  targetAccuracy: Interval | null;
  /** Reference test accuracy − target accuracy (independent bootstrap of both sides). */
  gap: Interval | null;
  /** This method minus the linear probe, paired bootstrap over the same rows (null for the probe itself). */
  versusProbe: { reference: Interval; target: Interval | null } | null;
  training: TrainingSummary;
  representation: RepresentationChange;
}

export interface FinetuneComparison {
  model: string;
  /** Reference rows per split; the target is only ever scored. */
  split: { train: number; validation: number; test: number; seed: number };
  classes: string[];
  target: { nScored: number; nExcludedUnseenClass: number; nUnlabelled: number };
  /** Rows used for the separability and CKA measures. */
  representationRows: { reference: number; target: number };
  methods: FinetuneMethodResult[];
  /** Plain-language summary ("fine-tuning gained X on the reference and lost Y on the target"). */
  summary: string;
  /** When reference labels came from a lexicon: how they agree with the human labels. */
  lexiconLabels?: LexiconLabelReport;
  notes: string[];
}

export interface LexiconLabelReport {
  lexicon: string;
  /** Reference rows the lexicon labelled (score ≠ 0) and those it abstained on (dropped). */
  nLabelled: number;
  nAbstained: number;
  /** Agreement with the human labels of the same rows (null when the reference has none). */
  agreementWithHuman: Interval | null;
  /** Human-label share of each lexicon class, rows = lexicon label. */
  confusion: { lexicon: string[]; human: string[]; matrix: number[][] } | null;
}
