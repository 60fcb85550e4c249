/**
 * The shape of result.json (documented in docs/result-schema.md). Versioned: bump SCHEMA_VERSION on any
 * breaking change. All numbers are finite: NaN/Infinity never reach the file.
 */
import type { SampleShiftScores, TwoSampleTestResult } from '../twosample/detector.js';
import type { ProbeResult, Verdict } from '../probe/probeTypes.js';
import type { FinetuneComparison } from '../finetune/finetuneTypes.js';
import type { LabelShiftResult } from '../probe/labelShift.js';
import type { TermShift, WordShiftResult } from '../analysis/wordShift.js';

export const SCHEMA_VERSION = '1.0.0';

export interface DatasetSummaryJson {
  source: string;
  /** Samples analysed (after dropping empties and sampling). */
  n: number;
  nRead: number;
  nEmpty: number;
  nDuplicate: number;
  nSampledOut: number;
  nTruncated: number;
  skipped: { reason: string; count: number }[];
  /** Mean length in whitespace-separated words (null for vector sources). */
  meanWords: number | null;
  /** Label counts, when labels were given. */
  labels: Record<string, number> | null;
  oovRate: number | null;
}

export interface ComponentComparison {
  index: number;
  explainedVarianceRatio: number;
  /** Overlap coefficient ∫ min(p, q) of the two KDEs, in [0, 1]. */
  overlap: number;
  /** Jensen–Shannon divergence (base 2, in [0, 1]) between the two KDEs. */
  jsDivergence: number;
  bandwidth: { rule: 'scott' | 'silverman'; reference: number; target: number };
  meanReference: number;
  meanTarget: number;
}

export interface SampleScoreRow {
  /** Index within the analysed target sample. */
  index: number;
  origin: string;
  /** The user's own id (--id-column), or null without one. */
  id: string | null;
  /** The sample's label, or null when the target has none. */
  label: string | null;
  text: string | null;
  classifierProbability: number | null;
  knnDistance: number | null;
  knnPValue: number | null;
  mmdWitness: number | null;
  /** Rank-averaged combined score used for ordering (higher = more shifted). */
  combinedScore: number;
}

/** What changed in words (docs/result-schema.md): terms over/under-represented in the target, and in its most shifted samples. */
export interface WordShiftJson extends WordShiftResult {
  /** Terms over-represented in the most shifted target samples against the reference, or null without scores. */
  mostShifted: { nSamples: number; terms: TermShift[] } | null;
}

/** The reference bundle of a check (src/bundle/): which file, its SHA-256, and how many reference rows it keeps. */
export interface BundleReferenceJson {
  file: string;
  sha256: string;
  formatVersion: number;
  /** When the bundle was built, and by which shiftlens. */
  createdAt: string;
  toolVersion: string;
  /** Reference rows stored (a seeded sample above 20,000) and rows embedded when it was built. */
  referenceRows: number;
  referenceRowsEmbedded: number;
}

export interface ShiftlensResult {
  schemaVersion: string;
  tool: { name: 'shiftlens'; version: string };
  createdAt: string;
  seed: number;
  reference: DatasetSummaryJson;
  target: DatasetSummaryJson;
  model: {
    id: string;
    backend: string;
    dim: number;
    pooling: string;
    normalize: boolean;
    maxTokens: number | null;
    description: string;
  };
  pca: {
    fittedOn: 'pooled';
    nComponents: number;
    explainedVarianceRatio: number[];
    components: ComponentComparison[];
  };
  centroid: { cosineDistance: number; euclideanDistance: number };
  /** Length shift check: texts differ in length (words) — the report says so when it explains the shift. */
  length: { meanWordsReference: number; meanWordsTarget: number; ksStatistic: number; pValue: number } | null;
  tests: TwoSampleTestResult[];
  suite: {
    alpha: number;
    correction: 'holm' | 'bonferroni';
    /** One number for every test, per-test numbers by test name, or null. */
    minEffect: number | Record<string, number> | null;
    shiftDetected: boolean;
    statisticallySignificant: boolean;
    practicallySignificant: boolean;
    /** Tests adjusted jointly by Westfall–Young min-P on shared permutations (docs/methods.md). */
    jointTests?: string[];
    /** Family-wise p-value of "some test rejects": the smallest adjusted p-value. */
    combinedPValue?: number | null;
    /** How the adjusted p-values were made, one sentence. */
    method?: string;
    /** Groups per side when --group-column was given (the tests then moved whole groups), else null. */
    groups?: { reference: number; target: number } | null;
  };
  samples: {
    /** Most shifted target samples first. */
    top: SampleScoreRow[];
    /** Path (relative to result.json) of the per-sample scores file for all target samples, or null. */
    allScoresFile: string | null;
  };
  /** Words and bigrams that changed, for text sources; null for vector sources. */
  wordShift: WordShiftJson | null;
  probe: ProbeResult | null;
  /** Label shift (both sides labelled, else null): unseen target classes and a test of label proportions. */
  labelShift?: LabelShiftResult | null;
  /** compare --finetune: linear probe vs MLP head vs fine-tuning on one reference split (src/finetune). */
  finetune?: FinetuneComparison | null;
  /** shiftlens check: the reference bundle the target was checked against (absent for compare). */
  bundle?: BundleReferenceJson;
  verdict: Verdict;
  timings: Record<string, number>;
  warnings: string[];
}

export type { SampleShiftScores, TwoSampleTestResult, ProbeResult, Verdict, TermShift, LabelShiftResult };
