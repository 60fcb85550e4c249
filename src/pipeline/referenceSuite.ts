/**
 * The two-sample suite against a reference bundle: fitted on the bundle's reference rows once (at build time, or
 * in memory by compare: testSuite.ts fitSuite), then run on any target — a whole check, or one monitoring window
 * (testFittedSuite). Compare and check both come here, so the same rows and seed give the same tests whether the
 * suite was fitted now or read from a file.
 */
import { InputError } from '../core/errors.js';
import { firstNonFinite, type Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { BundleSuite, ReferenceBundle } from '../bundle/referenceBundle.js';
import { fitSuite, testFittedSuite, type SuiteOptions, type SuiteOutcome } from './testSuite.js';

/** The suite's reference-side states, fitted on the rows a bundle keeps, with the permutations they were fitted for. */
export async function fitReferenceSuite(
  reference: Matrix,
  options: Pick<SuiteOptions, 'tests' | 'permutations'>,
  rng: Rng,
  progress: Progress,
): Promise<BundleSuite> {
  return { permutations: options.permutations, fitted: await fitSuite(reference, options, rng, progress) };
}

/**
 * The suite on `target` against the bundle's reference (its stored rows and fitted states). `rng`: the run's
 * stream for the tests (compare and check use createRng(seed).fork('tests'), which the build fitted with). When the
 * run asks for a test the bundle has no state for, or for other permutations than it was fitted with, the suite is
 * fitted again on the bundle's rows first (what runTestSuite would do). A target of another dimension, or with a
 * non-finite value, is refused in one line.
 */
export async function testWindow(
  bundle: ReferenceBundle,
  target: Matrix,
  options: SuiteOptions,
  rng: Rng,
  progress: Progress,
): Promise<SuiteOutcome> {
  assertTargetVectors(bundle, target);
  const reference = bundle.reference.vectors;
  const stored = bundle.suite;
  const covers =
    stored !== null &&
    stored.permutations === options.permutations &&
    options.tests.every((t) => stored.fitted.tests.includes(t));
  const fitted = covers ? stored.fitted : await fitSuite(reference, options, rng, progress);
  return testFittedSuite(fitted, reference, target, options, rng, progress);
}

export function assertTargetVectors(bundle: ReferenceBundle, target: Matrix, what = 'target'): void {
  const reference = bundle.reference.vectors;
  if (target.cols !== reference.cols) {
    throw new InputError(
      `${what} vectors have ${target.cols} dimensions but the bundle's reference (${bundle.model.spec}) has ${reference.cols}: embed the target with the bundle's model`,
    );
  }
  const bad = firstNonFinite(target);
  if (bad >= 0) {
    throw new InputError(
      `${what} row ${Math.floor(bad / target.cols)} contains NaN or Infinity (dimension ${bad % target.cols}): fix or drop that row`,
    );
  }
}
