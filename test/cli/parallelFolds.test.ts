/**
 * Cross-validation folds on worker threads (src/learn/foldPool.ts) run only from the built package, so this test
 * loads the compiled modules from dist/ (built by `npm test` before vitest) and checks that the threads give the
 * numbers the one-thread path gives, bit for bit.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repoPaths.js';

const dist = (file: string) => pathToFileURL(path.join(repoRoot, 'dist', 'src', file)).href;

describe('probe folds on worker threads (built package)', () => {
  it('gives the same out-of-fold probabilities, log-losses and iterations as the folds run one after another', async () => {
    const { crossValidate, stratifiedFolds } = await import(dist('learn/crossValidation.js'));
    const { withFoldRunner, parallelFoldsAvailable, PARALLEL_MIN_ENTRIES } = await import(dist('learn/foldPool.js'));
    const { createRng } = await import(dist('core/random.js'));
    expect(parallelFoldsAvailable()).toBe(true);
    const rows = 6000;
    const cols = 100;
    expect(rows * cols).toBeGreaterThanOrEqual(PARALLEL_MIN_ENTRIES);
    const rng = createRng(11);
    const labels = Int32Array.from({ length: rows }, () => rng.int(3));
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) data[i * cols + j] = rng.normal() + (j < 5 ? 0.3 * labels[i] : 0);
    const x = { rows, cols, data };
    const folds = stratifiedFolds(labels, 5, createRng(2));
    const grid = [1e-3, 1e-1];
    let threaded = false;
    const parallel = await withFoldRunner(x, labels, 3, 5, {}, (runner: unknown) => {
      threaded = runner !== null;
      return crossValidate(x, labels, 3, folds, grid, {}, () => {}, runner);
    });
    const serial = await crossValidate(x, labels, 3, folds, grid, {});
    expect(threaded).toBe(true);
    expect(parallel).toEqual(serial);
    expect(serial[0].logLoss).toBeLessThan(Math.log(3));
  });
});
