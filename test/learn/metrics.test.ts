import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { mannWhitneyAuc } from '../../src/learn/auc.js';
import { stratifiedFolds } from '../../src/learn/crossValidation.js';
import { accuracy, confusionMatrix, logLoss, macroF1, majorityShare } from '../../src/learn/metrics.js';

describe('classification metrics', () => {
  const truth = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2];
  const predicted = [0, 1, 0, 1, 2, 2, 2, 0, 2, 2];

  it('accuracy, confusion and macro-F1 on a worked example', () => {
    expect(accuracy(truth, predicted)).toBeCloseTo(0.7, 12);
    expect(confusionMatrix(truth, predicted, 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 4],
    ]);
    // F1 per class: 2·2/(4+1+1) = 2/3, 2·1/(2+1+1) = 1/2, 2·4/(8+1+1) = 4/5 → mean 0.6555…
    expect(macroF1(truth, predicted, 3)).toBeCloseTo((2 / 3 + 1 / 2 + 4 / 5) / 3, 12);
  });

  it('macro-F1 counts a class that is predicted but never true (F1 = 0), and skips absent classes', () => {
    expect(macroF1([0, 0, 1, 1], [0, 0, 1, 3], 5)).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
  });

  it('metrics on an index subset (the bootstrap path) equal metrics on the copied rows', () => {
    const idx = [9, 0, 4, 4, 7];
    expect(accuracy(truth, predicted, idx)).toBeCloseTo(
      accuracy(
        idx.map((i) => truth[i]),
        idx.map((i) => predicted[i]),
      ),
      12,
    );
    expect(macroF1(truth, predicted, 3, idx)).toBeCloseTo(
      macroF1(
        idx.map((i) => truth[i]),
        idx.map((i) => predicted[i]),
        3,
      ),
      12,
    );
  });

  it('log-loss and majority share', () => {
    const p = Float64Array.of(0.8, 0.2, 0.4, 0.6);
    expect(logLoss([0, 1], p, 2)).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(majorityShare(truth, 3)).toBeCloseTo(0.5, 12);
  });
});

describe('AUC and the one-sided Mann–Whitney p-value (golden values from scipy.stats.mannwhitneyu)', () => {
  it('exact distribution, 7 vs 9, no ties', () => {
    const a = [-0.302, -0.824, 0.252, 0.92, 1.636, 0.61, -0.053];
    const b = [-0.785, 0.749, 1.635, 0.273, -1.233, -0.958, 1.6, 0.203, -1.732];
    const r = mannWhitneyAuc(a, b);
    expect(r.method).toBe('exact');
    expect(r.u).toBe(38);
    expect(r.auc).toBeCloseTo(38 / 63, 12);
    expect(r.pValue).toBeCloseTo(0.26800699300699304, 12);
  });

  it('exact distribution, 25 vs 30, no ties (both directions)', () => {
    const a = [85, 73, 17, 21, 83, 95, 19, 39, 77, 81, 24, 110, 20, 96, 8, 4, 106, 60, 50, 38, 82, 84, 54, 16, 104];
    const b = [
      18, 2, 68, 102, 86, 94, 6, 36, 48, 90, 72, 44, 56, 46, 108, 58, 26, 52, 92, 100, 42, 64, 28, 98, 40, 62, 22, 80,
      34, 30,
    ];
    expect(mannWhitneyAuc(a, b).u).toBe(376);
    expect(mannWhitneyAuc(a, b).pValue).toBeCloseTo(0.4966564952004458, 11);
    expect(mannWhitneyAuc(b, a).pValue).toBeCloseTo(0.5100295907072815, 11);
  });

  it('normal approximation with continuity correction, 60 vs 70', () => {
    const a = [
      -0.4198, 0.2602, -0.2804, 0.2004, 2.0012, 0.5791, -1.4761, 1.8335, 0.4478, -0.8414, 1.007, 0.1177, -0.5152,
      -0.5335, -0.8934, 0.1481, 1.1688, -0.2251, 0.5208, 1.9756, -1.1146, 0.3575, -0.2064, -0.9593, -0.9258, 0.0847,
      0.5339, -0.4316, 0.1544, 0.8222, 0.3966, 0.9687, 0.5614, 0.588, 1.9266, 0.7232, 0.2295, 0.8099, -0.8191, -0.2377,
      0.8932, 0.7308, 1.6484, 0.1105, -1.3623, 2.0472, 1.1929, -0.9587, 1.4758, 0.1324, -1.7139, -0.3204, -0.4089,
      1.6908, -0.6921, -0.1536, -0.1768, -0.279, -0.8141, 0.3191,
    ];
    const b = [
      1.0768, 0.624, -0.9275, -1.1498, 0.119, -0.7066, -0.6302, -1.6797, 1.9505, 0.9166, -0.9739, 0.9082, 1.3425,
      -2.3896, -0.5489, -0.388, 0.6483, -0.1215, -0.2304, -0.0584, 1.8533, 2.16, -0.5248, -0.9262, 2.6926, -0.9797,
      -0.5734, 0.0366, 0.4832, 1.029, 0.391, -0.8724, 0.5064, 0.2499, 1.8769, -0.015, -1.337, -1.045, 1.4502, -0.5401,
      -2.1045, -0.5807, 0.0, 1.1888, -1.0145, 0.6667, 0.7953, -0.6994, -0.1876, 1.7695, 1.7205, 0.8555, 0.3319, 1.1383,
      -0.1407, -0.0951, -0.8604, 0.0056, -0.082, 2.7736, -0.1928, 1.2708, 1.3205, -0.1865, 1.1694, -2.1768, 0.0949,
      0.8573, -2.3979, -1.1592,
    ];
    const r = mannWhitneyAuc(a, b);
    expect(r.method).toBe('normal');
    expect(r.u).toBe(2202);
    expect(r.pValue).toBeCloseTo(0.31774293691401123, 6);
  });

  it('ties: mid-ranks and the tie-corrected variance', () => {
    const a = [1, 2, 2, 3, 3, 3, 4];
    const b = [
      1, 1, 2, 2, 3, 5, 0, 0, 1, 2, 2, 2, 3, 3, 1, 0, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2,
      3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3,
    ];
    const r = mannWhitneyAuc(a, b);
    expect(r.u).toBe(245.5);
    expect(r.pValue).toBeCloseTo(0.04695875411374228, 6);
  });

  it('all scores tied: AUC 0.5 and p = 1', () => {
    const r = mannWhitneyAuc([0.3, 0.3, 0.3], [0.3, 0.3]);
    expect(r.auc).toBe(0.5);
    expect(r.pValue).toBe(1);
  });
});

describe('stratified folds', () => {
  it('keep class proportions, balance sizes, and are identical with the same seed', () => {
    const labels = Int32Array.from({ length: 103 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
    const folds = stratifiedFolds(labels, 5, createRng(3));
    expect(Array.from(folds)).toEqual(Array.from(stratifiedFolds(labels, 5, createRng(3))));
    expect(Array.from(folds)).not.toEqual(Array.from(stratifiedFolds(labels, 5, createRng(4))));
    for (let f = 0; f < 5; f++) {
      const rows = Array.from(folds.keys()).filter((i) => folds[i] === f);
      expect(rows.length === 20 || rows.length === 21).toBe(true);
      const ofClass = (c: number) => rows.filter((i) => labels[i] === c).length;
      expect(ofClass(0)).toBe(12);
      expect(ofClass(1)).toBe(6);
      expect([2, 3]).toContain(ofClass(2));
    }
  });
});
