import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createMatrix, type Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { fitReferenceProbe, fittedMaxFitRows, runProbe, type ProbeInput } from '../../src/probe/runProbe.js';

const D = 10;
/** Fixed class centres (seed 1), so reference and target share the concept unless a test changes it. */
const CENTRES: Record<string, number[]> = (() => {
  const rng = createRng(1);
  return Object.fromEntries(['a', 'b', 'c'].map((c) => [c, Array.from({ length: D }, () => rng.normal() * 1.2)]));
})();

function sample(labels: string[], rng: Rng, offset = 0, centreOf = (label: string) => CENTRES[label]): Matrix {
  const m = createMatrix(labels.length, D);
  labels.forEach((label, i) => {
    const centre = centreOf(label) ?? new Array(D).fill(0);
    for (let j = 0; j < D; j++) m.data[i * D + j] = centre[j] + offset + rng.normal();
  });
  return m;
}

function labelsOf(counts: Record<string, number>): string[] {
  return Object.entries(counts).flatMap(([label, n]) => new Array<string>(n).fill(label));
}

function input(overrides: Partial<ProbeInput> & Pick<ProbeInput, 'reference' | 'referenceLabels'>): ProbeInput {
  return {
    target: overrides.reference,
    targetLabels: null,
    labelMap: null,
    rng: createRng(7),
    progress: silentProgress,
    ...overrides,
  };
}

