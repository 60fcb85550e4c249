/**
 * `compare --finetune`: the fine-tuning versus probe comparison on the compare run's own data and embeddings,
 * with the backend's default settings. Returns null (with a warning) when the reference has fewer than two
 * label classes.
 */
import type { EmbeddedPair } from '../pipeline/prepareEmbeddings.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { Dataset } from '../ingest/dataset.js';
import { createFinetuner } from './createFinetuner.js';
import type { FinetuneComparison } from './finetuneTypes.js';
import { runFinetuneVsProbe } from './runFinetuneVsProbe.js';

export async function compareFinetune(args: {
  reference: Dataset;
  target: Dataset;
  embedded: EmbeddedPair;
  labelMap: Record<string, string> | null;
  cacheDir: string | null | undefined;
  seed: number;
  rng: Rng;
  progress: Progress;
  warnings: string[];
}): Promise<FinetuneComparison | null> {
  const { reference, target, embedded } = args;
  if (embedded.info.normalize) {
    args.warnings.push(
      '--finetune does not combine with --normalize (the compared models see unnormalised embeddings): no comparison was run.',
    );
    return null;
  }
  const classes = new Set((reference.labels ?? []).filter((l) => l !== ''));
  if (!reference.labels || classes.size < 2) {
    args.warnings.push(
      '--finetune needs reference labels with at least two classes (--label-column): no comparison was run.',
    );
    return null;
  }
  const finetuner = await createFinetuner({
    info: embedded.info,
    referenceTexts: reference.texts,
    targetTexts: target.texts,
    cacheDir: args.cacheDir,
    iterative: {},
    layers: 1,
    progress: args.progress,
  });
  return runFinetuneVsProbe({
    model: embedded.info.id,
    seed: args.seed,
    reference: embedded.referenceVectors,
    referenceLabels: reference.labels,
    target: embedded.targetVectors,
    targetLabels: target.labels,
    labelMap: args.labelMap,
    finetuner,
    rng: args.rng,
    progress: args.progress,
  });
}
