/**
 * Label-efficiency curve of the target-only probe: how accurate is a probe trained on m randomly chosen target
 * labels (m = 10, 20, 50, …), scored on the remaining target rows? Each size is drawn several times (seeded);
 * the curve reports the mean accuracy and the 2.5–97.5 percentiles over draws (the spread a team would see
 * labelling one random batch of that size). Sizes that would leave fewer than max(10, 20 %) rows to score on
 * are skipped. A draw that happens to contain one class gives the single-class model (it predicts that class).
 */
import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import { quantileSorted } from './bootstrap.js';
import { foldPath } from '../learn/crossValidation.js';
import { withFoldRunner } from '../learn/foldPool.js';
import { argmaxRows, DEFAULT_LOGISTIC_OPTIONS, type LogisticRegressionOptions } from '../learn/logisticRegression.js';

export interface LabelEfficiencyPoint {
  nLabels: number;
  accuracy: number;
  lower: number;
  upper: number;
}

export const DEFAULT_LABEL_EFFICIENCY_SIZES: readonly number[] = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

export function usableSizes(sizes: readonly number[], n: number): number[] {
  const holdOut = Math.max(10, Math.ceil(0.2 * n));
  return [...new Set(sizes)].filter((m) => Number.isInteger(m) && m >= 2 && m <= n - holdOut).sort((a, b) => a - b);
}

export async function labelEfficiencyCurve(
  x: Matrix,
  labels: Int32Array,
  nClasses: number,
  settings: {
    sizes: readonly number[];
    draws: number;
    solver: Partial<LogisticRegressionOptions>;
    rng: Rng;
    onFit?: () => void;
  },
): Promise<LabelEfficiencyPoint[]> {
  const n = labels.length;
  const sizes = usableSizes(settings.sizes, n);
  // Every draw's rows first, in the order one loop would draw them; then the fits, on worker threads when the
  // matrix is large (foldPool.ts: the same deterministic fit and scoring, so the same numbers either way).
  const jobs = sizes.flatMap((m) => {
    const rng = settings.rng.fork(`size-${m}`);
    return Array.from({ length: settings.draws }, () => {
      const chosen = rng.sample(n, m);
      const inTraining = new Uint8Array(n);
      chosen.forEach((i) => (inTraining[i] = 1));
      const heldOut: number[] = [];
      for (let i = 0; i < n; i++) if (!inTraining[i]) heldOut.push(i);
      return { train: Array.from(chosen), test: heldOut };
    });
  });
  const lambda = settings.solver.regularization ?? DEFAULT_LOGISTIC_OPTIONS.regularization;
  const order = [lambda];
  const accuracies = await withFoldRunner(x, labels, nClasses, jobs.length, settings.solver, (runner) =>
    Promise.all(
      jobs.map(async ({ train, test }) => {
        // foldPath at one λ = fitLogisticRegression on the chosen rows (cold start) + its held-out probabilities.
        const path = runner
          ? await runner({ train, test, order })
          : foldPath(x, labels, nClasses, train, test, order, settings.solver);
        settings.onFit?.();
        const predicted = argmaxRows(path.probabilities[0], nClasses);
        let correct = 0;
        test.forEach((row, k) => (correct += predicted[k] === labels[row] ? 1 : 0));
        return correct / test.length;
      }),
    ),
  );
  return sizes.map((m, s) => {
    const draws = Float64Array.from(accuracies.slice(s * settings.draws, (s + 1) * settings.draws));
    const sorted = Float64Array.from(draws).sort();
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    return { nLabels: m, accuracy: mean, lower: quantileSorted(sorted, 0.025), upper: quantileSorted(sorted, 0.975) };
  });
}
