/**
 * The verdict through the real CLI: `inconclusive` exits 0 (even with --fail-on-shift) and says so first; a label
 * shift alone (a class the reference lacks, same texts' source) makes --fail-on-shift exit 1; the verdict
 * threshold flags reach result.json.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { runCli } from './runCli.js';

async function writeCsv(file: string, rows: { text: string; label: string }[]): Promise<void> {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  await writeFile(file, `text,label\n${rows.map((r) => `${q(r.text)},${q(r.label)}`).join('\n')}\n`);
}

describe('verdict kinds through the CLI', () => {
  let dir: string;
  let rows: { text: string; label: string }[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-verdict-'));
    const yelp = await loadDataset('uci-sentiment:yelp', { seed: 0 });
    rows = (yelp.texts as string[]).map((text, i) => ({ text, label: (yelp.labels as string[])[i] }));
  });

  it('12 vs 12 of one source: inconclusive, printed first, exit 0 with --fail-on-shift; flags reach the thresholds', async () => {
    const ref = path.join(dir, 'tiny-ref.csv');
    const tgt = path.join(dir, 'tiny-tgt.csv');
    await writeCsv(ref, rows.slice(0, 12));
    await writeCsv(tgt, rows.slice(500, 512));
    const out = path.join(dir, 'tiny-out');
    const run = await runCli([
      'compare',
      '--reference',
      ref,
      '--target',
      tgt,
      '--label-column',
      'label',
      '--permutations',
      '199',
      '--max-separability-gap',
      '0.03',
      '--fail-on-shift',
      '--quiet',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^\[inconclusive\] Inconclusive: no test detected a shift, but at 12 vs 12 samples/,
    );
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
    expect(result.verdict.kind).toBe('inconclusive');
    expect(result.verdict.thresholds.maxSeparabilityGap).toBe(0.03);
    expect(result.verdict.sensitivity.word).toBe('large');
    const summary = await readFile(path.join(out, 'summary.md'), 'utf8');
    expect(summary.split('\n')[0]).toBe('### ❔ shiftlens: Inconclusive · too few samples to rule out a shift');
  }, 120_000);

  it('a class the reference lacks on 25% of target rows: label shift, --fail-on-shift exits 1', async () => {
    const ref = path.join(dir, 'new-ref.csv');
    const tgt = path.join(dir, 'new-tgt.csv');
    // 100 rows a side (200 took 40% more CPU): 25 of the target's are of the new class.
    await writeCsv(ref, rows.filter((_, i) => i % 2 === 0).slice(0, 100));
    await writeCsv(
      tgt,
      rows
        .filter((_, i) => i % 2 === 1)
        .slice(0, 100)
        .map((r, i) => (i % 4 === 0 ? { ...r, label: 'neutral' } : r)),
    );
    const out = path.join(dir, 'new-out');
    const run = await runCli([
      'compare',
      '--reference',
      ref,
      '--target',
      tgt,
      '--label-column',
      'label',
      '--permutations',
      '199',
      '--fail-on-shift',
      '--quiet',
      '--out',
      out,
    ]);
    expect(run.code).toBe(1);
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
    expect(result.labelShift.unseen).toEqual({ classes: [{ label: 'neutral', count: 25 }], nRows: 25, share: 0.25 });
    expect(result.verdict.labelShiftDetected).toBe(true);
    expect(result.verdict.kind).not.toBe('sameDistribution');
  }, 120_000);
});
