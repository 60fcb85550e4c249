import { describe, expect, it } from 'vitest';
import { concatRows } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { buildPooledMatrix } from '../../src/twosample/kernels/pooledMatrix.js';
import { mmdWeights, quadraticPermutationTest } from '../../src/twosample/kernels/permutationEngine.js';
import {
  bootstrapSide,
  clusterMembers,
  createPermutationDesign,
  distinctLabellings,
  groupedFolds,
  membershipOf,
  referenceRowsOf,
} from '../../src/twosample/permutationDesign.js';
import { directMmd2, gaussianSample, pooledRows } from '../kernel/fixtures.js';

describe('shared permutation design', () => {
  it('row-level labellings: observed first, n1 reference rows each, uniform over rows', () => {
    const design = createPermutationDesign(6, 9, 3000, createRng(1));
    expect(Array.from(referenceRowsOf(design, 0))).toEqual([0, 1, 2, 3, 4, 5]);
    const hits = new Float64Array(15);
    for (let p = 1; p <= 3000; p++) {
      expect(design.referenceCount[p]).toBe(6);
      membershipOf(design, p).forEach((m, i) => (hits[i] += m));
    }
    for (const h of hits) expect(h / 3000).toBeCloseTo(6 / 15, 1);
  });

  it('grouped labellings move whole groups: g1 groups on the reference side, sizes vary', () => {
    // Reference groups of sizes 3, 1, 2; target groups of sizes 2, 2, 4.
    const groups = { reference: [7, 7, 7, 8, 9, 9], target: [7, 7, 1, 1, 2, 2, 2, 2] };
    const design = createPermutationDesign(6, 8, 600, createRng(2), groups);
    expect(design.nClusters).toBe(6);
    expect(design.referenceClusters).toBe(3);
    expect(distinctLabellings(design)).toBe(20);
    const sizes = new Set<number>();
    const chosen = new Float64Array(6);
    for (let p = 1; p <= 600; p++) {
      const member = membershipOf(design, p);
      const picked = new Set<number>();
      for (let i = 0; i < 14; i++) {
        const c = design.clusters?.[i] as number;
        // Every row of a cluster shares its label.
        for (let j = 0; j < 14; j++) if (design.clusters?.[j] === c) expect(member[j]).toBe(member[i]);
        if (member[i] === 1) picked.add(c);
      }
      expect(picked.size).toBe(3);
      for (const c of picked) chosen[c]++;
      sizes.add(design.referenceCount[p]);
    }
    expect(sizes.size).toBeGreaterThan(3);
    for (const c of chosen) expect(c / 600).toBeCloseTo(0.5, 1);
    expect(() => createPermutationDesign(3, 3, 10, createRng(3), { reference: [1, 1, 1], target: [1, 2, 3] })).toThrow(
      /at least 2 groups per side/,
    );
  });

  it('the engine on a grouped design: every labelling equals the direct MMD² at its own sizes', async () => {
    const x = gaussianSample(9, 4, 5);
    const y = gaussianSample(7, 4, 6, 0.5);
    const groups = { reference: [0, 0, 1, 1, 1, 2, 3, 3, 4], target: [0, 0, 0, 1, 2, 2, 3] };
    const design = createPermutationDesign(9, 7, 40, createRng(7), groups);
    const kernel = await buildPooledMatrix(concatRows(x, y), { kind: 'gaussian', sigma: 2 });
    const outcome = await quadraticPermutationTest(kernel, 9, mmdWeights(9, 7), {
      permutations: 40,
      rng: createRng(8),
      design,
      weightsFor: mmdWeights,
    });
    expect(outcome.observed).toBeCloseTo(directMmd2(x, y, 2), 5);
    for (let p = 1; p <= 40; p++) {
      const inX = referenceRowsOf(design, p);
      const set = new Set(inX);
      const rest = Array.from({ length: 16 }, (_, i) => i).filter((i) => !set.has(i));
      expect(outcome.permuted[p - 1]).toBeCloseTo(directMmd2(pooledRows(x, y, inX), pooledRows(x, y, rest), 2), 5);
    }
  });

  it('folds keep groups whole and put both sides in every fold; bootstraps resample whole groups', () => {
    const clusters = Int32Array.from([0, 0, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 7]);
    const { folds, k } = groupedFolds(7, 6, clusters, 5, createRng(4));
    expect(k).toBe(4); // the reference has 4 groups (0–3), the target 4 (4–7)
    for (let i = 0; i < 13; i++)
      for (let j = 0; j < 13; j++) if (clusters[i] === clusters[j]) expect(folds[i]).toBe(folds[j]);
    const members = clusterMembers(0, 7, clusters);
    const draw = bootstrapSide(0, 7, clusters, createRng(5), members);
    // A draw is a union of whole groups: 4 of them, with replacement.
    const counts = new Map<number, number>();
    for (const r of draw) counts.set(clusters[r], (counts.get(clusters[r]) ?? 0) + 1);
    let groupsDrawn = 0;
    for (const [c, count] of counts) {
      const size = members.get(c)?.length as number;
      expect(count % size).toBe(0);
      groupsDrawn += count / size;
    }
    expect(groupsDrawn).toBe(4);
  });
});
