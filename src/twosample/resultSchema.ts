/**
 * The one definition of a two-sample test's result: this zod schema. TwoSampleTestResult (detector.ts) is its
 * inferred type, and result.json's validation (src/result/schema.ts) uses it for every entry of `tests`.
 */
import { z } from 'zod';

/** p-values are never 0: floored at P_VALUE_FLOOR (src/result/pValueFloor.ts) where the result is assembled. */
const pValue = z.number().gt(0).max(1);

export const twoSampleTestResultSchema = z.object({
  /** Stable id: a DetectorName of the registry (twosample/registry.ts), e.g. "mmd", "ks-pca", "c2st". */
  name: z.string(),
  /** Human label for tables, e.g. "MMD (Gaussian kernel, permutation)". */
  label: z.string(),
  statistic: z.number(),
  /** Calibrated p-value in (0, 1]; null for effect-size-only measures (never NaN). */
  pValue: pValue.nullable(),
  /** Filled by the suite: the Holm-adjusted p-value used for the family-wise decision. */
  pValueAdjusted: pValue.nullable(),
  effectSize: z.number(),
  /** What effectSize measures, e.g. "MMD² / mean within-sample kernel" or "AUC − 0.5". */
  effectSizeName: z.string(),
  /** Filled by the suite: p ≤ adjusted α (family-wise) AND effect ≥ min-effect. */
  shift: z.boolean(),
  /** How the p-value was computed, one sentence (e.g. "1000 permutations, (1+b)/(1+P)"). */
  method: z.string(),
  /** Optional confidence interval of the effect size or statistic. */
  interval: z
    .object({
      lower: z.number(),
      upper: z.number(),
      level: z.number().min(0).max(1),
      of: z.enum(['statistic', 'effectSize']),
    })
    .optional(),
  /** Test-specific numbers (bandwidth, permutations, k, per-component p-values...). Finite numbers only. */
  details: z.record(z.string(), z.unknown()),
  timingMs: z.number(),
  /**
   * Smallest effect (on this test's own effectSize scale) it detects with power 0.8 at the suite's α at these
   * sample sizes; null when it could not be computed, absent when the test does not report one.
   */
  minDetectableEffect: z.number().nullable().optional(),
});

export type TwoSampleTestResult = z.infer<typeof twoSampleTestResultSchema>;
