/**
 * The two-sample test suite on two embedding matrices: picks exact or linear-time MMD by size, subsamples the
 * quadratic energy test, runs the classifier test (whose out-of-fold probabilities also score samples), and
 * makes the family-wise decision. Used by `compare`, the calibration tests and the benchmarks alike.
 *
 * The exact MMD (streamed, any N) runs when its estimated time fits the exact-test budget (exactBudgetSeconds,
 * --exact-budget; twosample/kernels/exactBudget.ts), the linear-time random-feature MMD otherwise. When it runs,
 * the permutation tests share ONE set of labellings (permutationDesign.ts):
 * mmd, energy (unless subsampled), centroid, Fréchet, ks-pca's max-KS and the C2ST's cross-fitted discriminant
 * are then adjusted jointly by Westfall–Young min-P (suite.ts). With `groups`, the labellings move whole groups,
 * and classifier folds and bootstraps keep groups whole. Without groups, each side's row order is checked for
 * clustering (rowClustering.ts) and a warning says to declare the groups.
 */
import { selectRows, type Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import {
  decideSuite,
  runDetectors,
  type FamilyCorrection,
  type MinEffect,
  type PlannedTest,
  type SuiteRun,
} from '../twosample/suite.js';
import type { TwoSampleTestResult } from '../twosample/detector.js';
import {
  createPermutationDesign,
  distinctLabellings,
  type PermutationDesign,
  type RecordedNull,
  type RowGroups,
} from '../twosample/permutationDesign.js';
import { detectRowClustering } from '../twosample/rowClustering.js';
import { mmdDetector } from '../twosample/mmd.js';
import { chooseExact, DEFAULT_EXACT_BUDGET_SECONDS } from '../twosample/kernels/exactBudget.js';
import { mmdFourierDetector } from '../twosample/mmdFourier.js';
import { energyDetector } from '../twosample/energy.js';
import { ksPcaDetector } from '../twosample/ksPca.js';
import { runC2st } from '../twosample/c2st.js';
import { frechetDetector } from '../twosample/frechet.js';
import { centroidDetector } from '../twosample/centroidDistance.js';
import type { TestName } from './compareOptions.js';

/** Above this many samples per side, energy distance (O(N²)) runs on a seeded subsample of this size. */
export const ENERGY_MAX_PER_SIDE = 2500;

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

export async function runTestSuite(
  reference: Matrix,
  target: Matrix,
  options: SuiteOptions,
  rng: Rng,
  progress: Progress,
): Promise<SuiteOutcome> {
  const warnings: string[] = [];
  const wants = new Set(options.tests);
  const pooledN = reference.rows + target.rows;
  const groups = options.groups ?? null;
  const exactChoice = chooseExact(
    pooledN,
    reference.cols,
    options.permutations,
    options.exactBudgetSeconds ?? DEFAULT_EXACT_BUDGET_SECONDS,
  );
  const exact = exactChoice.exact;
  // Shared labellings: always with groups (the only way the tests see them), else unless turned off.
  const design: PermutationDesign | undefined =
    exact && (groups || options.jointPermutations !== false)
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
  const planned: PlannedTest[] = [];
  if (wants.has('mmd')) {
    if (exact) {
      planned.push({ detector: mmdDetector, options: { permutations: options.permutations } });
    } else {
      // Linear time and memory: Hotelling's T² on random Fourier features of the same Gaussian kernel. Measured
      // against the block MMD (mmdLinear.ts) at 20k per side: equally calibrated, far more power (39/40 vs 5/40).
      planned.push({ detector: mmdFourierDetector });
      if (exactChoice.note) warnings.push(exactChoice.note);
    }
  }
  if (wants.has('ks-pca')) planned.push({ detector: ksPcaDetector });
  if (wants.has('frechet'))
    planned.push({ detector: frechetDetector, options: { permutations: Math.min(options.permutations, 500) } });
  if (wants.has('centroid'))
    planned.push({ detector: centroidDetector, options: { permutations: options.permutations } });

  const alpha = options.alpha;
  const tests: TwoSampleTestResult[] = await runDetectors(planned, { reference, target, rng, progress, design, alpha });
  for (const t of tests) {
    if (t.name !== 'mmd' && t.name !== 'mmd-rff') continue;
    t.details.exactEstimatedSeconds = exactChoice.estimatedSeconds;
    t.details.exactBudgetSeconds = exactChoice.budgetSeconds;
  }
  if (wants.has('energy'))
    tests.push(
      await runEnergy(reference, target, options.permutations, rng, progress, warnings, design, groups, alpha),
    );

  let referenceProbability: Float64Array | null = null;
  let targetProbability: Float64Array | null = null;
  if (wants.has('c2st')) {
    const started = performance.now();
    const c2st = await runC2st({
      reference,
      target,
      rng: rng.fork('c2st'),
      progress,
      alpha,
      ...(design ? { design } : {}),
    });
    tests.push({ ...c2st.result, timingMs: c2st.result.timingMs || performance.now() - started });
    referenceProbability = c2st.referenceProbability;
    targetProbability = c2st.targetProbability;
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

function groupWarnings(design: PermutationDesign | undefined, alpha: number): string[] {
  const out: string[] = [];
  if (!design) {
    out.push(
      'Grouped rows: the exact tests would exceed their time budget here, and the linear-time MMD treats rows as independent, so its p-value ignores the groups; raise --exact-budget or subsample (--max-rows) to get group-aware tests.',
    );
    return out;
  }
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

async function runEnergy(
  reference: Matrix,
  target: Matrix,
  permutations: number,
  rng: Rng,
  progress: Progress,
  warnings: string[],
  design: PermutationDesign | undefined,
  groups: RowGroups | null,
  alpha: number,
): Promise<TwoSampleTestResult> {
  const sub = rng.fork('energy-subsample');
  const refRows = subsampleIndices(reference.rows, ENERGY_MAX_PER_SIDE, sub);
  const tgtRows = subsampleIndices(target.rows, ENERGY_MAX_PER_SIDE, sub);
  const ref = refRows ? selectRows(reference, refRows) : reference;
  const tgt = tgtRows ? selectRows(target, tgtRows) : target;
  const subsampled = ref !== reference || tgt !== target;
  // The shared labellings fit the full sample only; a subsample with groups gets its own grouped labellings.
  let energyDesign = subsampled ? undefined : design;
  if (subsampled && groups) {
    energyDesign = createPermutationDesign(
      ref.rows,
      tgt.rows,
      permutations,
      rng.fork('energy-subsample-permutations'),
      {
        reference: refRows ? Array.from(refRows, (i) => groups.reference[i]) : groups.reference,
        target: tgtRows ? Array.from(tgtRows, (i) => groups.target[i]) : groups.target,
      },
    );
  }
  if (subsampled) {
    warnings.push(
      `Energy distance ran on a seeded subsample of at most ${ENERGY_MAX_PER_SIDE} samples per side (it is quadratic in N).`,
    );
  }
  const [result] = await runDetectors([{ detector: energyDetector, options: { permutations } }], {
    reference: ref,
    target: tgt,
    rng,
    progress,
    design: energyDesign,
    alpha,
  });
  return subsampled ? { ...result, details: { ...result.details, subsampledPerSide: ENERGY_MAX_PER_SIDE } } : result;
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
