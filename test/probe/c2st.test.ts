import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { gaussian } from '../helpers/gaussian.js';
import { c2stDetector, runC2st } from '../../src/twosample/c2st.js';

describe('C2ST', () => {
  it('has power against a mean shift, and the AUC measures it', async () => {
    // 10 repetitions (30 took 2.5 s): every one rejects at this shift (p ≈ 1e-3), AUCs 0.68–0.83.
    const REPS = 10;
    const rng = createRng(7);
    let rejections = 0;
    let aucTotal = 0;
    for (let r = 0; r < REPS; r++) {
      const { result } = await runC2st({
        reference: gaussian(100, 30, rng),
        target: gaussian(100, 30, rng, 0.4, 10),
        rng: rng.fork(`rep-${r}`),
        progress: silentProgress,
      });
      if ((result.pValue as number) <= 0.05) rejections++;
      aucTotal += result.statistic;
      expect(result.effectSize).toBeCloseTo(result.statistic - 0.5, 12);
    }
    expect(rejections / REPS).toBeGreaterThanOrEqual(0.8);
    // Bayes-optimal AUC for this shift is Φ(0.4·√10 / √2) ≈ 0.81; a fitted classifier gets less.
    expect(aucTotal / REPS).toBeGreaterThan(0.65);
    expect(aucTotal / REPS).toBeLessThan(0.82);
  });

  it('out-of-fold probabilities point at the target rows that drove the shift', async () => {
    const rng = createRng(11);
    const reference = gaussian(200, 20, rng);
    const target = gaussian(200, 20, rng);
    // 30 target rows come from a distant cluster.
    for (let i = 0; i < 30; i++) for (let j = 0; j < 20; j++) target.data[i * 20 + j] += 2;
    const run = await runC2st({ reference, target, rng: createRng(1), progress: silentProgress });
    expect(run.referenceProbability.length).toBe(200);
    expect(run.targetProbability.length).toBe(200);
    const ranked = Array.from(run.targetProbability.keys()).sort(
      (a, b) => run.targetProbability[b] - run.targetProbability[a],
    );
    const topThirty = ranked.slice(0, 30).filter((i) => i < 30).length;
    expect(topThirty).toBeGreaterThanOrEqual(27);
    expect(run.result.pValue as number).toBeLessThan(1e-3);
    expect(run.result.name).toBe('c2st');
    expect(run.result.details.folds).toBe(5);
  });

  it('subsamples above maxPerSide (seeded), says so, and still scores every row', async () => {
    const rng = createRng(5);
    const reference = gaussian(150, 8, rng);
    const target = gaussian(90, 8, rng, 1);
    const options = { maxPerSide: 60 };
    const run = await runC2st({ reference, target, rng: createRng(3), progress: silentProgress }, options);
    expect(run.result.details.subsampled).toBe(true);
    expect(run.result.details.nReference).toBe(60);
    expect(run.result.details.nTarget).toBe(60);
    expect(run.result.method).toMatch(/subsampled to 60 rows per side/);
    for (const p of [...run.referenceProbability, ...run.targetProbability]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    const again = await runC2st({ reference, target, rng: createRng(3), progress: silentProgress }, options);
    expect(again.result.statistic).toBe(run.result.statistic);
    expect(again.result.pValue).toBe(run.result.pValue);
    expect(Array.from(again.targetProbability)).toEqual(Array.from(run.targetProbability));
  });

  it('identical constant samples give AUC 0.5 and p = 1, never NaN', async () => {
    const constant = createMatrix(20, 4, new Float32Array(80).fill(0.25));
    const { result } = await runC2st({
      reference: constant,
      target: constant,
      rng: createRng(1),
      progress: silentProgress,
    });
    expect(result.statistic).toBe(0.5);
    expect(result.pValue).toBe(1);
    expect(result.effectSize).toBe(0);
  });

  it('rejects unusable input with InputError', async () => {
    const rng = createRng(1);
    const run = (reference: Matrix, target: Matrix) => runC2st({ reference, target, rng, progress: silentProgress });
    await expect(run(gaussian(1, 3, rng), gaussian(10, 3, rng))).rejects.toBeInstanceOf(InputError);
    await expect(run(gaussian(10, 3, rng), gaussian(10, 4, rng))).rejects.toThrow(/dimensions/);
    const bad = gaussian(10, 3, rng);
    bad.data[7] = Number.POSITIVE_INFINITY;
    await expect(run(gaussian(10, 3, rng), bad)).rejects.toThrow(/target embedding row 2/);
  });

  it('the detector interface returns the same result as runC2st', async () => {
    const rng = createRng(9);
    const reference = gaussian(40, 5, rng);
    const target = gaussian(40, 5, rng, 0.5);
    const direct = await runC2st({ reference, target, rng: createRng(4), progress: silentProgress });
    const viaDetector = await c2stDetector.run({ reference, target, rng: createRng(4), progress: silentProgress });
    expect(c2stDetector.name).toBe('c2st');
    expect(viaDetector.statistic).toBe(direct.result.statistic);
    expect(viaDetector.pValue).toBe(direct.result.pValue);
  });

  // Their level on 60 nulls (≤ 9 of 60 at 0.05) is checked in test/stats/c2stPermutationCalibration.test.ts.
  it('permutation p-values: (1+b)/(1+P), near 1/(1+P) on a clear shift, not small on nulls', async () => {
    const rng = createRng(13);
    const shifted = await runC2st(
      {
        reference: gaussian(30, 5, rng),
        target: gaussian(30, 5, rng, 1.5),
        rng: createRng(1),
        progress: silentProgress,
      },
      { pValueMethod: 'permutation', permutations: 39 },
    );
    expect(shifted.result.pValue).toBeCloseTo(1 / 40, 12);
    expect(shifted.result.method).toMatch(/permutation/);
    const nullPs: number[] = [];
    for (let r = 0; r < 6; r++) {
      const { result } = await runC2st(
        {
          reference: gaussian(25, 4, rng),
          target: gaussian(25, 4, rng),
          rng: rng.fork(`p-${r}`),
          progress: silentProgress,
        },
        { pValueMethod: 'permutation', permutations: 19 },
      );
      const p = result.pValue as number;
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(Math.round(p * 20)).toBeCloseTo(p * 20, 9); // a multiple of 1/20
      nullPs.push(p);
    }
    // Not small on nulls: at level 0.05, 3 or more rejections of 6 happen with probability 0.002.
    expect(nullPs.filter((p) => p <= 0.05).length).toBeLessThanOrEqual(2);
    expect(new Set(nullPs).size).toBeGreaterThan(1);
  });
});
