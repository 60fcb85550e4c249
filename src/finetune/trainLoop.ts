/**
 * Minibatch training with early stopping on the reference validation split: after each epoch the validation
 * loss is measured; the best epoch's parameters are kept (snapshot/restore) and training stops after `patience`
 * epochs without improvement or at `maxEpochs`. Batches are a seeded permutation of the training rows per epoch.
 */
import type { Rng } from '../core/random.js';

export interface EarlyStoppingOptions {
  batchSize: number;
  maxEpochs: number;
  patience: number;
}

export interface TrainingHistory {
  epochsRun: number;
  /** 1-based epoch whose parameters were kept (0: the initial parameters were never beaten). */
  bestEpoch: number;
  bestValidationLoss: number;
  trainLoss: number[];
  validationLoss: number[];
  steps: number;
  trainingMs: number;
  /** Mean wall time of one optimisation step (forward + backward + update). */
  msPerStep: number;
  /** Mean wall time of one epoch, validation included. */
  msPerEpoch: number;
}

export interface Trainable<Snapshot> {
  /** One optimisation step on these training-row positions; returns the batch's mean loss. */
  step(batch: Uint32Array): number | Promise<number>;
  /** Mean loss on the validation split. */
  validationLoss(): number | Promise<number>;
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
  /** Release a snapshot no longer needed (tensors); optional. */
  discard?(snapshot: Snapshot): void;
}

export async function trainWithEarlyStopping<S>(
  model: Trainable<S>,
  nTrain: number,
  options: EarlyStoppingOptions,
  rng: Rng,
  onEpoch?: () => void,
): Promise<TrainingHistory> {
  const started = performance.now();
  let bestLoss = await model.validationLoss();
  let best = model.snapshot();
  let bestEpoch = 0;
  let sinceBest = 0;
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let steps = 0;
  let stepMs = 0;
  let epoch = 0;
  while (epoch < options.maxEpochs && sinceBest < options.patience) {
    epoch++;
    const order = rng.permutation(nTrain);
    let sum = 0;
    let nBatches = 0;
    for (let start = 0; start < nTrain; start += options.batchSize) {
      const batch = order.subarray(start, Math.min(nTrain, start + options.batchSize));
      const t0 = performance.now();
      sum += await model.step(batch);
      stepMs += performance.now() - t0;
      steps++;
      nBatches++;
    }
    trainLoss.push(sum / Math.max(1, nBatches));
    const loss = await model.validationLoss();
    validationLoss.push(loss);
    if (loss < bestLoss - 1e-9) {
      bestLoss = loss;
      model.discard?.(best);
      best = model.snapshot();
      bestEpoch = epoch;
      sinceBest = 0;
    } else sinceBest++;
    onEpoch?.();
    // Let progress output and signals through between epochs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  model.restore(best);
  model.discard?.(best);
  const trainingMs = performance.now() - started;
  return {
    epochsRun: epoch,
    bestEpoch,
    bestValidationLoss: bestLoss,
    trainLoss,
    validationLoss,
    steps,
    trainingMs,
    msPerStep: steps > 0 ? stepMs / steps : 0,
    msPerEpoch: epoch > 0 ? trainingMs / epoch : 0,
  };
}