describe('runProbe', () => {
  const rng = createRng(42);
  const referenceLabels = labelsOf({ a: 150, b: 150 });
  const reference = sample(referenceLabels, rng);

  it('same concept on both sides: small transfer gap whose interval covers 0; separable target', async () => {
    const targetLabels = labelsOf({ a: 120, b: 80 });
    const result = await runProbe(
      input({ reference, referenceLabels, target: sample(targetLabels, rng, 0.3), targetLabels }),
    );
    expect(result.classes).toEqual(['a', 'b']);
    expect(result.reference.n).toBe(300);
    expect(result.reference.folds).toBe(5);
    expect(result.reference.converged).toBe(true);
    // Bayes accuracy is Φ(1.5) ≈ 0.93
    expect(result.reference.accuracy.estimate).toBeGreaterThan(0.8);
    const transfer = result.transfer!;
    expect(transfer.n).toBe(200);
    expect(transfer.nExcludedUnseenClass).toBe(0);
    expect(Math.abs(transfer.gap.estimate)).toBeLessThan(0.06);
    expect(transfer.gap.lower).toBeLessThan(0);
    expect(transfer.gap.upper).toBeGreaterThan(0);
    expect(transfer.gap.estimate).toBeCloseTo(result.reference.accuracy.estimate - transfer.accuracy.estimate, 12);
    // Confusion rows are true classes and add up to the class counts.
    expect(transfer.confusion.classes).toEqual(['a', 'b']);
    expect(transfer.confusion.matrix.map((row) => row.reduce((s, v) => s + v, 0))).toEqual([120, 80]);
    const own = result.targetOnly!;
    expect(own.majorityBaseline).toBeCloseTo(0.6, 12);
    expect(own.accuracy.estimate).toBeGreaterThan(0.9);
    // Separability gap: the reference's error reduction (baseline 0.5) carried to the target's 0.6 baseline.
    expect(result.reference.majorityBaseline).toBeCloseTo(0.5, 12);
    const er = (result.reference.accuracy.estimate - 0.5) / 0.5;
    const gap = own.separabilityGap!;
    expect(gap.estimate).toBeCloseTo(0.6 + er * 0.4 - own.accuracy.estimate, 12);
    expect(gap.lower).toBeLessThan(0.05);
    expect(gap.lower).toBeLessThanOrEqual(gap.estimate);
    expect(gap.upper).toBeGreaterThanOrEqual(gap.estimate);
    for (const interval of [
      result.reference.accuracy,
      result.reference.macroF1,
      transfer.accuracy,
      transfer.macroF1,
      own.accuracy,
    ]) {
      expect(interval.lower).toBeLessThanOrEqual(interval.estimate);
      expect(interval.upper).toBeGreaterThanOrEqual(interval.estimate);
      expect(interval.level).toBe(0.95);
    }
  });

  it('labels assigned differently on the target (concept shift): a large gap with an interval away from 0', async () => {
    const targetLabels = labelsOf({ a: 100, b: 100 });
    // Target "a" texts sit where reference "b" texts are, and vice versa.
    const target = sample(targetLabels, rng, 0, (label) => CENTRES[label === 'a' ? 'b' : 'a']);
    const result = await runProbe(input({ reference, referenceLabels, target, targetLabels }));
    expect(result.transfer!.accuracy.estimate).toBeLessThan(0.2);
    expect(result.transfer!.gap.lower).toBeGreaterThan(0.6);
    // …while the target's own labels are still perfectly learnable.
    expect(result.targetOnly!.accuracy.estimate).toBeGreaterThan(0.9);
  });

  it('target classes the reference never saw are excluded from transfer metrics and counted', async () => {
    const targetLabels = labelsOf({ a: 50, b: 50, c: 30 });
    const result = await runProbe(
      input({ reference, referenceLabels, target: sample(targetLabels, rng), targetLabels }),
    );
    expect(result.classes).toEqual(['a', 'b', 'c']);
    expect(result.transfer!.n).toBe(100);
    expect(result.transfer!.nExcludedUnseenClass).toBe(30);
    expect(result.transfer!.unseenClasses).toEqual(['c']);
    expect(result.notes!.some((n) => n.includes('30') && n.includes('"c"'))).toBe(true);
    // The target-only probe keeps all three classes.
    expect(result.targetOnly!.n).toBe(130);
    expect(result.targetOnly!.classes).toEqual(['a', 'b', 'c']);
  });

  it('empty labels are excluded and counted; the label map applies to both sides', async () => {
    const raw: string[] = referenceLabels.map((l) => (l === 'a' ? '0' : '4'));
    raw[0] = '';
    raw[1] = '  ';
    const targetLabels = labelsOf({ negative: 40, positive: 40, '': 5 });
    const target = sample(targetLabels, rng, 0, (l) => CENTRES[l === 'negative' ? 'a' : 'b']);
    const result = await runProbe(
      input({
        reference,
        referenceLabels: raw,
        target,
        targetLabels,
        labelMap: { '0': 'negative', '4': 'positive' },
      }),
    );
    expect(result.excludedEmptyLabels).toEqual({ reference: 2, target: 5 });
    expect(result.reference.n).toBe(298);
    expect(result.classes).toEqual(['negative', 'positive']);
    expect(result.transfer!.n).toBe(80);
    expect(result.transfer!.nExcludedUnseenClass).toBe(0);
    expect(result.transfer!.accuracy.estimate).toBeGreaterThan(0.85);
    expect(result.labelMap).toEqual({ '0': 'negative', '4': 'positive' });
  });

  it('is identical across runs with the same seed, and differs with another seed', async () => {
    const targetLabels = labelsOf({ a: 60, b: 60 });
    const target = sample(targetLabels, rng, 0.5);
    const run = (seed: number) =>
      runProbe(input({ reference, referenceLabels, target, targetLabels, rng: createRng(seed) }));
    const [one, two, other] = await Promise.all([run(3), run(3), run(4)]);
    expect(one).toEqual(two);
    // The bootstrap endpoints move with the seed (a single endpoint of a lattice-valued statistic may not).
    const endpoints = (r: typeof one) =>
      [
        r.reference.accuracy,
        r.reference.macroF1,
        r.transfer!.accuracy,
        r.transfer!.gap,
        r.targetOnly!.accuracy,
      ].flatMap((i) => [i.lower, i.upper]);
    expect(endpoints(other)).not.toEqual(endpoints(one));
  });

  it('label-efficiency curve: sizes that leave enough held-out rows, accuracy rising with labels', async () => {
    const targetLabels = labelsOf({ a: 150, b: 150 });
    const target = sample(targetLabels, rng, 0, (l) => CENTRES[l].map((v) => v * 0.25)); // harder: closer centres
    const result = await runProbe(
      input({ reference, referenceLabels, target, targetLabels, options: { labelEfficiencyDraws: 8 } }),
    );
    const curve = result.targetOnly!.labelEfficiency;
    expect(curve.map((p) => p.nLabels)).toEqual([10, 20, 50, 100, 200]); // 300 rows: keep ≥ 60 held out
    for (const p of curve) {
      expect(p.lower).toBeLessThanOrEqual(p.accuracy);
      expect(p.upper).toBeGreaterThanOrEqual(p.accuracy);
    }
    expect(curve[4].accuracy).toBeGreaterThan(curve[0].accuracy);
    expect(result.targetOnly!.labelEfficiencyDraws).toBe(8);
  });

  it('no target labels: transfer and target-only are null', async () => {
    const result = await runProbe(input({ reference, referenceLabels, target: sample(labelsOf({ a: 20 }), rng) }));
    expect(result.transfer).toBeNull();
    expect(result.targetOnly).toBeNull();
    expect(result.excludedEmptyLabels).toEqual({ reference: 0, target: 0 });
  });

  it('a single reference class: the probe predicts it and says so', async () => {
    const single = labelsOf({ a: 40 });
    const targetLabels = labelsOf({ a: 30, b: 10 });
    const result = await runProbe(
      input({
        reference: sample(single, rng),
        referenceLabels: single,
        target: sample(targetLabels, rng),
        targetLabels,
      }),
    );
    expect(result.reference.accuracy.estimate).toBe(1);
    expect(result.transfer!.n).toBe(30);
    expect(result.transfer!.nExcludedUnseenClass).toBe(10);
    expect(result.transfer!.accuracy.estimate).toBe(1);
    expect(result.notes!.some((n) => n.includes('single class'))).toBe(true);
  });

  it('a single target class: no target-only probe, with a note', async () => {
    const targetLabels = labelsOf({ b: 30 });
    const result = await runProbe(
      input({ reference, referenceLabels, target: sample(targetLabels, rng), targetLabels }),
    );
    expect(result.targetOnly).toBeNull();
    expect(result.transfer!.n).toBe(30);
    expect(result.notes!.some((n) => n.includes('nothing to separate'))).toBe(true);
  });

  it('bad input gives an InputError naming the problem', async () => {
    await expect(runProbe(input({ reference, referenceLabels: referenceLabels.slice(1) }))).rejects.toThrow(
      /300 embedded rows/,
    );
    const empty = new Array<string>(300).fill('');
    empty[5] = 'a';
    await expect(runProbe(input({ reference, referenceLabels: empty }))).rejects.toBeInstanceOf(InputError);
    const bad = createMatrix(3, D);
    bad.data[D + 2] = Number.NaN;
    await expect(runProbe(input({ reference: bad, referenceLabels: ['a', 'b', 'a'] }))).rejects.toThrow(/row 1/);
    await expect(runProbe(input({ reference, referenceLabels, options: { maxFitRows: 3 } }))).rejects.toThrow(
      /maxFitRows must be an integer ≥ 4 or Infinity \(no cap\), got 3/,
    );
  });
});

