import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { confusionCounts, macroF1, macroF1FromConfusion } from '../../src/learn/metrics.js';
import {
  binaryCounts,
  bootstrapInterval,
  countBootstrapInterval,
  quantileSorted,
  shareRight,
} from '../../src/probe/bootstrap.js';
import { binomialProbability, drawBinomial, drawMultinomial } from '../../src/probe/countDraws.js';
import { kFoldProbe, meanOf } from '../../src/probe/kFoldProbe.js';
import { encodeLabels, sortedClasses } from '../../src/probe/labels.js';
import { separabilityGap } from '../../src/probe/separability.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

describe('bootstrap intervals', () => {
  it('contain the estimate and shrink roughly like 1/√n', () => {
    const rng = createRng(1);
    const widths = [100, 1600].map((n) => {
      const values = Float64Array.from({ length: n }, () => (rng.next() < 0.7 ? 1 : 0));
      const mean = (idx: Uint32Array) => idx.reduce((s, i) => s + values[i], 0) / idx.length;
      const interval = bootstrapInterval([n], ([idx]) => mean(idx), rng.fork(`b${n}`));
      expect(interval.lower).toBeLessThanOrEqual(interval.estimate);
      expect(interval.upper).toBeGreaterThanOrEqual(interval.estimate);
      // Normal-theory half-width 1.96·√(p(1−p)/n) as an independent check of the scale.
      const p = interval.estimate;
      const expected = 2 * 1.96 * Math.sqrt((p * (1 - p)) / n);
      expect(interval.upper - interval.lower).toBeGreaterThan(0.8 * expected);
      expect(interval.upper - interval.lower).toBeLessThan(1.2 * expected);
      return interval.upper - interval.lower;
    });
    expect(widths[0] / widths[1]).toBeGreaterThan(3);
    expect(widths[0] / widths[1]).toBeLessThan(5);
  });

  it('is reproducible with the same seed and resamples groups independently', () => {
    const a = Float64Array.from({ length: 50 }, (_, i) => i % 3);
    const b = Float64Array.from({ length: 30 }, (_, i) => i % 2);
    const stat = ([ia, ib]: Uint32Array[]) =>
      ia.reduce((s, i) => s + a[i], 0) / ia.length - ib.reduce((s, i) => s + b[i], 0) / ib.length;
    const one = bootstrapInterval([50, 30], stat, createRng(5), { replicates: 300 });
    const two = bootstrapInterval([50, 30], stat, createRng(5), { replicates: 300 });
    expect(one).toEqual(two);
    expect(one.estimate).toBeCloseTo(49 / 50 - 0.5, 12);
    expect(one.lower).toBeLessThan(one.estimate);
    expect(one.upper).toBeGreaterThan(one.estimate);
  });

  it('type-7 quantiles', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
  });
});

// scipy.stats.binom.pmf(k, n, p), scipy 1.17.1.
const SCIPY_PMF: [number, number, number, number][] = [
  [3, 10, 0.3, 0.2668279319999998],
  [40000, 100000, 0.4, 0.002575154551265566],
  [39000, 100000, 0.4, 2.1829168236728424e-12],
  [0, 50, 0.01, 0.6050060671375365],
  [50, 50, 0.99, 0.6050060671375364],
  [1, 2, 0.5, 0.5000000000000002],
  [7, 1000, 0.003, 0.021506534815649705],
  [16, 40, 0.4, 0.12791152438482012],
  [499, 1000, 0.5, 0.025174668840679464],
  [12345, 30001, 0.41, 0.0040814304726689956],
];

/** Pearson χ² of draws against the exact pmf, bins with expected count < 5 pooled; returns [χ², df]. */
function chiSquare(draws: number[], n: number, p: number): [number, number] {
  const observed = new Map<number, number>();
  for (const x of draws) observed.set(x, (observed.get(x) ?? 0) + 1);
  let chi = 0;
  let df = -1;
  let restObserved = 0;
  let restExpected = 0;
  for (let k = 0; k <= n; k++) {
    const expected = draws.length * binomialProbability(k, n, p, 1 - p);
    const o = observed.get(k) ?? 0;
    if (expected >= 5) {
      chi += (o - expected) ** 2 / expected;
      df++;
    } else {
      restObserved += o;
      restExpected += expected;
    }
  }
  if (restExpected >= 1) {
    chi += (restObserved - restExpected) ** 2 / restExpected;
    df++;
  }
  return [chi, df];
}

