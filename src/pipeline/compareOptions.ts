/** Everything `shiftlens compare` can be told, with the defaults the CLI and library share. */
import type { Pooling } from '../embed/embedder.js';
import type { EmbedEndpointOptions } from '../embed/openai/endpointOptions.js';
import type { InputFormat } from '../ingest/dataset.js';
import type { ProbeOptions } from '../probe/probeTypes.js';
import type { FamilyCorrection, MinEffect } from '../twosample/suite.js';
import { DEFAULT_EXACT_BUDGET_SECONDS } from '../twosample/kernels/exactBudgetDefault.js';
import type { VerdictThresholds } from '../verdict/thresholds.js';
import { DEFAULT_DETECTORS, DETECTOR_NAMES, type DetectorName } from '../twosample/registry/catalogue.js';

export const DEFAULT_MODEL = 'wordvec:sg100d';

// Bounds every front end checks the options against: the CLI's flag parsers and the library's schema (src/api).
/** Seeds are 32-bit: every random choice derives from one, and larger numbers would lose digits silently. */
export const MAX_SEED = 2 ** 32 - 1;
/** More permutations than this buy no precision a verdict needs (p resolves to 1e-5) and cost hours at size. */
export const MAX_PERMUTATIONS = 100_000;
/** Fewer permutations cannot reach p ≤ 0.05. */
export const MIN_PERMUTATIONS = 19;
/** The family-wise significance level's range. */
export const ALPHA_RANGE = { min: 1e-9, max: 0.5 } as const;
/** Longest exact-test budget (--exact-budget): a week. */
export const MAX_EXACT_BUDGET_SECONDS = 7 * 24 * 3600;

/** A test the suite can run: any detector of the registry (twosample/registry.ts). */
export type TestName = DetectorName;
/** Every --tests choice, in registry order. */
export const TEST_NAMES: readonly TestName[] = DETECTOR_NAMES;
/** The suite's default tests: the registry's detectors marked inDefaultSuite, in registry order. */
export const DEFAULT_TESTS: TestName[] = [...DEFAULT_DETECTORS];
/** Test names a per-test minimum effect may use: every detector (the suite runs mmd-rff for mmd at large N). */
export const MIN_EFFECT_TEST_NAMES: readonly string[] = DETECTOR_NAMES;

export interface SideOptions {
  /** Source spec: a file path, or a corpus like "spam-assassin:easy-ham-1". */
  source: string;
  textColumn?: string;
  labelColumn?: string;
  /** Column/field with each sample's own id, carried to result.json, target-scores.csv and the report. */
  idColumn?: string;
  /** Column whose value groups rows (--group-column): the tests then permute, fold and resample whole groups. */
  groupColumn?: string;
  format?: InputFormat;
}

export interface CompareOptions {
  reference: SideOptions;
  target: SideOptions;
  model: string;
  pooling?: Pooling;
  maxLength?: number;
  batchSize?: number;
  normalize: boolean;
  /** null disables the embedding cache. */
  cacheDir: string | null | undefined;
  /**
   * Where the word-vector table and downloaded models live; default: cacheDir, or the default cache folder when
   * that is null. The CLI sets it from --cache-dir, so --no-cache with --cache-dir keeps them there.
   */
  artifactsDir?: string;
  /** openai:<model>: server URL, key variable, dimensions and request limits (--embed-*). */
  endpoint?: EmbedEndpointOptions;
  /** transformers:<model>: embedding worker threads, or 'auto' (the cores, capped); default 1. */
  embedWorkers?: number | 'auto';
  vectorField?: string;
  /** Text encoding of CSV/TSV/text files; undefined: the format's own default (utf8, latin1 for sentiment140). */
  encoding?: 'utf8' | 'latin1';
  maxRows?: number;
  seed: number;
  alpha: number;
  correction: FamilyCorrection;
  minEffect: MinEffect;
  permutations: number;
  /**
   * Seconds the exact MMD may be estimated to take (--exact-budget); above it the suite runs the linear-time
   * random-feature MMD and says so in the warnings. Default DEFAULT_EXACT_BUDGET_SECONDS; 0: always linear-time.
   */
  exactBudgetSeconds?: number;
  tests: TestName[];
  /** Principal components shown with densities (KDE view). */
  components: number;
  bandwidthRule: 'scott' | 'silverman';
  topSamples: number;
  labelMap: Record<string, string> | null;
  /** Overrides of the verdict's thresholds (see src/verdict/thresholds.ts). */
  verdictThresholds: Partial<VerdictThresholds>;
  /** Also compare the linear probe with an MLP head and fine-tuning (src/finetune); needs reference labels. */
  finetune?: boolean;
  /**
   * Most rows one linear-probe fit trains on (--probe-max-fit-rows; ProbeOptions.maxFitRows); default 5,000,
   * Number.POSITIVE_INFINITY for no cap. A reference bundle's probe keeps the cap it was built with.
   */
  probeMaxFitRows?: number;
}

/** The probe options compare and reference build set (the rest keep runProbe's defaults). */
export function probeOptions(options: Pick<CompareOptions, 'probeMaxFitRows'>): Partial<ProbeOptions> {
  return options.probeMaxFitRows === undefined ? {} : { maxFitRows: options.probeMaxFitRows };
}

export function defaultCompareOptions(reference: SideOptions, target: SideOptions): CompareOptions {
  return {
    reference,
    target,
    model: DEFAULT_MODEL,
    normalize: false,
    cacheDir: undefined,
    seed: 0,
    alpha: 0.05,
    correction: 'holm',
    minEffect: null,
    permutations: 1000,
    exactBudgetSeconds: DEFAULT_EXACT_BUDGET_SECONDS,
    tests: [...DEFAULT_TESTS],
    components: 5,
    bandwidthRule: 'scott',
    topSamples: 20,
    labelMap: null,
    verdictThresholds: {},
  };
}
