/**
 * The library's compare() without files: the same numbers as the file path (runCompare on a CSV / embeddings
 * JSONL written from the same rows, same seed), vectors in any of the three shapes, labels → probe, ids and
 * groups carried, outputs written only when asked.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/api/index.js';
import { toRows, type Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createEmbedder } from '../../src/embed/registry.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { runCompare } from '../../src/pipeline/compare.js';
import { defaultCompareOptions } from '../../src/pipeline/compareOptions.js';
import type { ShiftlensResult } from '../../src/result/resultTypes.js';
import { sharedTableCacheDir } from '../embed/testCache.js';
import { tempFolder } from '../ingest/tempFiles.js';

const write = tempFolder();
const N = 60;
/** Enough permutations for real p-values, few enough to keep the file fast. */
const PERMUTATIONS = 199;

interface Side {
  texts: string[];
  labels: string[];
}
let amazon: Side;
let yelp: Side;

beforeAll(async () => {
  const take = async (spec: string): Promise<Side> => {
    const d = await loadDataset(spec, { seed: 0, labelColumn: 'class' });
    return { texts: (d.texts as string[]).slice(0, N), labels: (d.labels as string[]).slice(0, N) };
  };
  amazon = await take('uci-sentiment:amazon');
  yelp = await take('uci-sentiment:yelp');
});

/** Three consecutive rows per group, as passages of one document would be. */
const groupOf = (i: number) => `g${Math.floor(i / 3)}`;
const idOf = (i: number) => `row-${i}`;

function csv(side: Side): string {
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const rows = side.texts.map((t, i) => `${quote(t)},${side.labels[i]},${idOf(i)},${groupOf(i)}`);
  return `text,label,id,group\n${rows.join('\n')}\n`;
}

/** What must not differ between the file path and the in-memory path: everything but time, sources, origins. */
function comparable(result: ShiftlensResult) {
  const { createdAt: _c, timings: _t, reference, target, tests, samples, ...rest } = result;
  return {
    ...rest,
    reference: { ...reference, source: null },
    target: { ...target, source: null },
    tests: tests.map(({ timingMs: _ms, ...t }) => t),
    samples: { ...samples, top: samples.top.map(({ origin: _o, ...row }) => row) },
  };
}

describe('compare() on in-memory texts', () => {
  it('gives exactly the numbers runCompare gives on a CSV of the same rows and seed (labels, ids, groups, maxRows)', async () => {
    const referenceFile = write('reference.csv', csv(amazon));
    const targetFile = write('target.csv', csv(yelp));
    const options = defaultCompareOptions(
      { source: referenceFile, labelColumn: 'label', idColumn: 'id', groupColumn: 'group' },
      { source: targetFile, labelColumn: 'label', idColumn: 'id', groupColumn: 'group' },
    );
    const fromFiles = await runCompare(
      { ...options, cacheDir: sharedTableCacheDir, seed: 7, permutations: PERMUTATIONS, maxRows: 50 },
      silentProgress,
    );
    const inMemory = await compare({
      reference: amazon.texts,
      target: yelp.texts,
      labels: { reference: amazon.labels, target: yelp.labels },
      ids: { reference: amazon.texts.map((_, i) => idOf(i)), target: yelp.texts.map((_, i) => idOf(i)) },
      groups: { reference: amazon.texts.map((_, i) => groupOf(i)), target: yelp.texts.map((_, i) => groupOf(i)) },
      cacheDir: sharedTableCacheDir,
      seed: 7,
      permutations: PERMUTATIONS,
      maxRows: 50,
    });
    expect(inMemory.result.tests.length).toBeGreaterThanOrEqual(6);
    expect(inMemory.result.tests).toHaveLength(fromFiles.result.tests.length);
    expect(inMemory.result.tests.map(({ timingMs: _ms, ...t }) => t)).toEqual(
      fromFiles.result.tests.map(({ timingMs: _ms, ...t }) => t),
    );
    expect(comparable(inMemory.result)).toEqual(comparable(fromFiles.result));
    // The probe ran (labels on both sides) and the sides are named as given.
    expect(inMemory.result.probe).not.toBeNull();
    // maxRows with groups keeps whole groups (of 3 rows): k = ⌊50 · 40 / 120⌋ = 16 of the 20 per side, 48 rows.
    expect(inMemory.result.reference.nSampledOut).toBe(N - 48);
    // Group-aware: the verdict counts groups, and the ids name the most shifted samples.
    expect(inMemory.result.suite.groups?.reference).toBeGreaterThan(1);
    expect(inMemory.result.suite.groups?.reference).toBeLessThanOrEqual(N / 3);
    for (const row of inMemory.result.samples.top) expect(row.id).toMatch(/^row-\d+$/);
    expect(inMemory.result.reference.source).toBe('reference (in memory)');
    expect(inMemory.result.samples.top[0].origin).toMatch(/^target\[\d+\]$/);
    expect(inMemory.files).toEqual([]);
  });

  it('trains the probe on reference labels alone, carries ids, and writes the outputs only into outDir', async () => {
    const outDir = path.join(path.dirname(write('marker', '')), 'out');
    const run = await compare({
      reference: amazon.texts,
      target: yelp.texts,
      // Numeric labels read as the strings a CSV would give ("0", "1").
      labels: { reference: amazon.labels.map(Number) },
      ids: { target: yelp.texts.map((_, i) => `yelp-${i}`) },
      cacheDir: sharedTableCacheDir,
      tests: ['mmd', 'energy'],
      permutations: 99,
      outDir,
    });
    expect(run.result.probe).not.toBeNull();
    const counts: Record<string, number> = {};
    for (const label of amazon.labels) counts[label] = (counts[label] ?? 0) + 1;
    expect(Object.keys(counts).length).toBe(2);
    expect(run.result.reference.labels).toEqual(counts);
    expect(run.result.target.labels).toBeNull();
    expect(run.result.samples.top.length).toBeGreaterThan(0);
    for (const row of run.result.samples.top) expect(row.id).toBe(`yelp-${row.index}`);
    expect(run.files.map((f) => path.basename(f)).sort()).toEqual(
      ['report.html', 'result.json', 'summary.md', 'target-scores.csv'].sort(),
    );
    expect(JSON.parse(readFileSync(path.join(outDir, 'result.json'), 'utf8')).tests).toHaveLength(2);
    expect(existsSync(path.join(outDir, 'report.html'))).toBe(true);
  });
});

