/**
 * monitor-result.json: the shape (zod, the one definition; the TypeScript types are inferred from it) and the
 * check that runs before anything is written (structure, plus no NaN/Infinity anywhere).
 */
import { z } from 'zod';
import { findNonFinite } from '../result/schema.js';
import { ALARM_METHOD } from './alarmRule.js';

export const MONITOR_SCHEMA_VERSION = 1;

const pValue = z.number().gt(0).max(1);
const probability = z.number().min(0).max(1);

export const WINDOW_STATUSES = ['tested', 'too-small', 'already-in-history'] as const;
/**
 * alarm: the suite rejects at α/N (and the effect reaches --min-effect); below-min-effect: it rejects at α/N but the
 * effect is below --min-effect; watch: the combined p-value is ≤ α but not ≤ α/N (no guarantee: a hint to look,
 * never an alarm); no-shift: neither; null for windows that were not tested.
 */
export const WINDOW_VERDICTS = ['alarm', 'below-min-effect', 'watch', 'no-shift'] as const;

export const windowTestSchema = z.object({
  name: z.string(),
  label: z.string(),
  statistic: z.number(),
  /** The test's own p-value. */
  pValue: pValue.nullable(),
  /** Adjusted over the suite's tests (Holm / Westfall–Young), as in compare. */
  pValueSuite: pValue.nullable(),
  /** The suite-adjusted p-value times the horizon N, capped at 1: compare it with α. */
  pValueAdjusted: pValue.nullable(),
  effectSize: z.number(),
  effectSizeName: z.string(),
  /** This test rejects at the per-window level (and meets --min-effect). */
  shift: z.boolean(),
  /** How the p-value was computed, as compare's `method` (e.g. "99 permutations of whole groups, …"); absent in histories written before it. */
  method: z.string().optional(),
});

export const windowResultSchema = z.object({
  index: z.number().int().min(0),
  label: z.string(),
  /** Time bucket [start, end) for time windows (ISO 8601); null for row windows. */
  start: z.string().nullable(),
  end: z.string().nullable(),
  /** Earliest / latest time among the window's rows; null without a time column. */
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  n: z.number().int().min(0),
  status: z.enum(WINDOW_STATUSES),
  /** SHA-256 of the window's rows (texts, or vectors), which identifies it across runs. */
  contentHash: z.string(),
  /** Horizon (1-based) and slot in it (1 … N) this window spent; null when not tested. */
  family: z.number().int().min(1).nullable(),
  slot: z.number().int().min(1).nullable(),
  perWindowAlpha: probability.nullable(),
  /** The suite's family-wise p-value (smallest adjusted p over the tests). */
  combinedPValue: pValue.nullable(),
  /** combinedPValue × N, capped at 1. */
  adjustedPValue: pValue.nullable(),
  verdict: z.enum(WINDOW_VERDICTS).nullable(),
  alarm: z.boolean(),
  /** The run that tested it (this run, or an earlier one for already-in-history). */
  runId: z.string().nullable(),
  tests: z.array(windowTestSchema),
  warnings: z.array(z.string()),
  note: z.string().nullable(),
});

export const topSampleSchema = z.object({
  /** Position in the stream as loaded (0-based). */
  row: z.number().int().min(0),
  origin: z.string(),
  id: z.string().nullable(),
  time: z.string().nullable(),
  text: z.string().nullable(),
  classifierProbability: probability.nullable(),
  knnDistance: z.number().nullable(),
  knnPValue: pValue.nullable(),
  combinedScore: z.number(),
});

export const monitorResultSchema = z.object({
  schemaVersion: z.literal(MONITOR_SCHEMA_VERSION),
  kind: z.literal('shiftlens-monitor'),
  tool: z.object({ name: z.literal('shiftlens'), version: z.string() }),
  createdAt: z.string(),
  runId: z.string(),
  seed: z.number().int().min(0),
  reference: z.object({
    source: z.string(),
    /** SHA-256 of the model id and the reference embeddings (the history's key for the reference). */
    checksum: z.string(),
    /** SHA-256 of the bundle file, when the reference came from --bundle. */
    bundleSha256: z.string().nullable(),
    n: z.number().int().min(2),
    model: z.object({
      id: z.string(),
      backend: z.string(),
      dim: z.number().int().min(1),
      pooling: z.string(),
      normalize: z.boolean(),
      maxTokens: z.number().int().nullable(),
    }),
  }),
  target: z.object({
    source: z.string(),
    n: z.number().int().min(0),
    nRead: z.number().int().min(0),
    nEmpty: z.number().int().min(0),
    timeColumn: z.string().nullable(),
    timeFormat: z.string().nullable(),
  }),
  window: z.object({
    spec: z.string(),
    kind: z.enum(['time', 'rows']),
    minRows: z.number().int().min(1),
    emptyBuckets: z.number().int().min(0),
  }),
  alarmRule: z.object({
    method: z.literal(ALARM_METHOD),
    alpha: probability,
    horizon: z.number().int().min(1),
    perWindowAlpha: probability,
    permutations: z.number().int().min(1),
    tests: z.array(z.string()),
    correction: z.string(),
    minEffect: z.union([z.number(), z.record(z.string(), z.number())]).nullable(),
    guarantee: z.string(),
    /** Windows tested so far in the current horizon (history included), and slots left in it. */
    family: z.number().int().min(1),
    slotsUsed: z.number().int().min(0),
    slotsLeft: z.number().int().min(0),
  }),
  summary: z.object({
    nWindows: z.number().int().min(0),
    nTested: z.number().int().min(0),
    nTooSmall: z.number().int().min(0),
    nAlreadyInHistory: z.number().int().min(0),
    nAlarms: z.number().int().min(0),
    firstAlarm: z.string().nullable(),
    worstWindow: z.string().nullable(),
    headline: z.string(),
  }),
  windows: z.array(windowResultSchema),
  worstWindow: z
    .object({
      index: z.number().int().min(0),
      label: z.string(),
      topSamples: z.array(topSampleSchema),
    })
    .nullable(),
  history: z
    .object({
      file: z.string(),
      appended: z.number().int().min(0),
      superseded: z.number().int().min(0),
      windowsInHistory: z.number().int().min(0),
    })
    .nullable(),
  warnings: z.array(z.string()),
});

export type MonitorResult = z.infer<typeof monitorResultSchema>;
export type WindowResult = z.infer<typeof windowResultSchema>;
export type WindowTestResult = z.infer<typeof windowTestSchema>;
export type TopSample = z.infer<typeof topSampleSchema>;
export type WindowVerdict = (typeof WINDOW_VERDICTS)[number];

export function validateMonitorResult(result: MonitorResult): void {
  const bad = findNonFinite(result);
  if (bad) throw new Error(`internal error: non-finite number at ${bad} in monitor-result.json`);
  const parsed = monitorResultSchema.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `internal error: monitor-result.json does not match its schema at ${issue.path.join('.')}: ${issue.message}`,
    );
  }
}
