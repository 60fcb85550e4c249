/**
 * --id-column end to end through the real CLI: real sentences (UCI Sentiment, Amazon vs IMDb) written as CSV with
 * an id and a label column; the ids reach result.json, target-scores.csv and report.html, each with its own text,
 * and result.json carries the words that changed.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import type { ShiftlensResult } from '../../src/result/resultTypes.js';
import { runCli } from './runCli.js';

const esc = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function writeSide(dir: string, site: 'amazon' | 'imdb', n: number): Promise<Map<string, string>> {
  const d = await loadDataset(`uci-sentiment:${site}`, { seed: 0, labelColumn: 'class' });
  const texts = (d.texts as string[]).slice(0, n);
  const labels = (d.labels as string[]).slice(0, n);
  const ids = texts.map((_, i) => `${site}-${1000 + i}`);
  const rows = texts.map((t, i) => [esc(ids[i]), esc(t), labels[i] === '1' ? 'positive' : 'negative'].join(','));
  await writeFile(path.join(dir, `${site}.csv`), `doc_id,text,label\n${rows.join('\n')}\n`);
  return new Map(ids.map((id, i) => [id, texts[i]]));
}

describe('shiftlens compare --id-column', () => {
  let out: string;
  let targetTexts: Map<string, string>;
  let result: ShiftlensResult;

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-ids-'));
    await writeSide(dir, 'amazon', 300);
    targetTexts = await writeSide(dir, 'imdb', 300);
    out = path.join(dir, 'out');
    const run = await runCli([
      'compare',
      '--reference',
      path.join(dir, 'amazon.csv'),
      '--target',
      path.join(dir, 'imdb.csv'),
      '--id-column',
      'doc_id',
      '--label-column',
      'label',
      '--tests',
      'c2st,centroid',
      '--permutations',
      '99',
      '--top',
      '10',
      '--quiet',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
  }, 300_000);

  it('puts each top sample’s own id and label in result.json', () => {
    expect(result.samples.top).toHaveLength(10);
    for (const row of result.samples.top) {
      expect(row.id).toMatch(/^imdb-\d+$/);
      expect(row.text).toBe(targetTexts.get(row.id as string));
      expect(['positive', 'negative']).toContain(row.label);
    }
  });

  it('writes id and label columns in target-scores.csv, aligned with the texts', async () => {
    const rows = parse(await readFile(path.join(out, 'target-scores.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(Object.keys(rows[0]).slice(0, 4)).toEqual(['index', 'id', 'origin', 'label']);
    expect(rows).toHaveLength(300);
    for (const row of rows) expect(row.text).toBe(targetTexts.get(row.id));
    expect(rows[0].id).toBe(result.samples.top[0].id);
  });

  it('shows the ids in the report and says what changed in words', async () => {
    const page = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(page).toContain(`id ${result.samples.top[0].id}`);
    expect(page).toContain('What changed, in words');
    const words = result.wordShift;
    expect(words).not.toBeNull();
    expect(words?.overRepresented.slice(0, 10).map((t) => t.term)).toEqual(expect.arrayContaining(['movie']));
    expect(words?.mostShifted?.nSamples).toBe(20);
  });

  it('refuses a missing id column before any work, naming the columns', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-ids-bad-'));
    await writeSide(dir, 'amazon', 20);
    const run = await runCli([
      'compare',
      '--reference',
      path.join(dir, 'amazon.csv'),
      '--target',
      path.join(dir, 'amazon.csv'),
      '--id-column',
      'uid',
      '--quiet',
      '--out',
      path.join(dir, 'out'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no column "uid" \(--id-column\); columns found: "doc_id", "text", "label"/);
  });
});
