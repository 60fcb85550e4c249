/**
 * The label-efficiency fits run on the folds' worker threads (src/learn/foldPool.ts) only from the built package,
 * so this test loads the compiled curve from dist/ (built by `npm test` before vitest) and checks it against the
 * TypeScript sources, where the fits run one after another: the same numbers, bit for bit.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMatrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { labelEfficiencyCurve } from '../../src/probe/labelEfficiency.js';
import { repoRoot } from '../helpers/repoPaths.js';

const dist = (file: string) => pathToFileURL(path.join(repoRoot, 'dist', 'src', file)).href;

describe('label-efficiency fits on worker threads (built package)', () => {
  it('give the one-thread curve bit for bit', async () => {
    const built = await import(dist('probe/labelEfficiency.js'));
    const { parallelFoldsAvailable, PARALLEL_MIN_ENTRIES } = await import(dist('learn/foldPool.js'));
    const builtRng = await import(dist('core/random.js'));
    expect(parallelFoldsAvailable()).toBe(true);
    const rows = 6000;
    const cols = 100;
    expect(rows * cols).toBeGreaterThanOrEqual(PARALLEL_MIN_ENTRIES);
    const rng = createRng(21);
    const labels = Int32Array.from({ length: rows }, () => rng.int(3));
    const x = createMatrix(rows, cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) x.data[i * cols + j] = rng.normal() + (j < 5 ? 0.3 * labels[i] : 0);
    const settings = { sizes: [10, 50, 200], draws: 3, solver: { regularization: 0.01 } };
    let fits = 0;
    const threaded = await built.labelEfficiencyCurve(x, labels, 3, {
      ...settings,
      rng: builtRng.createRng(4),
      onFit: () => fits++,
    });
    const serial = await labelEfficiencyCurve(x, labels, 3, { ...settings, rng: createRng(4) });
    expect(fits).toBe(9);
    expect(threaded).toEqual(serial);
    expect(serial.map((p) => p.nLabels)).toEqual([10, 50, 200]);
    expect(serial[2].accuracy).toBeGreaterThan(serial[0].accuracy);
  });
});
