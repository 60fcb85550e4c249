import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { Reservoir } from '../../src/ingest/reservoir.js';
import { tempFolder } from './tempFiles.js';

const write = tempFolder();

describe('reservoir sampling', () => {
  it('keeps everything in order below capacity', () => {
    const r = new Reservoir<number>(10, createRng(1));
    for (let i = 0; i < 5; i++) r.offer(i);
    expect(r.items()).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives every item the same chance k/n (uniform within sampling error)', () => {
    const n = 200;
    const k = 20;
    const trials = 4000;
    const hits = new Array<number>(n).fill(0);
    const rng = createRng(42);
    for (let t = 0; t < trials; t++) {
      const r = new Reservoir<number>(k, rng);
      for (let i = 0; i < n; i++) r.offer(i);
      const kept = r.items();
      expect(kept.length).toBe(k);
      // Original order is kept.
      for (let j = 1; j < k; j++) expect(kept[j]).toBeGreaterThan(kept[j - 1]);
      for (const i of kept) hits[i]++;
    }
    const expected = (trials * k) / n; // 400 per item, sd ~19
    for (const h of hits) expect(Math.abs(h - expected)).toBeLessThan(5 * Math.sqrt(expected));
    // Early and late items are equally likely (a biased Algorithm R would favour one end).
    const firstHalf = hits.slice(0, n / 2).reduce((a, b) => a + b, 0);
    expect(Math.abs(firstHalf / (trials * k) - 0.5)).toBeLessThan(0.01);
  });

  it('--max-rows picks the same rows for the same seed, other rows for another seed, and counts the rest', async () => {
    const lines = ['text,label'];
    for (let i = 1; i <= 500; i++) lines.push(`sentence number ${i},${i % 2}`);
    const file = write('many.csv', lines.join('\n') + '\n');
    const a = await loadDataset(file, { seed: 11, maxRows: 50, labelColumn: 'label' });
    const b = await loadDataset(file, { seed: 11, maxRows: 50, labelColumn: 'label' });
    const c = await loadDataset(file, { seed: 12, maxRows: 50, labelColumn: 'label' });
    expect(a.texts!.length).toBe(50);
    expect(a.origins).toEqual(b.origins);
    expect(a.texts).toEqual(b.texts);
    expect(c.origins).not.toEqual(a.origins);
    expect(a.counts.nRead).toBe(500);
    expect(a.counts.nSampledOut).toBe(450);
    // Order and alignment: rows ascend, and each text/label/origin still belongs together.
    const rows = a.origins.map((o) => Number(/row (\d+)$/.exec(o)![1]));
    for (let j = 1; j < rows.length; j++) expect(rows[j]).toBeGreaterThan(rows[j - 1]);
    a.texts!.forEach((t, j) => {
      expect(t).toBe(`sentence number ${rows[j]}`);
      expect(a.labels![j]).toBe(String(rows[j] % 2));
    });
  });

  it('samples corpora and vectors too, and rejects a max-rows below 2', async () => {
    const d = await loadDataset('uci-sentiment:yelp', { seed: 3, maxRows: 100 });
    expect(d.texts!.length).toBe(100);
    expect(d.counts.nSampledOut).toBe(900);
    expect(d.labels!.length).toBe(100);
    const emb = write(
      'e.jsonl',
      Array.from({ length: 30 }, (_, i) => JSON.stringify({ embedding: [i, -i] })).join('\n'),
    );
    const v = await loadDataset(emb, { seed: 3, maxRows: 10 });
    expect(v.vectors!.rows).toBe(10);
    // Row i holds [i-1, -(i-1)]: the sampled vectors still match their origins.
    v.origins.forEach((o, j) => {
      const line = Number(/line (\d+)$/.exec(o)![1]);
      expect(v.vectors!.data[j * 2]).toBe(line - 1);
    });
    await expect(loadDataset('uci-sentiment:yelp', { seed: 3, maxRows: 1 })).rejects.toThrow(
      /--max-rows must be an integer of at least 2, got 1/,
    );
  });
});
