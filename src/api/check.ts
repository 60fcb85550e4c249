/**
 * `check(bundle, { target, … })`: `shiftlens check` without files — a target (texts or vectors in memory) against
 * a reference bundle from buildReference() (or the path of a .shiftlens file), embedded with the bundle's model;
 * compare's result and outputs, the reference neither read nor embedded again.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { readBundle } from '../bundle/bundleFile.js';
import type { ModelExpectation } from '../bundle/modelCompatibility.js';
import { assertModelMatches } from '../bundle/modelCompatibility.js';
import type { LoadedBundle, ReferenceBundle } from '../bundle/referenceBundle.js';
import { checkCompareOptions, checkSuiteSettings, checkTarget, type CheckOptions } from '../pipeline/check.js';
import { defaultCompareOptions, MAX_SEED } from '../pipeline/compareOptions.js';
import { writeCompareOutputs } from '../pipeline/writeCompareOutputs.js';
import type { CompareOutput } from './compare.js';
import { analysisShape, modelShape, outputShape, samplingShape } from './optionsSchema.js';
import { checkBeforeWork, resolveProgress } from './preflight.js';
import { rowValuesSchema, sideDataset, sideInputSchema, type RowValues, type SideInput } from './sideInput.js';
import { describe, parseApiOptions } from './validate.js';

const checkShape = {
  target: sideInputSchema,
  labels: rowValuesSchema.optional(),
  ids: rowValuesSchema.optional(),
  groups: rowValuesSchema.optional(),
  ...modelShape,
  ...samplingShape,
  ...analysisShape,
  /** Default: the seed the bundle was built with. */
  seed: z.int().min(0).max(MAX_SEED).optional(),
  /** Default: the tests and permutations the bundle's suite was fitted for (others fit the suite again). */
  tests: analysisShape.tests.removeDefault().optional(),
  permutations: analysisShape.permutations.removeDefault().optional(),
  ...outputShape,
};

const checkInputSchema = z.strictObject(checkShape).transform((o, ctx) => {
  for (const key of ['labels', 'ids', 'groups'] as const) {
    const values = o[key];
    if (values && values.length !== o.target.rows) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `has ${values.length} entries but target has ${o.target.rows} rows: give one per row (null for a missing one)`,
      });
      return z.NEVER;
    }
  }
  if (o.imageFormat !== undefined && o.outDir === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['imageFormat'],
      message: 'needs outDir: images are written with the outputs',
    });
    return z.NEVER;
  }
  return o;
});

export type CheckInput = Omit<z.input<typeof checkInputSchema>, 'target' | 'labels' | 'ids' | 'groups'> & {
  target: SideInput;
  labels?: RowValues;
  ids?: RowValues;
  groups?: RowValues;
};

export const CHECK_OPTION_NAMES: readonly string[] = Object.keys(checkShape);

/**
 * `bundle`: what buildReference() returned (its `bundle`), or the path of a .shiftlens file. Model options, when
 * given, must match the bundle's model (a check always embeds with the bundle's model).
 */
export async function check(
  bundle: ReferenceBundle | LoadedBundle | string,
  input: CheckInput,
): Promise<CompareOutput> {
  const o = parseApiOptions(checkInputSchema, input, 'check', CHECK_OPTION_NAMES);
  const expect: ModelExpectation = {
    ...(o.model !== undefined ? { model: o.model } : {}),
    ...(o.pooling !== undefined ? { pooling: o.pooling } : {}),
    ...(o.maxLength !== undefined ? { maxLength: o.maxLength } : {}),
    ...(input.normalize !== undefined ? { normalize: o.normalize } : {}),
  };
  const reference = await resolveBundle(bundle, expect);
  const precomputed = reference.model.info.backend === 'precomputed';
  if (o.target.kind === 'texts' && precomputed) {
    throw new InputError(
      'check: target holds texts but the bundle holds precomputed vectors: give the target as vectors from the same model',
    );
  }
  if (o.target.kind === 'vectors' && !precomputed) {
    throw new InputError(
      `check: target holds vectors but the bundle was built by embedding texts with ${reference.model.spec}: give the target's texts`,
    );
  }
  if (o.target.kind === 'vectors' && o.target.dim !== reference.reference.vectors.cols) {
    throw new InputError(
      `check: target has ${o.target.dim}-dimensional vectors but the bundle's reference has ${reference.reference.vectors.cols}-dimensional ones: both must come from the same model`,
    );
  }
  const seed = o.seed ?? reference.seed;
  const progress = resolveProgress(o.progress);
  // The model and options the target will be embedded with: the bundle's, resolved as checkTarget resolves them.
  const { reference: _bundle, ...base } = defaultCompareOptions({ source: 'bundle' }, { source: 'target' });
  const embedWith = checkCompareOptions(reference, { ...base, batchSize: o.batchSize, endpoint: o.endpoint });
  await checkBeforeWork({ ...embedWith, outDir: o.outDir, cacheDir: o.cacheDir, texts: o.target.kind === 'texts' });
  const target = sideDataset('target', o.target, { labels: o.labels, ids: o.ids, groups: o.groups }, { ...o, seed });
  const { reference: _unused, ...defaults } = defaultCompareOptions({ source: 'bundle' }, { source: target.source });
  const options: CheckOptions = {
    ...defaults,
    batchSize: o.batchSize,
    cacheDir: o.cacheDir,
    endpoint: o.endpoint,
    embedWorkers: o.embedWorkers,
    maxRows: o.maxRows,
    seed,
    alpha: o.alpha,
    correction: o.correction,
    minEffect: o.minEffect as typeof defaults.minEffect,
    ...checkSuiteSettings(reference, { tests: o.tests, permutations: o.permutations }, defaults),
    exactBudgetSeconds: o.exactBudgetSeconds,
    components: o.components,
    bandwidthRule: o.bandwidthRule,
    topSamples: o.topSamples,
    labelMap: o.labelMap,
    verdictThresholds: o.verdictThresholds,
    finetune: o.finetune,
  };
  const run = await checkTarget(reference, options, progress, { target });
  const files = o.outDir ? await writeCompareOutputs(run, { outDir: o.outDir, imageFormat: o.imageFormat, seed }) : [];
  return { ...run, files };
}

async function resolveBundle(
  bundle: ReferenceBundle | LoadedBundle | string,
  expect: ModelExpectation,
): Promise<ReferenceBundle | LoadedBundle> {
  if (typeof bundle === 'string') return readBundle(bundle, expect);
  if (!isBundle(bundle)) {
    throw new InputError(
      `check: bundle must be the bundle buildReference() returned or the path of a .shiftlens file, got ${describe(bundle)}`,
    );
  }
  assertModelMatches('file' in bundle ? bundle.file.path : 'given to check()', bundle.model, expect);
  return bundle;
}

function isBundle(value: unknown): value is ReferenceBundle {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Partial<ReferenceBundle>;
  return (
    typeof b.seed === 'number' &&
    typeof b.model?.spec === 'string' &&
    typeof b.model.info?.backend === 'string' &&
    b.reference?.vectors?.data instanceof Float32Array &&
    typeof b.reference.dataset === 'object' &&
    'suite' in b
  );
}
