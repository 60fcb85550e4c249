/**
 * `compare({ reference, target, … })`: the CLI's compare without files. Each side is texts (embedded with the
 * model, default the offline word-vector model) or vectors (a Matrix, number[][] or Float32Array[]); labels, ids
 * and groups come as arrays aligned with the rows. The options are checked up front by one zod schema built on
 * the CLI's compare options; the sides become the Datasets a file reader would build and enter runCompare where
 * the files would, so the same rows and seed give the same numbers as `shiftlens compare`.
 */
import { z } from 'zod';
import { defaultCompareOptions, type CompareOptions } from '../pipeline/compareOptions.js';
import { runCompare, type CompareRun } from '../pipeline/compare.js';
import { writeCompareOutputs } from '../pipeline/writeCompareOutputs.js';
import { analysisShape, embeddingAndSamplingOptions, modelShape, outputShape, samplingShape } from './optionsSchema.js';
import { readCappedPair } from '../ingest/wholeGroupCap.js';
import { rowValuesSchema, sideDataset, sideInputSchema, type RowValues, type SideInput } from './sideInput.js';
import { parseApiOptions } from './validate.js';
import { checkBeforeWork, resolveProgress } from './preflight.js';

const SIDES = ['reference', 'target'] as const;

const perSide = z
  .strictObject({ reference: rowValuesSchema.optional(), target: rowValuesSchema.optional() })
  .optional();

const compareShape = {
  reference: sideInputSchema,
  target: sideInputSchema,
  /** Class labels per side (enables the linear probe when the reference has ≥ 2 classes). */
  labels: perSide,
  /** Each row's own id, carried to result.json, target-scores.csv and the report. */
  ids: perSide,
  /** Group id per row (document, thread, user): the tests then permute, fold and resample whole groups. */
  groups: perSide,
  ...modelShape,
  ...samplingShape,
  ...analysisShape,
  ...outputShape,
};

export const compareInputSchema = z.strictObject(compareShape).transform((o, ctx) => {
  const sides = { reference: o.reference, target: o.target };
  if (sides.reference.kind !== sides.target.kind) {
    ctx.addIssue({
      code: 'custom',
      path: ['target'],
      message: `holds ${sides.target.kind} but reference holds ${sides.reference.kind}: give both sides as texts (embedded with the model) or both as vectors`,
    });
    return z.NEVER;
  }
  if (sides.reference.kind === 'vectors' && sides.target.kind === 'vectors') {
    if (sides.reference.dim !== sides.target.dim) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: `has ${sides.target.dim}-dimensional vectors but reference has ${sides.reference.dim}-dimensional ones: both sides must come from the same model`,
      });
      return z.NEVER;
    }
    if (o.model !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['model'],
        message: 'applies to texts, but reference and target are vectors (precomputed embeddings): leave it out',
      });
      return z.NEVER;
    }
  }
  for (const key of ['labels', 'ids', 'groups'] as const) {
    for (const side of SIDES) {
      const values = o[key]?.[side];
      if (values && values.length !== sides[side].rows) {
        ctx.addIssue({
          code: 'custom',
          path: [key, side],
          message: `has ${values.length} entries but ${side} has ${sides[side].rows} rows: give one per row (null for a missing one)`,
        });
        return z.NEVER;
      }
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

type PerSide<T> = { reference?: T; target?: T };

/** compare()'s options: the schema's own input type, with the sides and per-row arrays typed. */
export type CompareInput = Omit<
  z.input<typeof compareInputSchema>,
  'reference' | 'target' | 'labels' | 'ids' | 'groups'
> & {
  reference: SideInput;
  target: SideInput;
  labels?: PerSide<RowValues>;
  ids?: PerSide<RowValues>;
  groups?: PerSide<RowValues>;
};

export interface CompareOutput extends CompareRun {
  /** The files written to outDir (empty without outDir). */
  files: string[];
}

export const COMPARE_OPTION_NAMES: readonly string[] = Object.keys(compareShape);

export async function compare(input: CompareInput): Promise<CompareOutput> {
  const o = parseApiOptions(compareInputSchema, input, 'compare', COMPARE_OPTION_NAMES);
  const progress = resolveProgress(o.progress);
  // outDir, the model and its options, cacheDir: what the run would find wrong later.
  await checkBeforeWork({ ...o, texts: o.reference.kind === 'texts' });
  const given = await readCappedPair(
    { maxRows: o.maxRows, seed: o.seed, grouped: SIDES.some((side) => o.groups?.[side] !== undefined) },
    async (maxRows) => [
      sideDataset('reference', o.reference, extrasOf(o, 'reference'), { ...o, maxRows }),
      sideDataset('target', o.target, extrasOf(o, 'target'), { ...o, maxRows }),
    ],
  );
  const defaults = defaultCompareOptions({ source: given.reference.source }, { source: given.target.source });
  const options: CompareOptions = {
    ...defaults,
    ...embeddingAndSamplingOptions(o, defaults.model),
    alpha: o.alpha,
    correction: o.correction,
    minEffect: o.minEffect as CompareOptions['minEffect'],
    permutations: o.permutations,
    exactBudgetSeconds: o.exactBudgetSeconds,
    tests: o.tests,
    components: o.components,
    bandwidthRule: o.bandwidthRule,
    topSamples: o.topSamples,
    labelMap: o.labelMap,
    verdictThresholds: o.verdictThresholds,
    finetune: o.finetune,
  };
  const run = await runCompare(options, progress, given);
  const files = o.outDir
    ? await writeCompareOutputs(run, { outDir: o.outDir, imageFormat: o.imageFormat, seed: o.seed })
    : [];
  return { ...run, files };
}

function extrasOf(
  o: { labels?: PerSide<string[]>; ids?: PerSide<string[]>; groups?: PerSide<string[]> },
  side: 'reference' | 'target',
): { labels?: string[]; ids?: string[]; groups?: string[] } {
  return { labels: o.labels?.[side], ids: o.ids?.[side], groups: o.groups?.[side] };
}
