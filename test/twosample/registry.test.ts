/**
 * Every detector of the registry, one parametrised file (frouros-style): its options' defaults parse, an unknown or
 * invalid option is one InputError line naming the detector and the option, its p-value is in (0, 1] or null, it is
 * deterministic under a seed, and its fitted state is Storable and gives the same result after a structured clone
 * (what a bundle's codec does). Then the suite: fitSuite → clone → testFittedSuite equals runTestSuite on real
 * embeddings, for every detector at once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { selectRows, type Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { DEFAULT_TESTS, TEST_NAMES } from '../../src/pipeline/compareOptions.js';
import { fitSuite, runTestSuite, testFittedSuite, type SuiteOptions } from '../../src/pipeline/testSuite.js';
import {
  DEFAULT_DETECTORS,
  DETECTOR_NAMES,
  DETECTORS,
  detectorByName,
  detectorsMarkdown,
  fitDetector,
  parseDetectorOptions,
  runDetector,
  type AnyDetectorSpec,
  asTwoSampleDetector,
} from '../../src/twosample/registry.js';
import { storableProblem } from '../../src/twosample/registry/storable.js';
import { twoSampleTestResultSchema } from '../../src/twosample/resultSchema.js';
import { gaussian } from '../helpers/gaussian.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';
import { repoRoot } from '../helpers/repoPaths.js';

const withoutTiming = <T extends { timingMs: number }>(r: T) => ({ ...r, timingMs: 0 });

function samples(): { reference: Matrix; target: Matrix } {
  const rng = createRng('registry-samples');
  return { reference: gaussian(40, 6, rng.fork('reference')), target: gaussian(36, 6, rng.fork('target'), 0.4, 2) };
}

/** Fit on the reference and test, with the options the suite would give (99 permutations). */
async function fitAndTest(spec: AnyDetectorSpec, seed: string, state?: unknown) {
  const data = samples();
  const options = spec.suite?.options?.({ permutations: 99 }) ?? {};
  const rng = createRng(seed).fork(spec.name);
  const fitted = state ?? (await fitDetector(spec, data.reference, options, { rng, progress: silentProgress }));
  const run = await runDetector(spec, fitted, data, options, { rng, progress: silentProgress });
  return { fitted, run };
}

