/**
 * Runs the chosen two-sample detectors and makes the family-wise decision, so the suite's false-positive rate stays
 * ≤ α; then `minEffect` separates statistically significant from practically significant shifts (large-N users
 * need this: with enough samples every test rejects).
 *
 * The family: tests that recorded their statistics on the suite's SHARED labellings (permutationDesign.ts) form
 * one member, adjusted among themselves by Westfall–Young step-down min-P (exact, and nearly free when the tests
 * are correlated); the member's p-value is its smallest adjusted p-value. That member and every other test with a
 * p-value are combined by Holm (default) or Bonferroni. A joint test's final adjusted p-value is
 * max(adjusted p of the member, c · its Westfall–Young p-value), c the member's Holm (or Bonferroni) multiplier:
 * it rejects when the member does and its own min-P-adjusted p-value passes the member's share of α. Without
 * shared labellings this is plain Holm/Bonferroni over all tests.
 */
import type { Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { TwoSampleDetector, TwoSampleTestResult } from './detector.js';
import type { PermutationDesign, RecordedNull } from './permutationDesign.js';
import { holmAdjust } from './pvalues/multipleTesting.js';
import { westfallYoungAdjust } from './pvalues/westfallYoung.js';

export type FamilyCorrection = 'holm' | 'bonferroni';

/**
 * Prior weights of the jointly adjusted tests (weighted Westfall–Young, pvalues/westfallYoung.ts): the share of α
 * each gets when the tests disagree. Any weights keep the family-wise error exact; they only move power. Chosen on
 * held-out pairs (bench/verdictCalibration.ts `weights`, docs/BENCHMARKS.md): on UCI amazon → yelp and SOTU
 * 1946–89 → 1990–2021 at n = 20 and 50 (200 trials each), the weights on a 0.05 grid (energy, Fréchet and centroid
 * sharing equally) with the smallest largest shortfall below the best single test; scored on the SpamAssassin
 * pairs it never saw (easy-ham-1 → easy-ham-2 / hard-ham-1 / spam-2, 1200 trials), the combined decision stayed
 * within 0.015 of the best single test in every cell (easy-ham-2 at n = 50: −0.010 ± 0.017, where the previous
 * c2st 0.5 / mmd 0.25 / ks-pca 0.1 / others 0.05 trailed by 0.030 ± 0.019, and by 0.05 ± 0.02 in the grid).
 * Tests not named get 0.05.
 */
export const DEFAULT_JOINT_WEIGHTS: Readonly<Record<string, number>> = {
  c2st: 0.45,
  mmd: 0.15,
  'ks-pca': 0.1,
  energy: 0.1,
  frechet: 0.1,
  centroid: 0.1,
};

/**
 * Smallest effect size that counts as a practical shift: one number for every test, or per test name
 * (tests not named have no minimum). Effect sizes are on each test's own scale, so per-test values are the
 * precise form (e.g. {"c2st": 0.1, "mmd": 0.05}).
 */
export type MinEffect = number | Record<string, number> | null;

/** The minimum effect that applies to one test, or null when none does. */
export function minEffectFor(minEffect: MinEffect, testName: string): number | null {
  if (minEffect === null) return null;
  if (typeof minEffect === 'number') return minEffect;
  return Object.hasOwn(minEffect, testName) ? minEffect[testName] : null;
}

/** "0.05" or "c2st 0.1, mmd 0.05", for sentences. */
export function describeMinEffect(minEffect: MinEffect, format: (x: number) => string): string {
  if (minEffect === null) return 'none';
  if (typeof minEffect === 'number') return format(minEffect);
  return Object.entries(minEffect)
    .map(([name, value]) => `${name} ${format(value)}`)
    .join(', ');
}

export interface SuiteDecision {
  alpha: number;
  correction: FamilyCorrection;
  minEffect: MinEffect;
  statisticallySignificant: boolean;
  practicallySignificant: boolean;
  shiftDetected: boolean;
  /** Tests adjusted jointly by Westfall–Young min-P on the shared labellings (empty: none). */
  jointTests: string[];
  /** The family-wise p-value of "some test rejects": the smallest adjusted p-value (null when no test has one). */
  combinedPValue: number | null;
  /** How the adjusted p-values were made, one sentence. */
  method: string;
  /** Groups per side when rows are grouped (filled by the pipeline's suite), else null. */
  groups?: { reference: number; target: number } | null;
}

export interface SuiteRun {
  tests: TwoSampleTestResult[];
  decision: SuiteDecision;
}

export interface PlannedTest {
  detector: TwoSampleDetector;
  options?: Record<string, unknown>;
}

/**
 * Effect sizes differ in scale between tests, so `minEffect` is compared with each test's own effect size;
 * tests whose effect-size scale is not comparable (statistic-only) are judged on their p-value alone.
 */
export function decideSuite(
  tests: TwoSampleTestResult[],
  options: {
    alpha: number;
    correction: FamilyCorrection;
    minEffect: MinEffect;
    /** Statistics on shared labellings by test name (PermutationDesign.ledger). */
    joint?: ReadonlyMap<string, RecordedNull>;
    /** Weights of the joint tests (default DEFAULT_JOINT_WEIGHTS; {} for equal weights). */
    jointWeights?: Readonly<Record<string, number>>;
  },
): SuiteRun {
  const withP = tests.map((t, i) => ({ t, i })).filter(({ t }) => t.pValue !== null);
  const jointIndices = withP.filter(({ t }) => options.joint?.has(t.name)).map(({ i }) => i);
  const adjustedByIndex = new Map<number, number>();
  let jointTests: string[] = [];
  if (jointIndices.length >= 2) {
    jointTests = jointIndices.map((i) => tests[i].name);
    const weights = options.jointWeights ?? DEFAULT_JOINT_WEIGHTS;
    const weightOf = (name: string) =>
      Object.keys(weights).length === 0 ? 1 : Object.hasOwn(weights, name) ? weights[name] : 0.05;
    const wy = westfallYoungAdjust(
      jointIndices.map((i) => ({
        name: tests[i].name,
        ...(options.joint?.get(tests[i].name) as RecordedNull),
        weight: weightOf(tests[i].name),
      })),
    );
    const others = withP.filter(({ i }) => !jointIndices.includes(i));
    // Members: the joint family (its smallest min-P-adjusted p-value), then every other test.
    const memberP = [Math.min(...wy.adjusted), ...others.map(({ t }) => t.pValue as number)];
    const m = memberP.length;
    const memberAdjusted = options.correction === 'holm' ? holmAdjust(memberP) : memberP.map((p) => Math.min(1, p * m));
    // The joint member's multiplier: its Holm step (m − rank) or m for Bonferroni.
    const rank = memberP.filter((p) => p < memberP[0]).length;
    const multiplier = options.correction === 'holm' ? m - rank : m;
    jointIndices.forEach((i, k) =>
      adjustedByIndex.set(i, Math.min(1, Math.max(memberAdjusted[0], multiplier * wy.adjusted[k]))),
    );
    others.forEach(({ i }, k) => adjustedByIndex.set(i, memberAdjusted[k + 1]));
  } else {
    const raw = withP.map(({ t }) => t.pValue as number);
    const adjusted = options.correction === 'holm' ? holmAdjust(raw) : raw.map((p) => Math.min(1, p * raw.length));
    withP.forEach(({ i }, k) => adjustedByIndex.set(i, adjusted[k]));
  }

  let statisticallySignificant = false;
  let practicallySignificant = false;
  const decided = tests.map((t, i) => {
    const pAdj = adjustedByIndex.get(i) ?? null;
    const significant = pAdj !== null && pAdj <= options.alpha;
    const minimum = minEffectFor(options.minEffect, t.name);
    const practical = minimum === null || Math.abs(t.effectSize) >= minimum;
    if (significant) statisticallySignificant = true;
    if (significant && practical) practicallySignificant = true;
    return { ...t, pValueAdjusted: pAdj, shift: significant && practical };
  });
  const adjustedValues = [...adjustedByIndex.values()];
  const correctionName = options.correction === 'holm' ? 'Holm' : 'Bonferroni';
  const method =
    jointTests.length >= 2
      ? `weighted Westfall–Young step-down min-P over ${jointTests.map((t) => t).join(', ')} (shared permutations), then ${correctionName} ` +
        `over that family and ${
          withP.length - jointTests.length === 0
            ? 'no other test'
            : withP
                .filter(({ i }) => !jointIndices.includes(i))
                .map(({ t }) => t.name)
                .join(', ')
        }`
      : `${correctionName} over ${withP.map(({ t }) => t.name).join(', ') || 'no test'}`;
  return {
    tests: decided,
    decision: {
      alpha: options.alpha,
      correction: options.correction,
      minEffect: options.minEffect,
      statisticallySignificant,
      practicallySignificant,
      shiftDetected: practicallySignificant,
      jointTests,
      combinedPValue: adjustedValues.length > 0 ? Math.min(...adjustedValues) : null,
      method,
    },
  };
}

/** Run each planned detector on its own forked random stream (so adding a test never changes another's result). */
export async function runDetectors(
  planned: PlannedTest[],
  data: {
    reference: Matrix;
    target: Matrix;
    rng: Rng;
    progress: Progress;
    design?: PermutationDesign;
    alpha?: number;
  },
): Promise<TwoSampleTestResult[]> {
  const results: TwoSampleTestResult[] = [];
  for (const { detector, options } of planned) {
    const started = performance.now();
    const result = await detector.run(
      {
        reference: data.reference,
        target: data.target,
        rng: data.rng.fork(detector.name),
        progress: data.progress,
        ...(data.design ? { design: data.design } : {}),
        ...(data.alpha !== undefined ? { alpha: data.alpha } : {}),
      },
      options,
    );
    results.push({ ...result, timingMs: result.timingMs || performance.now() - started });
  }
  return results;
}
