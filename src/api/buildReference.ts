/**
 * `buildReference({ reference, … })`: `shiftlens reference build` without files — the reference (texts or
 * vectors, labels, ids, groups in memory) embedded once and fitted into a ReferenceBundle that check() tests
 * targets against; `out` also writes it as a .shiftlens file. Options checked by the same zod pieces as compare.
 */
import path from 'node:path';
import { z } from 'zod';
import type { ReferenceBundle } from '../bundle/referenceBundle.js';
import { writeBundle } from '../bundle/bundleFile.js';
import { buildReference as buildReferenceBundle } from '../pipeline/buildReference.js';
import { defaultCompareOptions } from '../pipeline/compareOptions.js';
import { checkOutputFile } from '../result/outputFolder.js';
import { analysisShape, embeddingAndSamplingOptions, modelShape, outputShape, samplingShape } from './optionsSchema.js';
import { checkBeforeWork, resolveProgress } from './preflight.js';
import { rowValuesSchema, sideDataset, sideInputSchema, type RowValues, type SideInput } from './sideInput.js';
import { parseApiOptions } from './validate.js';

const buildShape = {
  reference: sideInputSchema,
  /** One label per reference row (the probe a check trains), ids and groups likewise. */
  labels: rowValuesSchema.optional(),
  ids: rowValuesSchema.optional(),
  groups: rowValuesSchema.optional(),
  ...modelShape,
  ...samplingShape,
  tests: analysisShape.tests,
  permutations: analysisShape.permutations,
  alpha: analysisShape.alpha,
  correction: analysisShape.correction,
  minEffect: analysisShape.minEffect,
  labelMap: analysisShape.labelMap,
  /** Reference rows the bundle keeps at most (a seeded sample; default BUNDLE_MAX_REFERENCE_ROWS). */
  maxStoredRows: z.int().min(2).optional(),
  /** Also write the bundle to this .shiftlens file (atomically). */
  out: z
    .string()
    .trim()
    .min(1)
    .refine((f) => path.extname(f).toLowerCase() === '.shiftlens', { error: 'must name a .shiftlens file' })
    .optional(),
  progress: outputShape.progress,
};

export const buildReferenceInputSchema = z.strictObject(buildShape).transform((o, ctx) => {
  if (o.reference.kind === 'vectors' && o.model !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['model'],
      message: 'applies to texts, but reference is vectors (precomputed embeddings): leave it out',
    });
    return z.NEVER;
  }
  for (const key of ['labels', 'ids', 'groups'] as const) {
    const values = o[key];
    if (values && values.length !== o.reference.rows) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `has ${values.length} entries but reference has ${o.reference.rows} rows: give one per row (null for a missing one)`,
      });
      return z.NEVER;
    }
  }
  return o;
});

export type BuildReferenceInput = Omit<
  z.input<typeof buildReferenceInputSchema>,
  'reference' | 'labels' | 'ids' | 'groups'
> & { reference: SideInput; labels?: RowValues; ids?: RowValues; groups?: RowValues };

export interface BuildReferenceOutput {
  /** What check() takes (or writeBundle saves). */
  bundle: ReferenceBundle;
  warnings: string[];
  timings: Record<string, number>;
  /** The .shiftlens file written with `out`, or null. */
  file: { path: string; checksum: string; bytes: number } | null;
}

export const BUILD_REFERENCE_OPTION_NAMES: readonly string[] = Object.keys(buildShape);

export async function buildReference(input: BuildReferenceInput): Promise<BuildReferenceOutput> {
  const o = parseApiOptions(buildReferenceInputSchema, input, 'buildReference', BUILD_REFERENCE_OPTION_NAMES);
  const progress = resolveProgress(o.progress);
  const out = o.out === undefined ? undefined : checkOutputFile(o.out, 'out');
  await checkBeforeWork({ ...o, texts: o.reference.kind === 'texts' });
  const reference = sideDataset('reference', o.reference, { labels: o.labels, ids: o.ids, groups: o.groups }, o);
  const defaults = defaultCompareOptions({ source: reference.source }, { source: reference.source });
  const { bundle, warnings, timings } = await buildReferenceBundle(
    {
      ...defaults,
      ...embeddingAndSamplingOptions(o, defaults.model),
      tests: o.tests,
      permutations: o.permutations,
      alpha: o.alpha,
      correction: o.correction,
      minEffect: o.minEffect as typeof defaults.minEffect,
      labelMap: o.labelMap,
      maxStoredRows: o.maxStoredRows,
    },
    progress,
    { reference },
  );
  const file = out ? { path: out, ...(await writeBundle(out, bundle)) } : null;
  return { bundle, warnings, timings, file };
}