/** Rows of two alternating classes a/b, 3 columns, the first shifted by ±1.5 (Bayes accuracy Φ(1.5) ≈ 0.93). */
function twoClassRows(rng: ReturnType<typeof createRng>) {
  return (n: number) => {
    const m = createMatrix(n, 3);
    const labels: string[] = [];
    for (let i = 0; i < n; i++) {
      const y = i % 2;
      labels.push(y ? 'b' : 'a');
      for (let j = 0; j < 3; j++) m.data[i * 3 + j] = rng.normal() + (y ? 1.5 : -1.5) * (j === 0 ? 1 : 0);
    }
    return { m, labels };
  };
}

describe('runProbe on more labelled rows than it trains on', () => {
  it('trains on a seeded subsample of maxTrainingRows, says so, and still scores every target row', async () => {
    const make = twoClassRows(createRng(11));
    const ref = make(400);
    const tgt = make(300);
    const result = await runProbe({
      reference: ref.m,
      referenceLabels: ref.labels,
      target: tgt.m,
      targetLabels: tgt.labels,
      labelMap: null,
      rng: createRng(5),
      progress: silentProgress,
      options: { maxTrainingRows: 100, bootstrapReplicates: 50, labelEfficiencySizes: [10, 50] },
    });
    expect(result.reference.n).toBe(100);
    expect(result.transfer?.n).toBe(300);
    expect(result.notes?.join(' ')).toMatch(/random 100 of the 400 labelled reference rows/);
    expect(result.notes?.join(' ')).toMatch(/random 100 of the 300 labelled target rows/);
    // Bayes accuracy is Φ(1.5) ≈ 0.93
    expect(result.reference.accuracy.estimate).toBeGreaterThan(0.8);
  });

  it('maxFitRows: fits train on a seeded sample, every row is still scored, and below the cap nothing changes', async () => {
    const make = twoClassRows(createRng(13));
    const ref = make(500);
    const tgt = make(400);
    const run = (options: Record<string, number | number[]>) =>
      runProbe({
        reference: ref.m,
        referenceLabels: ref.labels,
        target: tgt.m,
        targetLabels: tgt.labels,
        labelMap: null,
        rng: createRng(5),
        progress: silentProgress,
        options: { bootstrapReplicates: 50, labelEfficiencySizes: [10, 50, 200], ...options },
      });
    const capped = await run({ maxFitRows: 120 });
    expect(capped.reference.fitRows).toBe(120);
    // No fit trains on more than 120 rows: the label-efficiency size 200 is left out, and the notes say so.
    expect(capped.targetOnly?.labelEfficiency.map((p) => p.nLabels)).toEqual([10, 50]);
    expect(capped.notes?.join(' ')).toMatch(/stops at maxFitRows \(120 labels\): 200 left out/);

    expect(capped.targetOnly?.fitRows).toBe(120);
    // Every labelled row scored out of fold, the transfer on every target row.
    expect(capped.reference.n).toBe(500);
    expect(capped.transfer?.n).toBe(400);
    expect(capped.notes?.join(' ')).toMatch(/random 120 of its training rows.*every one of the 500 rows/);
    expect(capped.notes?.join(' ')).toMatch(/trained on 120 rows/);
    expect(capped.reference.accuracy.estimate).toBeGreaterThan(0.8); // Φ(1.5) ≈ 0.93 with 120 rows too
    // At or above the labelled rows per side (500: the final reference fit uses them all) the cap is inactive.
    const [atCap, uncapped] = await Promise.all([
      run({ maxFitRows: 500 }),
      run({ maxFitRows: Number.POSITIVE_INFINITY }),
    ]);
    // The result records the cap it ran with (null: none); the numbers are the same.
    expect(capped.maxFitRows).toBe(120);
    expect(atCap.maxFitRows).toBe(500);
    expect(uncapped.maxFitRows).toBeNull();
    expect({ ...atCap, maxFitRows: null }).toEqual(uncapped);
    expect(uncapped.reference.fitRows).toBe(400);
    expect(uncapped.targetOnly?.labelEfficiency.map((p) => p.nLabels)).toEqual([10, 50, 200]);
    expect(uncapped.notes?.join(' ') ?? '').not.toMatch(/maxFitRows/);
  });

  it("a fitted reference probe records its cap; older bundles' caps are inferred from what they hold", async () => {
    const ref = twoClassRows(createRng(3))(60);
    const fitWithCap = (maxFitRows: number) =>
      fitReferenceProbe({
        reference: ref.m,
        referenceLabels: ref.labels,
        labelMap: null,
        rng: createRng(1),
        progress: silentProgress,
        options: { bootstrapReplicates: 20, maxFitRows },
      });
    const [capped, open] = await Promise.all([fitWithCap(20), fitWithCap(Number.POSITIVE_INFINITY)]);
    expect([capped.maxFitRows, open.maxFitRows]).toEqual([20, null]);
    expect([fittedMaxFitRows(capped), fittedMaxFitRows(open)]).toEqual([20, Number.POSITIVE_INFINITY]);
    // Written before the cap was recorded: with fitRows, the default cap (5,000); before fitRows, none.
    const { maxFitRows: _cap, ...older } = capped;
    expect(fittedMaxFitRows(older)).toBe(5000);
    const { fitRows: _rows, ...oldest } = older;
    expect(fittedMaxFitRows(oldest)).toBe(Number.POSITIVE_INFINITY);
  });
});