describe.each(DETECTORS.map((spec) => [spec.name, spec as AnyDetectorSpec] as const))('detector %s', (name, spec) => {
  it('parses its defaults from {} and names every option', () => {
    const defaults = parseDetectorOptions(spec, undefined);
    expect(defaults).toEqual(spec.optionsSchema.parse({}));
    for (const value of Object.values(defaults as Record<string, unknown>)) expect(value).not.toBeUndefined();
  });

  it('rejects an unknown option and an invalid value with one line naming the detector and the option', () => {
    const unknown = () => parseDetectorOptions(spec, { permutationz: 10 });
    expect(unknown).toThrow(InputError);
    expect(unknown).toThrow(new RegExp(`^${name}: unknown option "permutationz"; options: `));
    const defaults = parseDetectorOptions(spec, {}) as Record<string, unknown>;
    const numeric = Object.keys(defaults).find((k) => typeof defaults[k] === 'number') as string;
    expect(numeric).toBeDefined();
    let message = '';
    try {
      parseDetectorOptions(spec, { [numeric]: -1.5 });
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^${name}: option "${numeric}" .*got -1\\.5$`));
    expect(message).not.toContain('\n');
  });

  it('gives a well-formed result: p in (0, 1] or null, the registry name, a valid result shape', async () => {
    const { run } = await fitAndTest(spec, 'shape');
    expect(run.result.name).toBe(name);
    expect(twoSampleTestResultSchema.safeParse(run.result).success).toBe(true);
    const p = run.result.pValue;
    if (p !== null) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(Number.isFinite(run.result.statistic)).toBe(true);
    expect(Number.isFinite(run.result.effectSize)).toBe(true);
  });

  it('is deterministic under a seed, and its state is Storable and survives a structured clone', async () => {
    const first = await fitAndTest(spec, 'determinism');
    const again = await fitAndTest(spec, 'determinism');
    expect(withoutTiming(again.run.result)).toEqual(withoutTiming(first.run.result));
    expect(storableProblem(first.fitted)).toBeNull();
    const cloned = structuredClone(first.fitted);
    const fromClone = await fitAndTest(spec, 'determinism', cloned);
    expect(withoutTiming(fromClone.run.result)).toEqual(withoutTiming(first.run.result));
  });
});

describe('registry', () => {
  it('is the one list of test names: --tests choices, defaults and per-test minimum effects derive from it', () => {
    expect(new Set(DETECTOR_NAMES).size).toBe(DETECTORS.length);
    expect(TEST_NAMES).toEqual(DETECTOR_NAMES);
    expect(DEFAULT_TESTS).toEqual(DEFAULT_DETECTORS);
    expect(DEFAULT_TESTS).toEqual(['mmd', 'ks-pca', 'frechet', 'centroid', 'energy', 'c2st']);
    expect(() => detectorByName('mmd2')).toThrow(/unknown test "mmd2"; choose from mmd, mmd-rff/);
  });

  it('docs/methods.md lists every detector with its options, as the registry describes them', async () => {
    const methods = await readFile(path.join(repoRoot, 'docs', 'methods.md'), 'utf8');
    const block = /<!-- detectors:start -->\n([\s\S]*?)\n<!-- detectors:end -->/.exec(methods)?.[1];
    expect(block).toBe(detectorsMarkdown());
  });

  it.each(['centroid', 'frechet', 'c2st'])('%s saves its reference subsample above maxPerSide', async (name) => {
    const spec = detectorByName(name);
    const data = samples();
    const options = { maxPerSide: 25 };
    const rng = createRng('subsample-state').fork(name);
    const state = await fitDetector(spec, data.reference, options, { rng, progress: silentProgress });
    expect(state.referenceRows).toBeInstanceOf(Uint32Array);
    expect(state.referenceRows.length).toBe(25);
    const direct = await runDetector(spec, state, data, options, { rng, progress: silentProgress });
    const cloned = await runDetector(spec, structuredClone(state), data, options, { rng, progress: silentProgress });
    expect(withoutTiming(cloned.result)).toEqual(withoutTiming(direct.result));
    // The one-call form (fit on the reference it is given, then test) gives the same result.
    const oneCall = await asTwoSampleDetector(spec).run({ ...data, rng, progress: silentProgress }, options);
    expect(withoutTiming(oneCall)).toEqual(withoutTiming(direct.result));
  });

  it('ks-pca fitted on the reference saves the PCA basis, and the clone projects the same', async () => {
    const spec = detectorByName('ks-pca');
    const data = samples();
    const options = { fitOn: 'reference', correction: 'bh' };
    const rng = createRng('ks-reference');
    const state = await fitDetector(spec, data.reference, options, { rng, progress: silentProgress });
    expect(state.referenceBasis.components).toBeInstanceOf(Float64Array);
    expect(state.referenceBasis.nSamples).toBe(data.reference.rows);
    const direct = await runDetector(spec, state, data, options, { rng, progress: silentProgress });
    const cloned = await runDetector(spec, structuredClone(state), data, options, { rng, progress: silentProgress });
    expect(withoutTiming(cloned.result)).toEqual(withoutTiming(direct.result));
    expect(direct.result.details.fitOn).toBe('reference');
  });
});

describe('fitted suite', () => {
  const base: SuiteOptions = {
    tests: [...TEST_NAMES],
    permutations: 99,
    alpha: 0.05,
    correction: 'holm',
    minEffect: null,
  };

  it('fitSuite → structured clone → testFittedSuite gives runTestSuite’s numbers (every detector, real embeddings)', async () => {
    const ham = await loadRealEmbeddings('easy-ham-1');
    const hard = await loadRealEmbeddings('hard-ham-1');
    const pick = createRng('fitted-suite-rows');
    const reference = selectRows(ham, pick.fork('reference').sample(ham.rows, 60).sort());
    const target = selectRows(hard, pick.fork('target').sample(hard.rows, 50).sort());
    const whole = await runTestSuite(reference, target, base, createRng(11), silentProgress);
    const fitted = await fitSuite(reference, base, createRng(11), silentProgress);
    expect(storableProblem(fitted)).toBeNull();
    const decoded = structuredClone(fitted);
    const split = await testFittedSuite(decoded, reference, target, base, createRng(11), silentProgress);
    expect(split.tests.map(withoutTiming)).toEqual(whole.tests.map(withoutTiming));
    expect(split.decision).toEqual(whole.decision);
    expect(split.warnings).toEqual(whole.warnings);
    expect(split.targetProbability).toEqual(whole.targetProbability);
    expect(whole.tests.map((t) => t.name)).toEqual(DETECTOR_NAMES);
    // A real shift (easy vs hard ham) is detected by the combined decision.
    expect(whole.decision.shiftDetected).toBe(true);
  });

  it('keeps the subsample of a per-side-capped test (energy) through the fitted state', async () => {
    const rng = createRng('energy-cap');
    const reference = gaussian(2600, 2, rng.fork('reference'));
    const target = gaussian(30, 2, rng.fork('target'), 0.5);
    const options = { ...base, tests: ['energy' as const], permutations: 49 };
    const whole = await runTestSuite(reference, target, options, createRng(5), silentProgress);
    const fitted = structuredClone(await fitSuite(reference, options, createRng(5), silentProgress));
    expect(fitted.subsamples.energy).toBeInstanceOf(Uint32Array);
    expect(fitted.subsamples.energy.length).toBe(2500);
    const split = await testFittedSuite(fitted, reference, target, options, createRng(5), silentProgress);
    expect(split.tests.map(withoutTiming)).toEqual(whole.tests.map(withoutTiming));
    expect(whole.tests[0].details.subsampledPerSide).toBe(2500);
  });

  it('refuses another reference or a test it was not fitted for, in one line', async () => {
    const rng = createRng('refuse');
    const reference = gaussian(30, 4, rng.fork('a'));
    const target = gaussian(30, 4, rng.fork('b'));
    const options = { ...base, tests: ['centroid' as const] };
    const fitted = await fitSuite(reference, options, createRng(1), silentProgress);
    const other = gaussian(30, 4, rng.fork('c'));
    await expect(testFittedSuite(fitted, other, target, options, createRng(1), silentProgress)).rejects.toThrow(
      /^fitted test suite: fitted on 30 reference rows of 4 dimensions, not on these 30×4 \(or their values differ\); rebuild the reference$/,
    );
    await expect(
      testFittedSuite(fitted, reference, target, { ...options, tests: ['mmd'] }, createRng(1), silentProgress),
    ).rejects.toThrow(/no fitted state for mmd, mmd-rff \(fitted for centroid\)/);
  });
});
