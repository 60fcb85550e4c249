/**
 * zod shape of the fine-tuning versus probe comparison (FinetuneComparison): result.json's `finetune` block and
 * the `finetune` field of finetune-vs-probe.json. src/result/schema.ts embeds it.
 */
import { z } from 'zod';

const finite = z.number();
const probability = z.number().min(0).max(1);
const interval = z.object({ estimate: finite, lower: finite, upper: finite, level: probability });
const count = z.number().int().min(0);
const setting = z.record(z.string(), z.union([finite, z.string()]));

const separability = z.object({ domainAuc: probability, mmd: finite.min(0), mmdPValue: z.number().gt(0).max(1) });

const method = z.object({
  method: z.enum(['linearProbe', 'mlpHead', 'fineTune']),
  description: z.string(),
  hyperparameters: setting,
  search: z.array(z.object({ configuration: setting, validationLoss: finite })),
  referenceAccuracy: interval,
  targetAccuracy: interval.nullable(),
  gap: interval.nullable(),
  versusProbe: z.object({ reference: interval, target: interval.nullable() }).nullable(),
  training: z.object({
    totalMs: finite,
    chosenMs: finite,
    configurationsTried: z.number().int().min(1),
    epochsRun: count.optional(),
    bestEpoch: count.optional(),
    steps: count.optional(),
    msPerStep: finite.optional(),
    msPerEpoch: finite.optional(),
    validationLoss: finite,
  }),
  representation: z.object({ features: z.string(), cka: finite, before: separability, after: separability }),
});

export const finetuneComparisonSchema = z.object({
  model: z.string(),
  split: z.object({ train: count, validation: count, test: count, seed: z.number().int() }),
  classes: z.array(z.string()).min(2),
  target: z.object({ nScored: count, nExcludedUnseenClass: count, nUnlabelled: count }),
  representationRows: z.object({ reference: count, target: count }),
  methods: z.array(method).min(2),
  summary: z.string(),
  lexiconLabels: z
    .object({
      lexicon: z.string(),
      nLabelled: count,
      nAbstained: count,
      agreementWithHuman: interval.nullable(),
      confusion: z
        .object({ lexicon: z.array(z.string()), human: z.array(z.string()), matrix: z.array(z.array(count)) })
        .nullable(),
    })
    .optional(),
  notes: z.array(z.string()),
});
