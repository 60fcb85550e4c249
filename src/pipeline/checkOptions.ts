/**
 * What a check runs with, from a reference bundle and the options given: the tests and permutations, and compare's
 * options with the bundle's model. A module of its own, with type imports only, so that `shiftlens check` can
 * resolve the model it will run before its preflight without loading the pipeline.
 */
import type { ReferenceBundle } from '../bundle/referenceBundle.js';
import type { CompareOptions } from './compareOptions.js';

/** What a check is told: compare's options; the reference side and the model come from the bundle. */
export type CheckOptions = Omit<CompareOptions, 'reference'>;

/**
 * The tests and permutations a check runs, for `shiftlens check` and the library's check() alike: what the user
 * gave, else what the bundle's suite was fitted for (its stored states are then used as they are), else compare's
 * defaults (a bundle built without a suite).
 */
export function checkSuiteSettings(
  bundle: ReferenceBundle,
  given: { tests?: CheckOptions['tests']; permutations?: number },
  defaults: Pick<CheckOptions, 'tests' | 'permutations'>,
): Pick<CheckOptions, 'tests' | 'permutations'> {
  const fitted = bundle.suite;
  return {
    tests: given.tests ?? (fitted ? (fitted.fitted.tests as CheckOptions['tests']) : defaults.tests),
    permutations: given.permutations ?? fitted?.permutations ?? defaults.permutations,
  };
}

/** The options compare would have run with: the bundle's model, and its label map unless another is given. */
export function checkCompareOptions(bundle: ReferenceBundle, options: CheckOptions): CompareOptions {
  const m = bundle.model;
  return {
    ...options,
    reference: { source: bundle.reference.dataset.source },
    model: m.spec,
    pooling: m.pooling ?? undefined,
    maxLength: m.maxLength ?? undefined,
    normalize: m.normalize,
    endpoint: {
      ...options.endpoint,
      url: options.endpoint?.url ?? m.endpoint.url ?? undefined,
      dimensions: m.endpoint.dimensions ?? undefined,
    },
    labelMap: options.labelMap ?? bundle.labelMap,
  };
}
