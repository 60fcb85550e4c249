import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { chiSquareUpperTail } from '../../src/probe/chiSquareTail.js';
import { compareLabelDistributions, hypergeometric, pearsonStatistic } from '../../src/probe/labelShift.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';

const repeat = (label: string, n: number) => Array.from({ length: n }, () => label);

describe('chi-square tail', () => {
  it('matches scipy.stats.chi2.sf', () => {
    // scipy 1.17.1: chi2.sf(3.7, 1), chi2.sf(25, 4), chi2.sf(0.5, 7), chi2.sf(150, 3)
    expect(chiSquareUpperTail(3.7, 1)).toBeCloseTo(0.054412467991601404, 12);
    expect(chiSquareUpperTail(25, 4) / 5.0309817823062075e-5).toBeCloseTo(1, 10);
    expect(chiSquareUpperTail(0.5, 7)).toBeCloseTo(0.9994464813904249, 12);
    expect(chiSquareUpperTail(150, 3) / 2.6349139284880416e-32).toBeCloseTo(1, 8);
    expect(chiSquareUpperTail(0, 3)).toBe(1);
  });
});

describe('hypergeometric draws', () => {
  it('have the hypergeometric mean and variance (scipy: 4.8 / 2.2335; 1500 / 997.51)', () => {
    for (const [N, K, n, mean, variance] of [
      [50, 12, 20, 4.8, 2.233469387755102],
      [100000, 30000, 5000, 1500, 997.509975099751],
    ]) {
      const rng = createRng(7);
      const draws = Array.from({ length: 20000 }, () => hypergeometric(N, K, n, rng));
      const m = draws.reduce((s, x) => s + x, 0) / draws.length;
      const v = draws.reduce((s, x) => s + (x - m) ** 2, 0) / (draws.length - 1);
      expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(variance / draws.length));
      expect(v / variance).toBeGreaterThan(0.95);
      expect(v / variance).toBeLessThan(1.05);
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(Math.max(0, n + K - N));
      expect(Math.max(...draws)).toBeLessThanOrEqual(Math.min(n, K));
    }
  });
});

describe('compareLabelDistributions', () => {
  it('Pearson X² and its χ² p-value match scipy.stats.chi2_contingency(correction=False)', () => {
    const reference = [...repeat('a', 120), ...repeat('b', 80), ...repeat('c', 50)];
    const target = [...repeat('a', 90), ...repeat('b', 100), ...repeat('c', 70)];
    const r = compareLabelDistributions(reference, target, null, createRng(1));
    expect(r?.test?.method).toBe('chi-square');
    expect(r?.test?.statistic).toBeCloseTo(9.6489010989011, 10);
    expect(r?.test?.df).toBe(2);
    expect(r?.test?.pValue).toBeCloseTo(0.008030965276643248, 10);
    expect(r?.unseen.nRows).toBe(0);
    // TV = ½(|0.48 − 0.3462| + |0.32 − 0.3846| + |0.2 − 0.2692|) by hand
    expect(r?.totalVariation).toBeCloseTo(0.5 * (0.48 - 90 / 260 + (100 / 260 - 0.32) + (70 / 260 - 0.2)), 12);
  });

  it('small expected counts → Monte-Carlo p-value within 3 SE of the exact permutation p (enumerated: 0.060140)', () => {
    const reference = [...repeat('a', 3), ...repeat('b', 5)];
    const target = [...repeat('a', 1), ...repeat('b', 2), ...repeat('c', 4)];
    expect(pearsonStatistic([3, 5, 0], [1, 2, 4])).toBeCloseTo(6.246811224489796, 12);
    const r = compareLabelDistributions(reference, target, null, createRng(3), { replicates: 20000 });
    expect(r?.test?.method).toBe('monte-carlo');
    const exact = 0.06013986013986013;
    expect(Math.abs((r?.test?.pValue as number) - exact)).toBeLessThan(3 * Math.sqrt((exact * (1 - exact)) / 20000));
    expect(r?.unseen).toEqual({ classes: [{ label: 'c', count: 4 }], nRows: 4, share: 4 / 7 });
  });

  it('applies the label map, drops empty labels, reports unseen and missing classes', () => {
    const r = compareLabelDistributions(
      ['0', '4', '', '4'],
      ['negative', 'positive', 'neutral', ' '],
      { '0': 'negative', '4': 'positive' },
      createRng(1),
    );
    expect(r?.nReference).toBe(3);
    expect(r?.nTarget).toBe(3);
    expect(r?.classes).toEqual(['negative', 'neutral', 'positive']);
    expect(r?.unseen.classes).toEqual([{ label: 'neutral', count: 1 }]);
    expect(r?.missingInTarget).toEqual([]);
    expect(compareLabelDistributions(['a'], ['', ''], null, createRng(1))).toBeNull();
  });

  it('effect size: 0 for equal proportions, 1 for disjoint classes', () => {
    const same = compareLabelDistributions(
      [...repeat('a', 10), ...repeat('b', 10)],
      [...repeat('a', 30), ...repeat('b', 30)],
      null,
      createRng(1),
    );
    expect(same?.effectSize).toBe(0);
    expect(same?.test?.pValue).toBe(1);
    const disjoint = compareLabelDistributions(repeat('a', 10), repeat('b', 10), null, createRng(1));
    expect(disjoint?.effectSize).toBeCloseTo(1, 12);
    expect(disjoint?.totalVariation).toBeCloseTo(1, 12);
  });

  it('real data: random halves of uci-sentiment:yelp keep their label proportions (p spread over (0, 1]); yelp vs a 25%-unseen target rejects', async () => {
    const yelp = await loadDataset('uci-sentiment:yelp', { seed: 0 });
    const labels = yelp.labels as string[];
    const rng = createRng(11);
    let rejections = 0;
    const trials = 200;
    for (let trial = 0; trial < trials; trial++) {
      const order = rng.permutation(labels.length);
      const half = labels.length / 2;
      const a = Array.from(order.subarray(0, half), (i) => labels[i]);
      const b = Array.from(order.subarray(half), (i) => labels[i]);
      const r = compareLabelDistributions(a, b, null, rng.fork(`t${trial}`));
      if ((r?.test?.pValue as number) <= 0.05) rejections++;
    }
    // Under the null the rejection rate is ≤ 0.05 (hypergeometric margins make X² slightly conservative); 3 SE margin.
    expect(rejections / trials).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / trials));
    const target = labels.slice(0, 400).map((l, i) => (i % 4 === 0 ? 'neutral' : l));
    const shifted = compareLabelDistributions(labels.slice(400), target, null, createRng(2));
    expect(shifted?.unseen.share).toBeCloseTo(0.25, 12);
    expect(shifted?.test?.pValue as number).toBeLessThan(1e-10);
    expect(shifted?.effectSize).toBeGreaterThan(0.3);
  });
});