describe('binomial and multinomial draws (the count bootstrap)', () => {
  it('binomial probabilities match scipy to 1e-13 (relative), far tails included', () => {
    for (const [k, n, p, expected] of SCIPY_PMF) {
      expect(Math.abs(binomialProbability(k, n, p, 1 - p) - expected) / expected).toBeLessThan(1e-13);
    }
  });

  it('draws follow the binomial distribution (χ² goodness of fit, small and large n, p near 0 and ½)', () => {
    const rng = createRng(11);
    for (const [n, p] of [
      [1, 0.2],
      [10, 0.3],
      [50, 0.01],
      [1000, 0.003],
      [100000, 0.4],
      [20, 0.9],
    ]) {
      const draws = Array.from({ length: 20000 }, () => drawBinomial(n, p, 1 - p, rng));
      const [chi, df] = chiSquare(draws, n, p);
      // Wilson–Hilferty 99.9% point of χ²(df): a sampler that is off fails by far more.
      const z = 3.09;
      const limit = df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
      expect(chi, `n = ${n}, p = ${p}: χ² ${chi.toFixed(1)} on ${df} df`).toBeLessThan(limit);
    }
    expect(drawBinomial(0, 0.5, 0.5, rng)).toBe(0);
    expect(drawBinomial(7, 0, 1, rng)).toBe(0);
    expect(drawBinomial(7, 1, 0, rng)).toBe(7);
  });

  it('multinomial draws keep the total, leave empty cells empty, and have mean n·p per cell', () => {
    const rng = createRng(12);
    const counts = [30, 0, 50, 20];
    const out = new Float64Array(4);
    const sums = new Float64Array(4);
    for (let r = 0; r < 5000; r++) {
      drawMultinomial(100, counts, out, rng);
      expect(out.reduce((a, b) => a + b, 0)).toBe(100);
      expect(out[1]).toBe(0);
      for (let c = 0; c < 4; c++) sums[c] += out[c];
    }
    // Means within 5 standard errors: √(n p q / 5000).
    counts.forEach((count, c) => {
      const p = count / 100;
      expect(Math.abs(sums[c] / 5000 - 100 * p)).toBeLessThanOrEqual(5 * Math.sqrt((100 * p * (1 - p)) / 5000) + 1e-12);
    });
  });
});

describe('count bootstrap against the row bootstrap, on a real probe (uci-sentiment:yelp, wordvec:sg100d)', () => {
  it('the same estimates bit for bit and the same intervals up to Monte Carlo error (accuracy, macro-F1, gaps)', async () => {
    const x = await loadRealEmbeddings('uci-sentiment:yelp');
    const raw = (await loadDataset('uci-sentiment:yelp', { seed: 0 })).labels as string[];
    const labels = encodeLabels(raw, sortedClasses(raw));
    const probe = await kFoldProbe(x, labels, 2, {
      folds: 5,
      grid: [1e-2, 1],
      bootstrap: { replicates: 10, level: 0.95 },
      solver: {},
      rng: createRng(0),
    });
    const predicted = probe.run.predictions;
    const correct = probe.correct;
    // A second "side": the first 400 rows, so the gap is a difference between two different samples.
    const half = correct.subarray(0, 400);
    const halfLabels = labels.subarray(0, 400);
    const replicates = 5000;
    const cases = [
      {
        name: 'accuracy',
        rows: bootstrapInterval([correct.length], ([idx]) => meanOf(correct, idx), createRng(1), { replicates }),
        counts: countBootstrapInterval([binaryCounts(correct)], ([c]) => shareRight(c), createRng(2), { replicates }),
      },
      {
        name: 'macro-F1',
        rows: bootstrapInterval([labels.length], ([idx]) => macroF1(labels, predicted, 2, idx), createRng(3), {
          replicates,
        }),
        counts: countBootstrapInterval(
          [confusionCounts(labels, predicted, 2)],
          ([c]) => macroF1FromConfusion(c, 2),
          createRng(4),
          { replicates },
        ),
      },
      {
        name: 'gap',
        rows: bootstrapInterval(
          [correct.length, half.length],
          ([a, b]) => meanOf(correct, a) - meanOf(half, b),
          createRng(5),
          { replicates },
        ),
        counts: countBootstrapInterval(
          [binaryCounts(correct), binaryCounts(half)],
          ([a, b]) => shareRight(a) - shareRight(b),
          createRng(6),
          { replicates },
        ),
      },
    ];
    for (const { name, rows, counts } of cases) {
      expect(Object.is(counts.estimate, rows.estimate), name).toBe(true);
      // The 2.5% and 97.5% quantiles of 5,000 replicates: Monte Carlo SE ≈ 0.0006–0.0012 here.
      expect(Math.abs(counts.lower - rows.lower), name).toBeLessThan(0.003);
      expect(Math.abs(counts.upper - rows.upper), name).toBeLessThan(0.003);
      expect(counts.upper - counts.lower, name).toBeGreaterThan(0.03); // a real interval, not a degenerate one
    }
    // The separability gap (class balance and right/wrong per side) against the same statistic over rows.
    const side = { correct, labels, nClasses: 2 };
    const other = { correct: half, labels: halfLabels, nClasses: 2 };
    const byCounts = separabilityGap(side, other, createRng(7), { replicates, level: 0.95 });
    const byRows = bootstrapInterval(
      [correct.length, half.length],
      ([a, b]) => {
        const major = (l: Int32Array, idx: Uint32Array) => {
          let ones = 0;
          for (const i of idx) ones += l[i];
          return Math.max(ones, idx.length - ones) / idx.length;
        };
        const baseRef = major(labels, a);
        const reduction = Math.min(1, Math.max(0, (meanOf(correct, a) - baseRef) / (1 - baseRef)));
        const baseTgt = major(halfLabels, b);
        return baseTgt + reduction * (1 - baseTgt) - meanOf(half, b);
      },
      createRng(8),
      { replicates },
    );
    expect(byCounts.estimate).toBeCloseTo(byRows.estimate, 14);
    expect(Math.abs(byCounts.lower - byRows.lower)).toBeLessThan(0.004);
    expect(Math.abs(byCounts.upper - byRows.upper)).toBeLessThan(0.004);
  });
});
