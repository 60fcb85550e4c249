/** --exact-budget through the real CLI: the suite's exact/linear-time MMD choice and the bad-value refusal. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';

async function vectorFiles(): Promise<{ dir: string; reference: string; target: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-budget-'));
  const vectors = (shift: number) =>
    Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ embedding: Array.from({ length: 4 }, (_, j) => Math.sin(7 * i + 3 * j) + shift) }),
    ).join('\n');
  const reference = path.join(dir, 'ref.jsonl');
  const target = path.join(dir, 'tgt.jsonl');
  await writeFile(reference, vectors(0));
  await writeFile(target, vectors(0.8));
  return { dir, reference, target };
}

describe('compare --exact-budget', () => {
  it('0 runs the linear-time MMD and says why in result.json; the default runs the exact test', async () => {
    const { dir, reference, target } = await vectorFiles();
    const base = ['compare', '--reference', reference, '--target', target, '--tests', 'mmd,centroid'];
    const linear = await runCli([...base, '--quiet', '--exact-budget', '0', '--out', path.join(dir, 'linear')]);
    expect(linear.stderr).toBe('');
    const l = JSON.parse(await readFile(path.join(dir, 'linear', 'result.json'), 'utf8'));
    expect(l.tests.map((t: { name: string }) => t.name).sort()).toEqual(['centroid', 'mmd-rff']);
    expect(l.warnings.join('\n')).toMatch(
      /linear-time random-feature test.*exact-test budget of 0 s \(--exact-budget\)/,
    );

    const exact = await runCli([...base, '--quiet', '--out', path.join(dir, 'exact')]);
    expect(exact.stderr).toBe('');
    const e = JSON.parse(await readFile(path.join(dir, 'exact', 'result.json'), 'utf8'));
    const mmd = e.tests.find((t: { name: string }) => t.name === 'mmd');
    expect(mmd.details.exactBudgetSeconds).toBe(60);
    expect(mmd.details.exactEstimatedSeconds).toBeLessThan(1);
    expect(e.warnings.join('\n')).not.toMatch(/linear-time/);
  }, 120_000);

  it('a negative budget is refused in one line before any work (exit 2, no output folder)', async () => {
    const { dir, reference, target } = await vectorFiles();
    const out = path.join(dir, 'out');
    const run = await runCli([
      'compare',
      '--reference',
      reference,
      '--target',
      target,
      '--exact-budget',
      '-5',
      '--out',
      out,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--exact-budget must be a number in \[0, 604800\], got "-5"/);
    expect(existsSync(out)).toBe(false);
  });
});
