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
import { fitLogisticRegression, predictClasses, type LogisticRegressionOptions } from '../learn/logisticRegression.js';

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

export function labelEfficiencyCurve(
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
): LabelEfficiencyPoint[] {
  const n = labels.length;
  return usableSizes(settings.sizes, n).map((m) => {
    const rng = settings.rng.fork(`size-${m}`);
    const accuracies = new Float64Array(settings.draws);
    for (let draw = 0; draw < settings.draws; draw++) {
      const chosen = rng.sample(n, m);
      const inTraining = new Uint8Array(n);
      chosen.forEach((i) => (inTraining[i] = 1));
      const heldOut: number[] = [];
      for (let i = 0; i < n; i++) if (!inTraining[i]) heldOut.push(i);
      const model = fitLogisticRegression(x, labels, nClasses, { ...settings.solver, rows: chosen });
      settings.onFit?.();
      const predicted = predictClasses(model, x, heldOut);
      let correct = 0;
      heldOut.forEach((row, k) => (correct += predicted[k] === labels[row] ? 1 : 0));
      accuracies[draw] = correct / heldOut.length;
    }
    const sorted = Float64Array.from(accuracies).sort();
    const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    return { nLabels: m, accuracy: mean, lower: quantileSorted(sorted, 0.025), upper: quantileSorted(sorted, 0.975) };
  });
}
