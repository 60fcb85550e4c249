import { describe, expect, it } from 'vitest';
import { createMatrix } from '../../src/core/matrix.js';
import { createRng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { InputError } from '../../src/core/errors.js';
import { energyDetector } from '../../src/twosample/energy.js';
import { directEnergy, gaussianSample } from './fixtures.js';

function run(
  reference: ReturnType<typeof gaussianSample>,
  target: ReturnType<typeof gaussianSample>,
  permutations = 199,
) {
  return energyDetector.run({ reference, target, rng: createRng(3), progress: silentProgress }, { permutations });
}

describe('energy distance test', () => {
  it('statistic equals the energy distance computed directly; effect = E / (2 mean cross distance)', async () => {
    const x = gaussianSample(30, 4, 1);
    const y = gaussianSample(45, 4, 2, 1);
    const r = await run(x, y);
    const e = directEnergy(x, y);
    expect(r.statistic).toBeCloseTo(e, 4);
    expect(r.effectSize).toBeCloseTo(e / (2 * (r.details.meanDistanceAcross as number)), 5);
    expect(r.pValue).toBe(1 / 200);
  });

  it('no shift: p-value not small; effect in [0, 1]', async () => {
    const r = await run(gaussianSample(50, 4, 5), gaussianSample(50, 4, 6));
    expect(r.pValue as number).toBeGreaterThan(0.05);
    expect(r.effectSize).toBeGreaterThanOrEqual(0);
    expect(r.effectSize).toBeLessThan(0.05);
  });

  it('far-apart point masses: effect → 1', async () => {
    const a = createMatrix(5, 2);
    const b = createMatrix(5, 2);
    b.data.fill(100);
    const r = await run(a, b, 50);
    expect(r.effectSize).toBeGreaterThan(0.99);
    expect(r.effectSize).toBeLessThanOrEqual(1);
  });

  it('identical and constant sets give finite, null answers', async () => {
    const x = gaussianSample(20, 3, 1);
    const same = await run(x, x);
    expect(same.pValue as number).toBeGreaterThan(0.9);
    expect(same.effectSize).toBe(0);
    const constant = createMatrix(6, 3);
    constant.data.fill(1);
    const c = await run(constant, constant, 30);
    expect(c.statistic).toBe(0);
    expect(c.pValue).toBe(1);
    expect(c.effectSize).toBe(0);
    for (const v of Object.values(c.details)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  });

  it('a side with one sample is an InputError', async () => {
    await expect(run(gaussianSample(1, 3, 1), gaussianSample(4, 3, 2))).rejects.toThrow(InputError);
  });
});