describe('compare() on in-memory vectors', () => {
  let reference: Matrix;
  let target: Matrix;
  beforeAll(async () => {
    const embedder = await createEmbedder('wordvec:sg100d', { cacheDir: sharedTableCacheDir });
    try {
      reference = (await embedder.embed(amazon.texts)).vectors;
      target = (await embedder.embed(yelp.texts)).vectors;
    } finally {
      await embedder.dispose();
    }
  });

  it('takes a Matrix, number[][] and Float32Array[] alike, with the numbers of an embeddings file', async () => {
    const options = { tests: ['mmd', 'energy', 'c2st', 'centroid'] as const, permutations: PERMUTATIONS, seed: 3 };
    const asMatrix = await compare({ reference, target, ...options, tests: [...options.tests] });
    const asArrays = await compare({
      reference: toRows(reference),
      target: toRows(target),
      ...options,
      tests: [...options.tests],
    });
    const rowsOf = (m: Matrix) => Array.from({ length: m.rows }, (_, i) => m.data.slice(i * m.cols, (i + 1) * m.cols));
    const asTyped = await compare({
      reference: rowsOf(reference),
      target: rowsOf(target),
      ...options,
      tests: [...options.tests],
    });
    expect(asMatrix.result.model.id).toBe('precomputed');
    expect(asMatrix.result.probe).toBeNull(); // no labels, no probe
    expect(comparable(asArrays.result)).toEqual(comparable(asMatrix.result));
    expect(comparable(asTyped.result)).toEqual(comparable(asMatrix.result));

    const jsonl = (m: Matrix) =>
      `${toRows(m)
        .map((v) => JSON.stringify({ embedding: v }))
        .join('\n')}\n`;
    const files = defaultCompareOptions(
      { source: write('reference.jsonl', jsonl(reference)) },
      { source: write('target.jsonl', jsonl(target)) },
    );
    const fromFiles = await runCompare({ ...files, ...options, tests: [...options.tests] }, silentProgress);
    expect(comparable(asMatrix.result)).toEqual(comparable(fromFiles.result));
    // A real shift (amazon → yelp reviews) is found on the vectors as on the texts.
    expect(asMatrix.result.tests.find((t) => t.name === 'mmd')?.pValue).toBeLessThan(0.05);
  });
});
