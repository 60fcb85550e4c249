/**
 * The two-sample suite against a reference bundle: fitted on the reference once (at build time, or in memory by
 * compare), then run on any target — a whole check, or one monitoring window. Compare and check both come here,
 * so the same rows and seed give the same tests whether the reference was fitted now or read from a file.
 */
import { InputError } from '../core/errors.js';
import { firstNonFinite, type Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import type { Storable } from '../twosample/registry/storable.js';
import type { ReferenceBundle } from '../bundle/referenceBundle.js';
import { runTestSuite, type SuiteOptions, type SuiteOutcome } from './testSuite.js';

/** The suite's reference-side states, fitted on every reference row (before a bundle keeps a sample). */
export async function fitReferenceSuite(
  _reference: Matrix,
  _options: SuiteOptions,
  _rng: Rng,
  _progress: Progress,
): Promise<Storable | null> {
  // The detectors' fit/test split (pipeline/testSuite.ts fitSuite) is not in yet: the suite runs whole at test time.
  return null;
}

/**
 * The suite on `target` against the bundle's reference (its stored rows and fitted states). `rng`: the run's
 * stream for the tests (compare and check use createRng(seed).fork('tests')). A target of another dimension, or
 * with a non-finite value, is refused in one line.
 */
export async function testWindow(
  bundle: ReferenceBundle,
  target: Matrix,
  options: SuiteOptions,
  rng: Rng,
  progress: Progress,
): Promise<SuiteOutcome> {
  assertTargetVectors(bundle, target);
  return runTestSuite(bundle.reference.vectors, target, options, rng, progress);
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
