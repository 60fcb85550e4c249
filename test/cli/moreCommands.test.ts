/**
 * The other commands and outputs through the real CLI: `probe` alone, `demo`, static chart images, and the
 * pipeline's own bad-input checks (vector dimensions that disagree between the sides).
 */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';
import { tinyBertDir } from '../helpers/repoPaths.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'shiftlens-cli-'));
}

describe('shiftlens probe', () => {
  it('measures the transfer gap from amazon to yelp sentences and writes probe.json', async () => {
    const out = path.join(await tempDir(), 'out');
    const run = await runCli([
      'probe',
      '--reference',
      'uci-sentiment:amazon',
      '--target',
      'uci-sentiment:yelp',
      '--label-column',
      'class',
      // 400 of each site's 1000 sentences (all 1000 took twice the CPU): accuracies ≈ 0.80 and 0.78.
      '--max-rows',
      '400',
      '--out',
      out,
      '--json',
      '--quiet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const probe = JSON.parse(await readFile(path.join(out, 'probe.json'), 'utf8'));
    expect(JSON.parse(run.stdout)).toEqual(probe);
    expect(probe.probe.classes).toEqual(['negative', 'positive']);
    expect(probe.probe.reference.n).toBe(400);
    expect(probe.probe.transfer.n).toBe(400);
    // word vectors separate sentiment well above chance on both sites
    expect(probe.probe.reference.accuracy.estimate).toBeGreaterThan(0.7);
    expect(probe.probe.transfer.accuracy.estimate).toBeGreaterThan(0.6);
    const gap = probe.probe.transfer.gap;
    expect(gap.estimate).toBeCloseTo(
      probe.probe.reference.accuracy.estimate - probe.probe.transfer.accuracy.estimate,
      10,
    );
    expect(gap.lower).toBeLessThanOrEqual(gap.estimate);
    expect(gap.upper).toBeGreaterThanOrEqual(gap.estimate);
  }, 300_000);

  it('refuses to run without reference labels', async () => {
    const out = path.join(await tempDir(), 'out');
    const run = await runCli([
      'probe',
      '--reference',
      'sotu:1990-2021',
      '--target',
      'sotu:1946-1989',
      '--out',
      out,
      '--quiet',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--label-column/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('compare through a Hugging Face model folder', () => {
  it('loads tiny-bert offline with transformers:<folder>, pools with the mask, and truncates long texts', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'out');
    const run = await runCli([
      'compare',
      '--reference',
      'uci-sentiment:amazon',
      '--target',
      'spam-assassin:hard-ham-1',
      '--model',
      `transformers:${tinyBertDir}`,
      '--max-length',
      '32',
      '--max-rows',
      '40',
      '--permutations',
      '99',
      '--tests',
      'mmd,c2st',
      '--no-cache',
      '--out',
      out,
      '--quiet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
    expect(result.model).toMatchObject({ backend: 'transformers', dim: 32, pooling: 'mean', maxTokens: 32 });
    // hard-ham e-mails run to hundreds of words: nearly all exceed 32 tokens, and are counted and reported
    expect(result.target.nTruncated).toBeGreaterThanOrEqual(30);
    expect(result.warnings.join(' ')).toContain(
      `${result.target.nTruncated} target text(s) were longer than the model's 32 token limit`,
    );
    expect(result.tests.map((t: { name: string }) => t.name)).toEqual(['mmd', 'c2st']);
  }, 300_000);
});

describe('outputs and gating', () => {
  // One full run for both: the demo (with its probe) also draws the probe's charts, so --format svg is checked on
  // every kind of chart.
  it('runs the demo on bundled data (subsampled) with the probe and a verdict, and writes static SVG charts with --format svg', async () => {
    const out = path.join(await tempDir(), 'out');
    const run = await runCli([
      'demo',
      '--max-rows',
      '300',
      '--permutations',
      '99',
      '--format',
      'svg',
      '--out',
      out,
      '--quiet',
    ]);
    expect(run.code).toBe(0);
    const charts = await readdir(path.join(out, 'charts'));
    expect(charts).toEqual(expect.arrayContaining(['pca-scatter.svg', 'density-pc1.svg', 'probe-accuracy.svg']));
    for (const name of charts) {
      expect(name).toMatch(/\.svg$/);
      const svg = await readFile(path.join(out, 'charts', name), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.length).toBeGreaterThan(500);
    }
    const summary = await readFile(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/MMD/);
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
    expect(result.reference.source).toBe('spam-assassin:easy-ham-1+spam-1');
    expect(result.probe).not.toBeNull();
    // 300 rows per side: the probe's intervals may be too wide to decide, and then the headline says how many
    // labelled target rows would.
    expect(['shiftProbeSuffices', 'shiftRevisitData', 'shiftNoLabels']).toContain(result.verdict.kind);
    if (result.verdict.kind === 'shiftNoLabels') {
      expect(result.verdict.headline).toMatch(/labelled target rows cannot yet tell .*\(about [\d,]+ would\)/);
    }
    expect(result.verdict.reasons.join(' ')).toMatch(/transfer gap of \d/);
  }, 300_000);

  it('rejects vectors whose dimension differs between the sides', async () => {
    const dir = await tempDir();
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    await writeFile(a, '{"embedding":[1,2,3]}\n{"embedding":[2,3,4]}\n{"embedding":[0,1,0]}\n');
    await writeFile(b, '{"embedding":[1,2,3,4]}\n{"embedding":[2,3,4,5]}\n');
    const run = await runCli([
      'compare',
      '--reference',
      a,
      '--target',
      b,
      '--input-format',
      'embeddings-jsonl',
      '--out',
      path.join(dir, 'out'),
      '--quiet',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/3 dimensions.*4/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
