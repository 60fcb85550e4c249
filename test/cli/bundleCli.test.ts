/**
 * `shiftlens reference build` and `shiftlens check` through the real CLI: build once, check a target — the same
 * result.json tests and verdict as `compare` of the same data and seed (the check takes the bundle's seed unless
 * told another) — and a damaged or mismatched bundle refused in one line, exit 2, nothing written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';

const REFERENCE = ['--reference', 'uci-sentiment:amazon', '--label-column', 'class', '--max-rows', '80'];
const TARGET = ['--target', 'uci-sentiment:yelp'];
const ANALYSIS = ['--permutations', '99', '--quiet'];

function comparable(result: Record<string, unknown>) {
  const { createdAt: _c, timings: _t, bundle: _b, tests, ...rest } = result;
  return { ...rest, tests: (tests as Record<string, unknown>[]).map(({ timingMs: _ms, ...t }) => t) };
}

describe('shiftlens reference build → check', () => {
  let dir: string;
  let bundle: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-bundle-cli-'));
    bundle = path.join(dir, 'ref.shiftlens');
    const built = await runCli(['reference', 'build', ...REFERENCE, '--seed', '4', '--out', bundle, '--quiet']);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(
      /^wrote .*ref\.shiftlens: 80 reference rows, wordvec:sg100d \(100 dimensions\), labelled/,
    );
  }, 60_000);

  it('check gives the result compare gives on the same data and seed, and names the bundle', async () => {
    const checkOut = path.join(dir, 'check');
    const compareOut = path.join(dir, 'compare');
    // No --seed: the check takes the bundle's (4), as compare --seed 4 does.
    const [checked, compared] = await Promise.all([
      runCli([
        'check',
        '--bundle',
        bundle,
        ...TARGET,
        '--label-column',
        'class',
        '--max-rows',
        '80',
        ...ANALYSIS,
        '--out',
        checkOut,
      ]),
      runCli(['compare', ...REFERENCE, ...TARGET, '--seed', '4', ...ANALYSIS, '--out', compareOut]),
    ]);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    expect(compared.code).toBe(0);
    const read = async (d: string) => JSON.parse(await readFile(path.join(d, 'result.json'), 'utf8'));
    const [c, r] = [await read(checkOut), await read(compareOut)];
    expect(c.seed).toBe(4);
    expect(c.probe.transfer).not.toBeNull();
    expect(comparable(c)).toEqual(comparable(r));
    expect(c.bundle).toMatchObject({ file: bundle, referenceRows: 80, formatVersion: 1 });
    expect(c.bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await readFile(path.join(checkOut, 'target-scores.csv'), 'utf8')).toBe(
      await readFile(path.join(compareOut, 'target-scores.csv'), 'utf8'),
    );
    expect(existsSync(path.join(checkOut, 'report.html'))).toBe(true);
  }, 120_000);

  it('reference info reads the bundle back: model, rows, probe classes, fitted tests', async () => {
    const run = await runCli(['reference', 'info', '--bundle', bundle, '--json']);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info).toMatchObject({
      bundle,
      formatVersion: 1,
      seed: 4,
      referenceRows: 80,
      probeClasses: ['negative', 'positive'],
    });
    expect(info.model).toMatch(/^wordvec:sg100d \(pooling mean/);
    expect([...info.fittedTests].sort()).toEqual(['c2st', 'centroid', 'energy', 'frechet', 'ks-pca', 'mmd']);
  });

  it('check runs the tests the bundle was fitted for unless --tests is given (as the library’s check)', async () => {
    const small = path.join(dir, 'small.shiftlens');
    const built = await runCli([
      'reference',
      'build',
      ...REFERENCE,
      '--tests',
      'centroid,mmd',
      '--out',
      small,
      '--quiet',
    ]);
    expect(built.code).toBe(0);
    const [own, asked] = await Promise.all(
      [[], ['--tests', 'centroid']].map((extra) =>
        runCli([
          'check',
          '--bundle',
          small,
          ...TARGET,
          '--max-rows',
          '40',
          ...extra,
          '--quiet',
          '--json',
          '--out',
          path.join(dir, `small-${extra.length}`),
        ]),
      ),
    );
    expect(JSON.parse(own.stdout).tests.map((t: { name: string }) => t.name)).toEqual(['mmd', 'centroid']);
    expect(JSON.parse(asked.stdout).tests.map((t: { name: string }) => t.name)).toEqual(['centroid']);
  }, 120_000);

  it('refuses a corrupt bundle and a model other than the bundle’s: one line, exit 2, no output folder', async () => {
    const corrupt = path.join(dir, 'corrupt.shiftlens');
    const bytes = await readFile(bundle);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(corrupt, bytes);
    const out = path.join(dir, 'never');
    for (const [args, message] of [
      [
        ['--bundle', corrupt],
        /^shiftlens: error: bundle .*corrupt\.shiftlens is corrupt or truncated: .*rebuild it with `shiftlens reference build`\n$/,
      ],
      [
        ['--bundle', bundle, '--model', 'transformers:Xenova/all-MiniLM-L6-v2'],
        /^shiftlens: error: bundle .*ref\.shiftlens was built with model wordvec:sg100d, not transformers:Xenova\/all-MiniLM-L6-v2: leave the model options out/,
      ],
    ] as const) {
      const run = await runCli(['check', ...args, ...TARGET, '--out', out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);
});
