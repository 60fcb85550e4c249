/**
 * Runtime validation of result.json before anything is written: the structure (zod) and a deep check that
 * no NaN or Infinity hides anywhere (JSON would turn them into null silently).
 */
import { z } from 'zod';
import { finetuneComparisonSchema } from '../finetune/finetuneSchema.js';
import type { ShiftlensResult } from './resultTypes.js';
import { VERDICT_KINDS } from '../probe/probeTypes.js';
import { twoSampleTestResultSchema } from '../twosample/resultSchema.js';

const finite = z.number();
const probability = z.number().min(0).max(1);
/** p-values are never 0: floored at P_VALUE_FLOOR (src/result/pValueFloor.ts) where the result is assembled. */
const pValue = z.number().gt(0).max(1);
const interval = z.object({ estimate: finite, lower: finite, upper: finite, level: probability });

const datasetSummary = z.object({
  source: z.string(),
  n: z.number().int().min(2),
  nRead: z.number().int().min(0),
  nEmpty: z.number().int().min(0),
  nDuplicate: z.number().int().min(0),
  nSampledOut: z.number().int().min(0),
  nTruncated: z.number().int().min(0),
  skipped: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  meanWords: finite.nullable(),
  labels: z.record(z.string(), z.number().int()).nullable(),
  oovRate: probability.nullable(),
});

const testResult = twoSampleTestResultSchema;

const effectWord = z.enum(['negligible', 'small', 'medium', 'large']);
const gapDecision = z.object({
  status: z.enum(['within', 'beyond', 'undetermined']),
  tolerance: finite,
  targetRowsToSettle: z.number().int().positive().nullable(),
  needsMoreReferenceRows: z.boolean(),
});

const labelShift = z.object({
  classes: z.array(z.string()),
  referenceCounts: z.record(z.string(), z.number().int()),
  targetCounts: z.record(z.string(), z.number().int()),
  nReference: z.number().int().min(1),
  nTarget: z.number().int().min(1),
  unseen: z.object({
    classes: z.array(z.object({ label: z.string(), count: z.number().int().min(1) })),
    nRows: z.number().int().min(0),
    share: probability,
  }),
  missingInTarget: z.array(z.string()),
  test: z
    .object({
      method: z.enum(['chi-square', 'monte-carlo']),
      statistic: finite,
      df: z.number().int().min(1),
      pValue,
      replicates: z.number().int().nullable(),
      minExpected: finite,
    })
    .nullable(),
  effectSize: probability,
  totalVariation: probability,
});

const probeResult = z
  .object({
    classes: z.array(z.string()),
    labelMap: z.record(z.string(), z.string()).nullable(),
    reference: z
      .object({
        n: z.number().int(),
        folds: z.number().int(),
        accuracy: interval,
        macroF1: interval,
        regularization: finite,
        converged: z.boolean(),
      })
      .passthrough(),
    transfer: z
      .object({
        n: z.number().int(),
        nExcludedUnseenClass: z.number().int(),
        unseenClasses: z.array(z.string()),
        accuracy: interval,
        macroF1: interval,
        gap: interval,
        confusion: z.object({ classes: z.array(z.string()), matrix: z.array(z.array(z.number())) }),
      })
      .passthrough()
      .nullable(),
    targetOnly: z
      .object({
        n: z.number().int(),
        folds: z.number().int(),
        accuracy: interval,
        macroF1: interval,
        majorityBaseline: finite,
        labelEfficiency: z.array(
          z.object({ nLabels: z.number().int(), accuracy: finite, lower: finite, upper: finite }),
        ),
      })
      .passthrough()
      .nullable(),
  })
  .passthrough();

const termShift = z.object({
  term: z.string(),
  kind: z.enum(['word', 'bigram']),
  countReference: z.number().int().min(0),
  countTarget: z.number().int().min(0),
  ratePer10kReference: finite,
  ratePer10kTarget: finite,
  logOddsRatio: finite,
  z: finite,
});

const wordShift = z.object({
  method: z.string(),
  priorStrength: finite,
  minCount: z.number().int(),
  nTextsReference: z.number().int().min(0),
  nTextsTarget: z.number().int().min(0),
  subsampled: z.boolean(),
  nWordsReference: z.number().int().min(0),
  nWordsTarget: z.number().int().min(0),
  nTermsRanked: z.number().int().min(0),
  overRepresented: z.array(termShift),
  underRepresented: z.array(termShift),
  mostShifted: z.object({ nSamples: z.number().int().min(0), terms: z.array(termShift) }).nullable(),
});

