/**
 * The one contract every two-sample detector implements: a name, a zod options schema (strict, every field
 * defaulted: `optionsSchema.parse({})` gives the defaults), `fit(reference) → state` (only what is legitimately
 * fitted on the reference alone: a PCA basis of the reference, reference mean/covariance, reference-side
 * sufficient statistics, design choices), and `test(state, {reference, target}) → outcome`.
 *
 * Anything a permutation test needs to stay exact (pooled bandwidth, pooled PCs, pooled statistics) is computed in
 * `test` on the pooled sample, never in `fit`. The reference rows are NOT part of the state: `test` receives them
 * in `data.reference` (a bundle stores the embeddings once).
 *
 * `runDetector` (../registry.ts) wraps a spec: option parsing (unknown/invalid option → InputError naming detector
 * and option), input checks, timing and the full TwoSampleTestResult (name, label, shift/pValueAdjusted placeholders
 * for the suite, timingMs).
 */
import type { z } from 'zod';
import type { Matrix } from '../../core/matrix.js';
import type { Progress } from '../../core/progress.js';
import type { Rng } from '../../core/random.js';
import type { TwoSampleTestResult } from '../detector.js';
import type { PermutationDesign } from '../permutationDesign.js';
import type { Storable } from './storable.js';

export interface FitContext {
  /**
   * The detector's own stream (forked by its name from the run's seed, the same stream `test` gets): fit and test
   * fork their own labels from it, so a state fitted now or decoded from a bundle gives the same draws.
   */
  rng: Rng;
  progress: Progress;
}

export interface TestContext {
  /** The detector's own stream (see FitContext.rng). */
  rng: Rng;
  progress: Progress;
  /** Shared labellings of the pooled rows (reference first), given by the suite; see detector.ts TwoSampleInput. */
  design?: PermutationDesign;
  /** Level at which minDetectableEffect is worked out (the suite's α; default 0.05). */
  alpha?: number;
}

/** Per-row scores of both sides (e.g. the C2ST's out-of-fold probability of "target"), not part of result.json. */
export interface SideScores {
  /** What the numbers are; the suite reads 'classifierProbability'. */
  kind: 'classifierProbability';
  reference: Float64Array;
  target: Float64Array;
}

/**
 * What `test` returns: the result without the parts the wrapper and the suite fill in (name, shift,
 * pValueAdjusted, timingMs). `label` overrides the spec's label when it depends on the data (e.g. "KS on 12 PCs").
 */
export type DetectorOutcome = Omit<TwoSampleTestResult, 'name' | 'label' | 'shift' | 'pValueAdjusted' | 'timingMs'> & {
  label?: string;
  sampleScores?: SideScores;
};

export interface TwoSamples {
  reference: Matrix;
  target: Matrix;
}

/** How the suite (pipeline/testSuite.ts) runs a detector; every field optional (absent: defaults, all rows). */
export interface SuiteHints<Options> {
  /** Options from the suite's --permutations (e.g. p => ({ permutations: p })). */
  options?(suite: { permutations: number }): Partial<Options>;
  /** Above this many rows per side the suite runs the test on a seeded subsample of this size per side. */
  maxPerSide?: number;
  /** Warning when subsampled. */
  subsampleWarning?: string;
  /**
   * When the suite runs the detector named `use` instead: `when(size)` gives the warning saying so, or null to run
   * this one (the exact MMD: its estimated time against the exact-test budget, twosample/kernels/exactBudget.ts).
   */
  above?: { use: string; when(size: SuiteSize): string | null };
}

/** What a suite hint may weigh: the pooled rows, their dimension, the permutations and the exact-test budget. */
export interface SuiteSize {
  pooled: number;
  dims: number;
  permutations: number;
  /** Seconds an exact quadratic test may be estimated to take (--exact-budget). */
  exactBudgetSeconds: number;
}

export interface DetectorSpec<Options = unknown, State extends Storable = Storable, Name extends string = string> {
  /** Stable id, e.g. 'mmd': the CLI's --tests value and the result's test name. */
  readonly name: Name;
  /** Human label for tables, e.g. "MMD (Gaussian kernel, permutation)". */
  readonly label: string;
  /** One line for --help and docs. */
  readonly summary: string;
  /** In the suite's default --tests. */
  readonly inDefaultSuite: boolean;
  /** Strict object, every field defaulted; parse({}) gives the defaults. */
  readonly optionsSchema: z.ZodType<Options>;
  readonly suite?: SuiteHints<Options>;
  fit(reference: Matrix, options: Options, ctx: FitContext): Promise<State>;
  test(state: State, data: TwoSamples, options: Options, ctx: TestContext): Promise<DetectorOutcome>;
}

/** A spec whose option and state types are forgotten (what registries and suites hold). */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds specs of different option/state types
export type AnyDetectorSpec = DetectorSpec<any, any>;

/** Option type of a spec. */
export type OptionsOf<S> = S extends DetectorSpec<infer O, infer _T> ? O : never;
/** State type of a spec. */
export type StateOf<S> = S extends DetectorSpec<infer _O, infer T> ? T : never;

/** Identity helper that keeps a spec's name, option and state types (`export const fooSpec = defineDetector({...})`). */
export function defineDetector<const Name extends string, Options, State extends Storable>(
  spec: DetectorSpec<Options, State, Name>,
): DetectorSpec<Options, State, Name> {
  return spec;
}
