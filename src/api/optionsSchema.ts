/**
 * The library's options as zod schemas, built on the compare options the CLI uses (src/pipeline/compareOptions.ts):
 * every default comes from defaultCompareOptions(), every bound from the constants the CLI's flag parsers check,
 * so the two front ends cannot drift. Groups of options are shared by compare, buildReference and check.
 */
import { z } from 'zod';
import type { Progress } from '../core/progress.js';
import type { RetryEvent } from '../embed/openai/endpointOptions.js';
import {
  ALPHA_RANGE,
  TEST_NAMES,
  defaultCompareOptions,
  MAX_EXACT_BUDGET_SECONDS,
  MAX_PERMUTATIONS,
  MAX_SEED,
  MIN_EFFECT_TEST_NAMES,
  MIN_PERMUTATIONS,
  type TestName,
} from '../pipeline/compareOptions.js';
import type { VerdictThresholds } from '../verdict/thresholds.js';

const DEFAULTS = defaultCompareOptions({ source: 'reference' }, { source: 'target' });

const POOLINGS = ['mean', 'cls', 'last', 'sif', 'max'] as const;
const unit = z.number().min(0).max(1);
const positiveInt = z.int().min(1);

/** How texts are embedded (ignored for vectors; `model` is refused with vectors). */
export const modelShape = {
  /** Model spec, as --model takes it; default the offline word-vector model (DEFAULT_MODEL). */
  model: z.string().trim().min(1).optional(),
  pooling: z.enum(POOLINGS).optional(),
  maxLength: positiveInt.optional(),
  batchSize: positiveInt.optional(),
  normalize: z.boolean().default(DEFAULTS.normalize),
  /** null: no embedding cache; undefined: the default folder ($SHIFTLENS_CACHE_DIR or ~/.cache/shiftlens). */
  cacheDir: z.string().trim().min(1).nullable().optional(),
  endpoint: z
    .strictObject({
      url: z.string().min(1).optional(),
      keyEnv: z.string().min(1).optional(),
      dimensions: positiveInt.optional(),
      concurrency: positiveInt.optional(),
      timeoutMs: z.number().positive().optional(),
      maxRetries: z.int().min(0).optional(),
      retryBaseMs: z.number().min(0).optional(),
      maxRetryWaitMs: z.number().min(0).optional(),
      maxInputsPerRequest: positiveInt.optional(),
      maxTokensPerRequest: positiveInt.optional(),
      onRetry: z
        .custom<(event: RetryEvent) => void>((v) => typeof v === 'function', { error: 'must be a function' })
        .optional(),
    })
    .optional(),
  embedWorkers: z.union([positiveInt, z.literal('auto')], { error: 'must be an integer ≥ 1 or "auto"' }).optional(),
};

/** The embedding and sampling fields of the pipeline's options from parsed modelShape + samplingShape options. */
export function embeddingAndSamplingOptions(
  o: z.output<z.ZodObject<typeof modelShape>> & z.output<z.ZodObject<typeof samplingShape>>,
  defaultModel: string,
) {
  return {
    model: o.model ?? defaultModel,
    pooling: o.pooling,
    maxLength: o.maxLength,
    batchSize: o.batchSize,
    normalize: o.normalize,
    cacheDir: o.cacheDir,
    endpoint: o.endpoint,
    embedWorkers: o.embedWorkers,
    maxRows: o.maxRows,
    seed: o.seed,
  };
}

/** Rows kept per side (a seeded sample, whole groups with a group column, as --max-rows) and the seed of every random choice. */
export const samplingShape = {
  maxRows: z.int().min(2).optional(),
  seed: z.int().min(0).max(MAX_SEED).default(DEFAULTS.seed),
};

/** The tests, the family-wise decision, the views and the verdict's thresholds. */
export const analysisShape = {
  alpha: z.number().min(ALPHA_RANGE.min).max(ALPHA_RANGE.max).default(DEFAULTS.alpha),
  correction: z.enum(['holm', 'bonferroni']).default(DEFAULTS.correction),
  minEffect: z
    .union(
      [z.number().min(0), z.partialRecord(z.enum(MIN_EFFECT_TEST_NAMES as [string, ...string[]]), z.number().min(0))],
      {
        error: `must be a number ≥ 0 (every test) or an object of numbers ≥ 0 by test (${MIN_EFFECT_TEST_NAMES.join(', ')})`,
      },
    )
    .nullable()
    .default(DEFAULTS.minEffect),
  permutations: z.int().min(MIN_PERMUTATIONS).max(MAX_PERMUTATIONS).default(DEFAULTS.permutations),
  /** Seconds the exact MMD may be estimated to take before the suite uses the linear-time MMD (--exact-budget). */
  exactBudgetSeconds: z
    .number()
    .min(0)
    .max(MAX_EXACT_BUDGET_SECONDS)
    .default(DEFAULTS.exactBudgetSeconds as number),
  tests: z
    .array(z.enum(TEST_NAMES as [TestName, ...TestName[]]))
    .min(1)
    .default(() => [...DEFAULTS.tests]),
  components: positiveInt.default(DEFAULTS.components),
  bandwidthRule: z.enum(['scott', 'silverman']).default(DEFAULTS.bandwidthRule),
  topSamples: z.int().min(0).default(DEFAULTS.topSamples),
  labelMap: z.record(z.string(), z.string()).nullable().default(DEFAULTS.labelMap),
  verdictThresholds: z
    .strictObject({
      maxTransferGap: unit,
      maxSeparabilityGap: unit,
      minSeparableAccuracy: unit,
      minErrorReduction: unit,
      minTargetLabels: positiveInt,
      labelEfficiencyTolerance: unit,
    } satisfies Record<keyof VerdictThresholds, z.ZodType>)
    .partial()
    .default(() => ({ ...DEFAULTS.verdictThresholds })),
  finetune: z.boolean().default(false),
};

/** Where the outputs go (nothing is written without outDir) and how progress is shown. */
export const outputShape = {
  /** Writes result.json, report.html, summary.md, target-scores.csv there, as the CLI's --out. */
  outDir: z.string().trim().min(1).optional(),
  imageFormat: z.enum(['svg', 'png']).optional(),
  /** true: progress bars on stderr; a Progress: yours; default: silent. */
  progress: z
    .union(
      [
        z.boolean(),
        z.custom<Progress>(
          (v) =>
            typeof v === 'object' &&
            v !== null &&
            typeof (v as Progress).start === 'function' &&
            typeof (v as Progress).note === 'function',
        ),
      ],
      { error: 'must be true, false or a Progress ({ start, note })' },
    )
    .default(false),
};
