/**
 * Runs the chosen two-sample detectors and makes the family-wise decision: Holm (default) or Bonferroni over
 * every test that returned a p-value, so the suite's false-positive rate stays ≤ α; then `minEffect`
 * separates statistically significant from practically significant shifts (large-N users need this:
 * with enough samples every test rejects).
 */
import type { Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { TwoSampleDetector, TwoSampleTestResult } from './detector.js';
import { holmAdjust } from './pvalues/multipleTesting.js';

export type FamilyCorrection = 'holm' | 'bonferroni';

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
  options: { alpha: number; correction: FamilyCorrection; minEffect: MinEffect },
): SuiteRun {
  const withP = tests.map((t, i) => ({ t, i })).filter(({ t }) => t.pValue !== null);
  const raw = withP.map(({ t }) => t.pValue as number);
  const adjusted = options.correction === 'holm' ? holmAdjust(raw) : raw.map((p) => Math.min(1, p * raw.length));
  const adjustedByIndex = new Map<number, number>();
  withP.forEach(({ i }, k) => adjustedByIndex.set(i, adjusted[k]));

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
  return {
    tests: decided,
    decision: {
      alpha: options.alpha,
      correction: options.correction,
      minEffect: options.minEffect,
      statisticallySignificant,
      practicallySignificant,
      shiftDetected: practicallySignificant,
    },
  };
}

/** Run each planned detector on its own forked random stream (so adding a test never changes another's result). */
export async function runDetectors(
  planned: PlannedTest[],
  data: { reference: Matrix; target: Matrix; rng: Rng; progress: Progress },
): Promise<TwoSampleTestResult[]> {
  const results: TwoSampleTestResult[] = [];
  for (const { detector, options } of planned) {
    const started = performance.now();
    const result = await detector.run(
      { reference: data.reference, target: data.target, rng: data.rng.fork(detector.name), progress: data.progress },
      options,
    );
    results.push({ ...result, timingMs: result.timingMs || performance.now() - started });
  }
  return results;
}
