/**
 * The two-sample test suite on two embedding matrices, driven by the detector registry (twosample/registry.ts):
 * every requested detector runs in registry order on its own forked stream, with the options and sizes its
 * SuiteHints ask for (the exact MMD gives way to the linear-time random-feature MMD when its estimated time exceeds
 * the exact-test budget, exactBudgetSeconds / --exact-budget, twosample/kernels/exactBudget.ts; energy distance runs
 * on a seeded subsample above 2500 rows per side); the C2ST's out-of-fold probabilities also score samples; then the
 * family-wise decision. Used by `compare`, `check`, `monitor`, the calibration tests and the benchmarks alike.
 *
 * Two halves: `fitSuite(reference)` fits every detector's reference-only state (a FittedSuite, Storable, so a
 * reference bundle can save it), and `testFittedSuite(fitted, reference, target)` tests a target against it.
 * `runTestSuite` is both, with the same numbers: the states are deterministic in (seed, reference), and a FittedSuite
 * decoded from a bundle gives the same results as one fitted now.
 *
 * When the exact MMD runs, the permutation tests share ONE set of labellings (permutationDesign.ts):
 * mmd, energy (unless subsampled), centroid, Fréchet, ks-pca's max-KS and the C2ST's cross-fitted discriminant
 * are then adjusted jointly by Westfall–Young min-P (suite.ts). With `groups`, the labellings move whole groups,
 * and classifier folds and bootstraps keep groups whole, at every n: a test that caps its rows per side (energy,
 * Fréchet, C2ST, centroid) or the exact MMD past the exact-test budget runs on a random set of WHOLE groups per side
 * with its own whole-group labellings (runOnWholeGroups), never on a row subsample, which would drop the groups or
 * sample the sides at different rates. Without groups, each side's row order is checked for clustering
 * (rowClustering.ts) and a warning says to declare the groups.
 */
