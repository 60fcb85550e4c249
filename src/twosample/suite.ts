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

export interface SuiteDecision {
  alpha: number;
  correction: FamilyCorrection;
  minEffect: number | null;
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
  options: { alpha: number; correction: FamilyCorrection; minEffect: number | null },
): SuiteRun {
  const withP = tests.map((t, i) => ({ t, i })).filter(({ t }) => t.pValue !== null);
  const raw = withP.map(({ t }) => t.pValue as number);
  const adjusted =
    options.correction === 'holm' ? holmAdjust(raw) : raw.map((p) => Math.min(1, p * raw.length));
  const adjustedByIndex = new Map<number, number>();
  withP.forEach(({ i }, k) => adjustedByIndex.set(i, adjusted[k]));

  let statisticallySignificant = false;
  let practicallySignificant = false;
  const decided = tests.map((t, i) => {
    const pAdj = adjustedByIndex.get(i) ?? null;
    const significant = pAdj !== null && pAdj <= options.alpha;
    const practical = options.minEffect === null || Math.abs(t.effectSize) >= options.minEffect;
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
