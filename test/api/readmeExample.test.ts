/**
 * The README's "Use as a library" example, run as a user runs it: copied into a folder where shiftlens is
 * installed (node_modules/shiftlens a link to this repository, as `npm install <path to a clone>` makes it) and
 * run by plain node, so the package's "exports" and the built dist (npm test builds it first) are what resolve
 * `import { compare } from 'shiftlens'`. The README cannot rot: a changed API breaks this test.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { repoRoot, testCacheDir } from '../helpers/repoPaths.js';

const folder = mkdtempSync(path.join(tmpdir(), 'shiftlens-readme-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function libraryExample(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Use as a library\n');
  expect(start, 'README.md has a "Use as a library" section').toBeGreaterThanOrEqual(0);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(start));
  expect(block, 'the section has a ```js example').not.toBeNull();
  return (block as RegExpExecArray)[1];
}

function runNode(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd: folder,
      // The converted word-vector table the other tests share; the example itself names no cache folder.
      env: { ...process.env, SHIFTLENS_CACHE_DIR: path.join(testCacheDir, 'model-cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

it('the README library example runs against the installed package and finds the shift it shows', async () => {
  const example = libraryExample();
  expect(example).toContain("import { compare } from 'shiftlens';");
  expect(existsSync(path.join(repoRoot, 'dist', 'src', 'index.js')), 'dist/ is built (npm run build)').toBe(true);
  mkdirSync(path.join(folder, 'node_modules'));
  symlinkSync(repoRoot, path.join(folder, 'node_modules', 'shiftlens'), 'dir');
  const file = path.join(folder, 'example.mjs');
  writeFileSync(file, example);

  const run = await runNode(file);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split('\n');
  // Phone reviews against restaurant reviews: a shift, with the target's 12 labels too few to judge the probe.
  expect(lines[0]).toMatch(/^shiftNoLabels: Shift detected/);
  const tests = lines.slice(1).map((line) => line.split(':')[0]);
  expect(tests.sort()).toEqual(['c2st', 'centroid', 'energy', 'frechet', 'ks-pca', 'mmd']);
  for (const line of lines.slice(1)) expect(line).toMatch(/: adjusted p (0\.\d+|1\.0|-), effect size -?\d+\.\d{3}$/);
});