import { InputError } from '../core/errors.js';
import { selectRows, type Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import { hashString, type Rng } from '../core/random.js';
import { decideSuite, type FamilyCorrection, type MinEffect, type SuiteRun } from '../twosample/suite.js';
import type { TwoSampleTestResult } from '../twosample/detector.js';
import {
  createPermutationDesign,
  distinctLabellings,
  wholeGroupSubsample,
  type PermutationDesign,
  type RecordedNull,
  type RowGroups,
} from '../twosample/permutationDesign.js';
import { detectRowClustering } from '../twosample/rowClustering.js';
import { chooseExact, DEFAULT_EXACT_BUDGET_SECONDS } from '../twosample/kernels/exactBudget.js';
import { ENERGY_SUITE_MAX_PER_SIDE } from '../twosample/energy.js';
import {
  DETECTORS,
  detectorByName,
  fitDetector,
  parseDetectorOptions,
  runDetector,
  type AnyDetectorSpec,
  type DetectorRun,
} from '../twosample/registry.js';
import type { Storable } from '../twosample/registry/storable.js';
import type { TestName } from './compareOptions.js';

/** Above this many samples per side, energy distance (O(N²)) runs on a seeded subsample of this size. */
export const ENERGY_MAX_PER_SIDE = ENERGY_SUITE_MAX_PER_SIDE;

export interface SuiteOptions {
  tests: TestName[];
  permutations: number;
  alpha: number;
  correction: FamilyCorrection;
  minEffect: MinEffect;
  /** Cluster id per row of each side (--group-column); null/absent: rows are independent. */
  groups?: RowGroups | null;
  /** Share one set of permutations between the permutation tests and adjust them by Westfall–Young (default true). */
  jointPermutations?: boolean;
  /** Look for clustered rows when no groups are given (default true). */
  checkClustering?: boolean;
  /** Weights of the jointly adjusted tests (default DEFAULT_JOINT_WEIGHTS in twosample/suite.ts; {} = equal). */
  jointWeights?: Readonly<Record<string, number>>;
  /**
   * Seconds the exact MMD may be estimated to take (default DEFAULT_EXACT_BUDGET_SECONDS); above it the suite runs
   * the linear-time random-feature MMD and its permutation tests do not share labellings. 0: always linear-time.
   */
  exactBudgetSeconds?: number;
}

export interface SuiteOutcome extends SuiteRun {
  referenceProbability: Float64Array | null;
  targetProbability: Float64Array | null;
  warnings: string[];
  /** Every joint test's statistics on the shared labellings (observed first), for benchmarks; empty when none. */
  jointNulls: ReadonlyMap<string, RecordedNull>;
}

/**
 * Every requested detector's state fitted on the reference (Storable: a reference bundle saves it as is). The
 * reference rows are not in it; testFittedSuite receives them again and checks they are the same (rows, dimension,
 * fingerprint).
 */
export type FittedSuite = {
  format: 'shiftlens-fitted-suite';
  version: 1;
  nReference: number;
  dimension: number;
  /** referenceFingerprint(reference): a hash of the shape and a strided sample of the values. */
  referenceFingerprint: string;
  /** The suite tests it was fitted for (what options.tests asked). */
  tests: string[];
  /** State by detector name (a detector the suite may switch to, e.g. mmd-rff for mmd, is fitted too). */
  states: { [detector: string]: Storable };
  /** Reference rows a detector with a per-side cap (SuiteHints.maxPerSide) was fitted on, by detector name. */
  subsamples: { [detector: string]: Uint32Array };
};

export const FITTED_SUITE_VERSION = 1;

/** Fit every requested detector's reference-only state (and of the detector it may be switched to). */
export async function fitSuite(
  reference: Matrix,
  options: Pick<SuiteOptions, 'tests' | 'permutations'>,
  rng: Rng,
  progress: Progress,
): Promise<FittedSuite> {
  const states: FittedSuite['states'] = {};
  const subsamples: FittedSuite['subsamples'] = {};
  for (const spec of fittedSpecs(options.tests)) {
    const max = spec.suite?.maxPerSide;
    const rows = max !== undefined ? subsampleIndices(reference.rows, max, rng.fork(`${spec.name}-subsample`)) : null;
    if (rows) subsamples[spec.name] = rows;
    states[spec.name] = await fitDetector(
      spec,
      rows ? selectRows(reference, rows) : reference,
      suiteOptionsFor(spec, options.permutations),
      { rng: rng.fork(spec.name), progress },
    );
  }
  return {
    format: 'shiftlens-fitted-suite',
    version: FITTED_SUITE_VERSION,
    nReference: reference.rows,
    dimension: reference.cols,
    referenceFingerprint: referenceFingerprint(reference),
    tests: [...options.tests],
    states,
    subsamples,
  };
}

export async function runTestSuite(
  reference: Matrix,
  target: Matrix,
  options: SuiteOptions,
  rng: Rng,
  progress: Progress,
): Promise<SuiteOutcome> {
  const fitted = await fitSuite(reference, options, rng, progress);
  return testFittedSuite(fitted, reference, target, options, rng, progress);
}

/** Test a target against a fitted suite: the same numbers runTestSuite gives on (reference, target, seed). */
export async function testFittedSuite(
  fitted: FittedSuite,
  reference: Matrix,
  target: Matrix,
  options: SuiteOptions,
  rng: Rng,
  progress: Progress,
): Promise<SuiteOutcome> {
  checkFitted(fitted, reference, options.tests);
  const warnings: string[] = [];
  const wants = new Set<string>(options.tests);
  const pooledN = reference.rows + target.rows;
  const groups = options.groups ?? null;
  const exactBudgetSeconds = options.exactBudgetSeconds ?? DEFAULT_EXACT_BUDGET_SECONDS;
  const exactChoice = chooseExact(pooledN, reference.cols, options.permutations, exactBudgetSeconds);
  const exact = exactChoice.exact;
  // Shared labellings: always with groups (the only way the tests see them; also above the exact-test budget),
  // else when the exact MMD runs, unless turned off.
  const design: PermutationDesign | undefined =
    groups || (exact && options.jointPermutations !== false)
      ? createPermutationDesign(
          reference.rows,
          target.rows,
          options.permutations,
          rng.fork('shared-permutations'),
          groups,
        )
      : undefined;
  if (groups) warnings.push(...groupWarnings(design, options.alpha));
  else if (options.checkClustering !== false) warnings.push(...clusteringWarnings(reference, target, rng));

  const alpha = options.alpha;
  const size = { pooled: pooledN, dims: reference.cols, permutations: options.permutations, exactBudgetSeconds };
  const tests: TwoSampleTestResult[] = [];
  let referenceProbability: Float64Array | null = null;
  let targetProbability: Float64Array | null = null;
  for (const requested of DETECTORS) {
    if (!wants.has(requested.name)) continue;
    let spec: AnyDetectorSpec = requested;
    const switchNote = requested.suite?.above?.when(size) ?? null;
    // With groups, a test too slow for the budget runs exactly on whole groups (its linear-time stand-in would
    // treat rows as independent); only a budget of 0 (always linear-time) still switches.
    const groupedExactCap =
      groups && switchNote !== null && exactBudgetSeconds > 0
        ? exactRowsPerSide(reference.cols, options.permutations, exactBudgetSeconds)
        : null;
    if (requested.suite?.above && switchNote !== null && groupedExactCap === null) {
      spec = detectorByName(requested.suite.above.use);
      warnings.push(switchNote);
      if (groups) {
        warnings.push(
          `Grouped rows: ${spec.name} treats rows as independent, so its p-value ignores the groups (the other tests move whole groups); give --exact-budget above 0 for an exact MMD on whole groups.`,
        );
      }
    }
    if (tests.some((t) => t.name === spec.name)) continue;
    const detectorOptions = suiteOptionsFor(spec, options.permutations);
    if (groups && design) {
      const run = await runOnWholeGroups(spec, groupedExactCap, detectorOptions, {
        fitted,
        reference,
        target,
        groups,
        permutations: options.permutations,
        rng,
        progress,
        alpha,
        design,
        warnings,
      });
      if (requested.suite?.above) {
        run.result.details.exactEstimatedSeconds = exactChoice.estimatedSeconds;
        run.result.details.exactBudgetSeconds = exactChoice.budgetSeconds;
      }
      tests.push(run.result);
      if (run.sampleScores?.kind === 'classifierProbability' && !run.subsampled && referenceProbability === null) {
        referenceProbability = run.sampleScores.reference;
        targetProbability = run.sampleScores.target;
      }
      continue;
    }
    const max = spec.suite?.maxPerSide;
    const sub = max !== undefined ? rng.fork(`${spec.name}-subsample`) : null;
    const redrawn = sub && max !== undefined ? subsampleIndices(reference.rows, max, sub) : null;
    // The reference rows the state was fitted on (the same draw when the seed is the same), then the target's.
    const refRows = max !== undefined ? (fitted.subsamples[spec.name] ?? redrawn) : null;
    const tgtRows = sub && max !== undefined ? subsampleIndices(target.rows, max, sub) : null;
    const subsampled = refRows !== null || tgtRows !== null;
    const ref = refRows ? selectRows(reference, refRows) : reference;
    const tgt = tgtRows ? selectRows(target, tgtRows) : target;
    // The shared labellings fit the full sample only (grouped rows take the path above).
    const testDesign = subsampled ? undefined : design;
    if (subsampled && spec.suite?.subsampleWarning) warnings.push(spec.suite.subsampleWarning);
    const run = await runDetector(spec, fitted.states[spec.name], { reference: ref, target: tgt }, detectorOptions, {
      rng: rng.fork(spec.name),
      progress,
      alpha,
      ...(testDesign ? { design: testDesign } : {}),
    });
    const result = subsampled
      ? { ...run.result, details: { ...run.result.details, subsampledPerSide: max } }
      : run.result;
    if (requested.suite?.above) {
      result.details.exactEstimatedSeconds = exactChoice.estimatedSeconds;
      result.details.exactBudgetSeconds = exactChoice.budgetSeconds;
    }
    tests.push(result);
    if (run.sampleScores?.kind === 'classifierProbability' && !subsampled && referenceProbability === null) {
      referenceProbability = run.sampleScores.reference;
      targetProbability = run.sampleScores.target;
    }
  }
  const decided = decideSuite(tests, {
    alpha: options.alpha,
    correction: options.correction,
    minEffect: options.minEffect,
    ...(design && options.jointPermutations !== false ? { joint: design.ledger } : {}),
    ...(options.jointWeights ? { jointWeights: options.jointWeights } : {}),
  });
  decided.decision.groups =
    design?.clusters && groups
      ? { reference: design.referenceClusters, target: design.nClusters - design.referenceClusters }
      : null;
  return { ...decided, referenceProbability, targetProbability, warnings, jointNulls: design?.ledger ?? new Map() };
}

interface GroupedRunContext {
  fitted: FittedSuite;
  reference: Matrix;
  target: Matrix;
  groups: RowGroups;
  permutations: number;
  rng: Rng;
  progress: Progress;
  alpha: number;
  /** The shared whole-group labellings of all rows. */
  design: PermutationDesign;
  warnings: string[];
}

/**
 * A detector on grouped rows. Within its row cap it runs on every row with the shared whole-group labellings. Its
 * cap — the suite's maxPerSide hint (energy), its own `maxPerSide` option (Fréchet, C2ST, centroid), or for the
 * exact MMD above the exact-test budget the rows per side the budget allows — is met by keeping whole groups
 * (wholeGroupSubsample: a fixed number of random groups per side, which keeps the permutation test exact), with its
 * own whole-group labellings of the kept rows and its state fitted again on the kept reference rows. A row
 * subsample would either drop the groups or sample the sides at different rates (not exchangeable).
 */
async function runOnWholeGroups(
  spec: AnyDetectorSpec,
  exactCap: number | null,
  detectorOptions: Record<string, unknown>,
  c: GroupedRunContext,
): Promise<DetectorRun & { subsampled: boolean }> {
  const own = (parseDetectorOptions(spec, detectorOptions) as { maxPerSide?: unknown }).maxPerSide;
  const caps = [exactCap, spec.suite?.maxPerSide, own].filter((v): v is number => typeof v === 'number');
  const cap = caps.length > 0 ? Math.min(...caps) : null;
  const kept = cap === null ? null : wholeGroupSubsample(c.groups, cap, c.rng.fork(`${spec.name}-group-subsample`));
  const context = { rng: c.rng.fork(spec.name), progress: c.progress, alpha: c.alpha };
  if (!kept) {
    const run = await runDetector(
      spec,
      c.fitted.states[spec.name],
      { reference: c.reference, target: c.target },
      detectorOptions,
      {
        ...context,
        design: c.design,
      },
    );
    return { ...run, subsampled: false };
  }
  const reference = selectRows(c.reference, kept.reference);
  const target = selectRows(c.target, kept.target);
  // The kept groups are the detector's sample: its own row cap must not cut them again.
  const opts =
    typeof own === 'number'
      ? { ...detectorOptions, maxPerSide: Math.max(own, reference.rows, target.rows) }
      : detectorOptions;
  const design = createPermutationDesign(
    reference.rows,
    target.rows,
    c.permutations,
    c.rng.fork(`${spec.name}-subsample-permutations`),
    kept.groups,
  );
  const state = await fitDetector(spec, reference, opts, { rng: c.rng.fork(spec.name), progress: c.progress });
  const run = await runDetector(spec, state, { reference, target }, opts, { ...context, design });
  const groupsOf = { reference: design.referenceClusters, target: design.nClusters - design.referenceClusters };
  const all = { reference: c.design.referenceClusters, target: c.design.nClusters - c.design.referenceClusters };
  const why =
    cap === exactCap
      ? 'the exact test on all rows would exceed the exact-test budget (--exact-budget), and its linear-time stand-in cannot keep groups whole'
      : `it runs on at most about ${cap} rows per side`;
  c.warnings.push(
    `${spec.label} ran on whole groups: ${groupsOf.reference} of the reference's ${all.reference} groups (${reference.rows} rows) and ${groupsOf.target} of the target's ${all.target} (${target.rows} rows), drawn at random, because ${why}.`,
  );
  run.result.details = {
    ...run.result.details,
    subsampledPerSide: cap as number,
    groupsKept: groupsOf,
    rowsKept: { reference: reference.rows, target: target.rows },
  };
  return { ...run, subsampled: true };
}

/** The most rows per side (2·m pooled) the exact MMD may take within the budget (at least 2). */
function exactRowsPerSide(dims: number, permutations: number, budgetSeconds: number): number {
  let lo = 2;
  let hi = 2;
  while (chooseExact(2 * hi, dims, permutations, budgetSeconds).exact && hi < 1e8) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (chooseExact(2 * mid, dims, permutations, budgetSeconds).exact) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The specs a fit covers: each requested detector and the one its suite hint may switch to, in registry order. */
function fittedSpecs(tests: readonly string[]): AnyDetectorSpec[] {
  const names = new Set<string>();
  for (const name of tests) {
    const spec = detectorByName(name);
    names.add(spec.name);
    if (spec.suite?.above) names.add(detectorByName(spec.suite.above.use).name);
  }
  return DETECTORS.filter((d) => names.has(d.name));
}

/** The options the suite gives a detector (its hint from --permutations; the detector's defaults otherwise). */
function suiteOptionsFor(spec: AnyDetectorSpec, permutations: number): Record<string, unknown> {
  return spec.suite?.options ? spec.suite.options({ permutations }) : {};
}

function checkFitted(fitted: FittedSuite, reference: Matrix, tests: readonly string[]): void {
  if (fitted.format !== 'shiftlens-fitted-suite' || fitted.version !== FITTED_SUITE_VERSION) {
    throw new InputError(
      `fitted test suite: format ${String(fitted.format)} version ${String(fitted.version)} is not shiftlens-fitted-suite version ${FITTED_SUITE_VERSION}; rebuild the reference`,
    );
  }
  if (
    fitted.nReference !== reference.rows ||
    fitted.dimension !== reference.cols ||
    fitted.referenceFingerprint !== referenceFingerprint(reference)
  ) {
    throw new InputError(
      `fitted test suite: fitted on ${fitted.nReference} reference rows of ${fitted.dimension} dimensions, not on these ${reference.rows}×${reference.cols} (or their values differ); rebuild the reference`,
    );
  }
  const missing = fittedSpecs(tests)
    .map((s) => s.name)
    .filter((name) => !Object.hasOwn(fitted.states, name));
  if (missing.length > 0) {
    throw new InputError(
      `fitted test suite: no fitted state for ${missing.join(', ')} (fitted for ${fitted.tests.join(', ')}); rebuild the reference with these tests`,
    );
  }
}

/** Number of values a fingerprint reads (strided over the whole matrix). */
const FINGERPRINT_VALUES = 65_536;

/**
 * A cheap identity of a reference matrix: its shape and a hash of the bits of up to 65,536 values at an even stride
 * (every value when smaller). Not cryptographic: it catches a different or reordered reference, not tampering (a
 * bundle's checksum covers that).
 */
export function referenceFingerprint(m: Matrix): string {
  const n = m.data.length;
  const stride = Math.max(1, Math.floor(n / FINGERPRINT_VALUES));
  const bits = new Uint32Array(m.data.buffer, m.data.byteOffset, n);
  let h1 = hashString(`${m.rows}x${m.cols}`);
  let h2 = 0x9e3779b9 ^ n;
  for (let i = 0; i < n; i += stride) {
    h1 = Math.imul(h1 ^ bits[i], 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ bits[n - 1 - i], 0x85ebca6b) >>> 0;
  }
  return `${m.rows}x${m.cols}:${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

function groupWarnings(design: PermutationDesign | undefined, alpha: number): string[] {
  const out: string[] = [];
  if (!design) return out;
  const distinct = distinctLabellings(design);
  if (distinct * alpha < 20) {
    out.push(
      `Only ${design.nClusters} groups (${design.referenceClusters} reference, ${design.nClusters - design.referenceClusters} target): ${Number.isFinite(distinct) ? distinct : 'many'} ways to split them, so group-aware p-values are coarse${distinct * alpha < 1 ? ' and can never fall below α' : ''}; more groups give the tests power.`,
    );
  }
  return out;
}

function clusteringWarnings(reference: Matrix, target: Matrix, rng: Rng): string[] {
  const out: string[] = [];
  for (const [side, m] of [
    ['reference', reference],
    ['target', target],
  ] as const) {
    const signal = detectRowClustering(m, rng.fork(`clustering-${side}`));
    if (signal?.clustered) {
      out.push(
        `The ${side}'s rows look clustered: consecutive rows are more alike than random pairs (serial similarity excess ${signal.excess.toFixed(2)}, p = ${signal.pValue.toFixed(3)}). If rows come in groups (passages of one document, mails of one thread), declare them with --group-column: row-level tests over-reject on grouped data.`,
      );
    }
  }
  return out;
}

/** Sorted indices of a seeded subsample of `max` rows (sampleRows' draw), or null when none is needed. */
function subsampleIndices(n: number, max: number, rng: Rng): Uint32Array | null {
  if (n <= max) return null;
  return rng.sample(n, max).sort();
}

/**
 * Row groups from per-side group ids (--group-column): null when neither side has them. A side without a group
 * column, and every row whose group is empty, counts each row as its own group.
 */
export function rowGroupsFromIds(
  reference: string[] | undefined,
  target: string[] | undefined,
  nReference: number,
  nTarget: number,
): RowGroups | null {
  if (!reference && !target) return null;
  const number = (ids: string[] | undefined, n: number): Int32Array => {
    const out = new Int32Array(n);
    const seen = new Map<string, number>();
    let next = 0;
    for (let i = 0; i < n; i++) {
      const id = ids?.[i] ?? '';
      if (id === '') {
        out[i] = next++;
        continue;
      }
      let c = seen.get(id);
      if (c === undefined) {
        c = next++;
        seen.set(id, c);
      }
      out[i] = c;
    }
    return out;
  };
  return {
    reference: number(reference, nReference),
    target: number(target, nTarget),
  };
}
