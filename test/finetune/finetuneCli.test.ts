/** `shiftlens finetune-vs-probe` through the built CLI: a small real run, and bad input (exit 2, one line, no output). */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finetuneComparisonSchema } from '../../src/finetune/finetuneSchema.js';
import { runCli } from '../cli/runCli.js';

const SMALL = ['--max-rows', '150', '--max-epochs', '2', '--patience', '1', '--quiet'];

describe('shiftlens finetune-vs-probe', () => {
  it('writes a schema-valid comparison of the three methods (lexicon-labelled reference)', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'shiftlens-ft-')), 'out');
    const run = await runCli([
      'finetune-vs-probe',
      '--reference',
      'uci-sentiment:amazon',
      '--target',
      'uci-sentiment:yelp',
      '--label-column',
      'class',
      '--reference-labels',
      'lexicon',
      '--finetune-lr',
      '0.01',
      ...SMALL,
      '--out',
      out,
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const document = JSON.parse(await readFile(path.join(out, 'finetune-vs-probe.json'), 'utf8'));
    expect(JSON.parse(run.stdout)).toEqual(document);
    const comparison = finetuneComparisonSchema.parse(document.finetune);
    expect(comparison.methods.map((m) => m.method)).toEqual(['linearProbe', 'mlpHead', 'fineTune']);
    expect(comparison.methods[2].search).toEqual([
      { configuration: { embeddingLearningRate: 0.01 }, validationLoss: expect.any(Number) },
    ]);
    expect(comparison.lexiconLabels?.agreementWithHuman?.estimate).toBeGreaterThan(0.7);
    expect(document.referenceLabels).toBe('lexicon');
  }, 300_000);

  it('compare --finetune adds the finetune block to result.json and a section to the report', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'shiftlens-ft-')), 'out');
    const run = await runCli([
      'compare',
      '--reference',
      'uci-sentiment:amazon',
      '--target',
      'uci-sentiment:yelp',
      '--label-column',
      'class',
      '--max-rows',
      '80',
      '--permutations',
      '99',
      '--finetune',
      '--quiet',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8'));
    const comparison = finetuneComparisonSchema.parse(result.finetune);
    expect(comparison.methods).toHaveLength(3);
    expect(result.timings.finetuneMs).toBeGreaterThan(0);
    expect(await readFile(path.join(out, 'report.html'), 'utf8')).toContain('Fine-tuning versus probe');
  }, 300_000);

  it('refuses a reference without labels before any work (exit 2, one line)', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'shiftlens-ft-')), 'out');
    const run = await runCli([
      'finetune-vs-probe',
      '--reference',
      'uci-sentiment:amazon',
      '--target',
      'uci-sentiment:yelp',
      '--out',
      out,
      '--quiet',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--label-column .* --reference-labels lexicon/);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a malformed learning-rate list', async () => {
    const run = await runCli([
      'finetune-vs-probe',
      '--reference',
      'uci-sentiment:amazon',
      '--target',
      'uci-sentiment:yelp',
      '--label-column',
      'class',
      '--finetune-lr',
      '0.01,abc',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--finetune-lr must be positive numbers/);
  });
});
