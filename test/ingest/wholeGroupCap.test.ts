import { describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/core/progress.js';
import type { Dataset } from '../../src/ingest/dataset.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { loadAndEmbed, type InputOptions } from '../../src/pipeline/prepareEmbeddings.js';
import { tempFolder } from './tempFiles.js';

const write = tempFolder();

/** Rows per group id in the whole file, and in a loaded dataset. */
function sizes(groups: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of groups) out.set(g, (out.get(g) ?? 0) + 1);
  return out;
}

/** Every group a dataset keeps has all of its rows from the source (`full`: rows per group in the source). */
function expectWholeGroups(d: Dataset, full: Map<string, number>): Map<string, number> {
  const kept = sizes(d.groups ?? []);
  for (const [g, count] of kept) expect(count, `group ${g}`).toBe(full.get(g));
  return kept;
}

describe('--max-rows with a group column keeps whole groups (the rule of wholeGroupSubsample)', () => {
  // 12 documents of 1 … 12 rows (78 rows): a row reservoir of 20 keeps a share of most documents.
  const groupIds = Array.from({ length: 12 }, (_, g) => Array.from({ length: g + 1 }, () => `doc${g}`)).flat();
  const csv = write('docs.csv', `doc,text\n${groupIds.map((g, i) => `${g},row ${i} of ${g}`).join('\n')}\n`);
  const full = sizes(groupIds);

  it('a side read alone keeps max(2, ⌊maxRows · G / N⌋) of its groups, whole, seeded, the rest counted', async () => {
    const d = await loadDataset(csv, { seed: 4, groupColumn: 'doc', maxRows: 20 });
    const kept = expectWholeGroups(d, full);
    expect(kept.size).toBe(Math.floor((20 * 12) / 78)); // 3 groups
    expect(d.counts.nSampledOut).toBe(78 - (d.texts?.length ?? 0));
    expect(d.origins.length).toBe(d.texts?.length);
    d.texts?.forEach((text, i) => expect(text.endsWith(`of ${d.groups?.[i]}`)).toBe(true));
    const again = await loadDataset(csv, { seed: 4, groupColumn: 'doc', maxRows: 20 });
    expect(again.texts).toEqual(d.texts);
    const seeds = await Promise.all(
      [5, 6, 7, 8].map((seed) => loadDataset(csv, { seed, groupColumn: 'doc', maxRows: 20 })),
    );
    expect(seeds.some((s) => [...new Set(s.groups)].join() !== [...kept.keys()].join())).toBe(true);
    // Few enough groups (or no cap): every row.
    expect((await loadDataset(csv, { seed: 4, groupColumn: 'doc', maxRows: 78 })).texts?.length).toBe(78);
    // Without the group column the cap is a row sample of exactly maxRows.
    expect((await loadDataset(csv, { seed: 4, maxRows: 20 })).texts?.length).toBe(20);
  });

  it('compare reads both sides and caps them together: k from the pooled N and G, equal on both sides', async () => {
    // Reference: 10 threads of 2 rows; target: 10 threads of 8 rows (precomputed vectors, so nothing is embedded).
    const side = (name: string, rowsPerGroup: number) => {
      const lines: string[] = [];
      for (let g = 0; g < 10; g++)
        for (let r = 0; r < rowsPerGroup; r++)
          lines.push(JSON.stringify({ embedding: [g, r, rowsPerGroup], thread: `${name}${g}` }));
      return write(`${name}.jsonl`, `${lines.join('\n')}\n`);
    };
    const options = {
      reference: { source: side('r', 2), groupColumn: 'thread' },
      target: { source: side('t', 8), groupColumn: 'thread' },
      model: 'wordvec:sg100d',
      normalize: false,
      cacheDir: null,
      maxRows: 30,
      seed: 9,
    } satisfies InputOptions;
    const { reference, target, embedded } = await loadAndEmbed(options, silentProgress);
    // N = 100 rows, G = 20 groups: k = ⌊30 · 20 / 100⌋ = 6 threads per side (alone, the reference would keep all 10
    // and the target 3).
    const refKept = expectWholeGroups(reference, sizes(Array.from({ length: 20 }, (_, i) => `r${i >> 1}`)));
    const tgtKept = expectWholeGroups(target, sizes(Array.from({ length: 80 }, (_, i) => `t${i >> 3}`)));
    expect([refKept.size, tgtKept.size]).toEqual([6, 6]);
    expect([embedded.referenceVectors.rows, embedded.targetVectors.rows]).toEqual([12, 48]);
    expect([reference.counts.nSampledOut, target.counts.nSampledOut]).toEqual([8, 32]);
    // The vectors follow the kept rows: each row's first value is its thread's number.
    target.groups?.forEach((g, i) => expect(embedded.targetVectors.data[i * 3]).toBe(Number(g.slice(1))));
  });
});