export const resultSchema = z.object({
  schemaVersion: z.string(),
  tool: z.object({ name: z.literal('shiftlens'), version: z.string() }),
  createdAt: z.string(),
  seed: z.number().int(),
  reference: datasetSummary,
  target: datasetSummary,
  model: z.object({
    id: z.string(),
    backend: z.string(),
    dim: z.number().int().positive(),
    pooling: z.string(),
    normalize: z.boolean(),
    maxTokens: z.number().int().nullable(),
    description: z.string(),
  }),
  pca: z.object({
    fittedOn: z.literal('pooled'),
    nComponents: z.number().int(),
    explainedVarianceRatio: z.array(probability),
    components: z.array(
      z.object({
        index: z.number().int(),
        explainedVarianceRatio: probability,
        overlap: probability,
        jsDivergence: probability,
        bandwidth: z.object({ rule: z.enum(['scott', 'silverman']), reference: finite, target: finite }),
        meanReference: finite,
        meanTarget: finite,
      }),
    ),
  }),
  centroid: z.object({ cosineDistance: finite, euclideanDistance: finite }),
  length: z.object({ meanWordsReference: finite, meanWordsTarget: finite, ksStatistic: finite, pValue }).nullable(),
  tests: z.array(testResult),
  suite: z.object({
    alpha: probability,
    correction: z.enum(['holm', 'bonferroni']),
    minEffect: z.union([finite, z.record(z.string(), finite)]).nullable(),
    shiftDetected: z.boolean(),
    statisticallySignificant: z.boolean(),
    practicallySignificant: z.boolean(),
    jointTests: z.array(z.string()).optional(),
    combinedPValue: probability.nullable().optional(),
    method: z.string().optional(),
    groups: z
      .object({ reference: z.number().int().min(1), target: z.number().int().min(1) })
      .nullable()
      .optional(),
  }),
  samples: z.object({
    top: z.array(
      z.object({
        index: z.number().int(),
        origin: z.string(),
        id: z.string().nullable(),
        label: z.string().nullable(),
        text: z.string().nullable(),
        classifierProbability: probability.nullable(),
        knnDistance: finite.nullable(),
        knnPValue: pValue.nullable(),
        mmdWitness: finite.nullable(),
        combinedScore: finite,
      }),
    ),
    allScoresFile: z.string().nullable(),
  }),
  wordShift: wordShift.nullable(),
  probe: probeResult.nullable(),
  labelShift: labelShift.nullable().optional(),
  /** compare --finetune: linear probe vs MLP head vs fine-tuning (src/finetune). */
  finetune: finetuneComparisonSchema.nullable().optional(),
  /** shiftlens check: the reference bundle (src/bundle/). */
  bundle: z
    .object({
      file: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      formatVersion: z.number().int().positive(),
      createdAt: z.string(),
      toolVersion: z.string(),
      referenceRows: z.number().int().nonnegative(),
      referenceRowsEmbedded: z.number().int().nonnegative(),
    })
    .optional(),
  verdict: z
    .object({
      kind: z.enum(VERDICT_KINDS),
      headline: z.string(),
      reasons: z.array(z.string()),
      recommendation: z.string(),
      thresholds: z.record(z.string(), finite),
      shiftDetected: z.boolean(),
      labelShiftDetected: z.boolean().optional(),
      effects: z.array(z.object({ name: z.string(), effectSize: finite, word: effectWord })).optional(),
      sensitivity: z
        .object({
          alpha: probability,
          power: probability,
          word: effectWord.nullable(),
          basis: z.string().nullable(),
          perTest: z.array(z.object({ name: z.string(), minDetectableEffect: finite, word: effectWord.nullable() })),
          rankBound: z
            .object({
              minDetectableAucMinusHalf: finite,
              word: effectWord,
              nReference: z.number().int(),
              nTarget: z.number().int(),
              unit: z.enum(['samples', 'groups']),
            })
            .nullable(),
        })
        .optional(),
      transferDecision: gapDecision.nullable().optional(),
      separabilityDecision: gapDecision
        .extend({ beatsBaseline: z.enum(['yes', 'no', 'unclear']) })
        .nullable()
        .optional(),
    })
    .passthrough(),
  timings: z.record(z.string(), finite),
  warnings: z.array(z.string()),
});

/** Path of the first NaN/Infinity found in a value, or null. */
export function findNonFinite(value: unknown, path = '$'): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNonFinite(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (ArrayBuffer.isView(value)) return `${path} (typed array: convert to a plain array before serialising)`;
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const hit = findNonFinite(inner, `${path}.${key}`);
      if (hit) return hit;
    }
  }
  return null;
}

/** Throws (an internal error, not user input) when the result would not be a valid result.json. */
export function validateResult(result: ShiftlensResult): void {
  const bad = findNonFinite(result);
  if (bad) throw new Error(`internal error: non-finite number at ${bad} in result.json`);
  const parsed = resultSchema.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`internal error: result.json invalid at ${issue.path.join('.')}: ${issue.message}`);
  }
}
