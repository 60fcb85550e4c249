/** `shiftlens compare` and `shiftlens demo`: options → pipeline → output folder → exit code. */
import { Command, Option } from 'commander';
import path from 'node:path';
import { createProgress } from '../../core/progress.js';
import { runCompare } from '../../pipeline/compare.js';
import { writeCompareOutputs } from '../../pipeline/writeCompareOutputs.js';
import { DEFAULT_MODEL, DEFAULT_TESTS, defaultCompareOptions, type CompareOptions, type SideOptions } from '../../pipeline/compareOptions.js';
import { parseChoice, parseIntegerOption, parseLabelMap, parseNumberOption, parseTests } from '../parseOptions.js';

export interface CompareCliFlags {
  reference: string;
  target: string;
  model: string;
  pooling?: 'mean' | 'cls' | 'last' | 'sif' | 'max';
  maxLength?: number;
  batchSize?: number;
  normalize?: boolean;
  cache: boolean;
  cacheDir?: string;
  textColumn?: string;
  labelColumn?: string;
  referenceTextColumn?: string;
  targetTextColumn?: string;
  referenceLabelColumn?: string;
  targetLabelColumn?: string;
  labelMap?: Record<string, string>;
  inputFormat?: SideOptions['format'];
  vectorField?: string;
  encoding: 'utf8' | 'latin1';
  maxRows?: number;
  seed: number;
  alpha: number;
  correction: 'holm' | 'bonferroni';
  minEffect?: number;
  permutations: number;
  tests?: CompareOptions['tests'];
  components: number;
  bandwidth: 'scott' | 'silverman';
  top: number;
  maxTransferGap?: number;
  minSeparableAccuracy?: number;
  minErrorReduction?: number;
  minTargetLabels?: number;
  out: string;
  format?: 'svg' | 'png';
  json?: boolean;
  quiet?: boolean;
  failOnShift?: boolean;
}

/** Options shared by compare and demo (demo fixes the sources). */
export function addAnalysisOptions(command: Command): Command {
  return command
    .option('--model <spec>', 'embedding model: wordvec:sg100d | transformers:<hub id or local folder>', DEFAULT_MODEL)
    .addOption(new Option('--pooling <how>', 'pooling of token vectors (default: mean)').choices(['mean', 'cls', 'last', 'sif', 'max']))
    .option('--max-length <tokens>', 'truncate texts to this many tokens (transformers)', parseIntegerOption('--max-length', 1))
    .option('--batch-size <n>', 'texts per model call', parseIntegerOption('--batch-size', 1))
    .option('--normalize', 'L2-normalise embeddings')
    .option('--no-cache', 'do not read or write the embedding cache')
    .option('--cache-dir <dir>', 'embedding cache and converted word vectors (default: $SHIFTLENS_CACHE_DIR or ~/.cache/shiftlens)')
    .option('--max-rows <n>', 'keep at most n samples per side (seeded reservoir sample)', parseIntegerOption('--max-rows', 2))
    .option('--seed <n>', 'seed for every random choice', parseIntegerOption('--seed', 0), 0)
    .option('--alpha <a>', 'family-wise significance level', parseNumberOption('--alpha', 1e-9, 0.5), 0.05)
    .addOption(new Option('--correction <method>', 'family-wise correction over the tests').choices(['holm', 'bonferroni']).default('holm'))
    .option('--min-effect <e>', 'smallest effect size that counts as a practical shift (each test on its own effect scale)', parseNumberOption('--min-effect', 0, 1e9))
    .option('--permutations <n>', 'permutations for permutation tests', parseIntegerOption('--permutations', 19), 1000)
    .option('--tests <list>', `comma-separated subset of ${DEFAULT_TESTS.join(',')}`, parseTests)
    .option('--components <k>', 'principal components shown with densities', parseIntegerOption('--components', 1), 5)
    .addOption(new Option('--bandwidth <rule>', 'KDE bandwidth rule').choices(['scott', 'silverman']).default('scott'))
    .option('--top <k>', 'most shifted target samples listed', parseIntegerOption('--top', 0), 20)
    .option('--max-transfer-gap <g>', 'verdict: largest transfer gap (accuracy points as a fraction) that still counts as transferring (default 0.05)', parseNumberOption('--max-transfer-gap', 0, 1))
    .option('--min-separable-accuracy <a>', 'verdict: target-only probe accuracy that counts as linearly separable (default 0.8)', parseNumberOption('--min-separable-accuracy', 0, 1))
    .option('--min-error-reduction <r>', "verdict: share of the majority baseline's errors the target-only probe must remove (default 0.5)", parseNumberOption('--min-error-reduction', 0, 1))
    .option('--min-target-labels <n>', 'verdict: labelled target rows needed to judge the probe (default 50)', parseIntegerOption('--min-target-labels', 1))
    .option('--out <dir>', 'output folder', 'shiftlens-out')
    .addOption(new Option('--format <image>', 'also write static chart images').choices(['svg', 'png']))
    .option('--json', 'print result.json to stdout')
    .option('--quiet', 'no progress on stderr')
    .option('--fail-on-shift', 'exit with code 1 when a shift is detected');
}

export function addInputOptions(command: Command): Command {
  return command
    .option('--text-column <name>', 'text column/field for both sides (default: text)')
    .option('--label-column <name>', 'label column/field for both sides (enables the linear probe)')
    .option('--reference-text-column <name>', 'text column of the reference only')
    .option('--target-text-column <name>', 'text column of the target only')
    .option('--reference-label-column <name>', 'label column of the reference only')
    .option('--target-label-column <name>', 'label column of the target only')
    .option('--label-map <map>', 'rename labels, e.g. "0=negative,4=positive"', parseLabelMap)
    .addOption(new Option('--input-format <fmt>', 'force the input format instead of guessing from the extension').choices(['csv', 'tsv', 'jsonl', 'text', 'sentiment140', 'npy', 'embeddings-jsonl']))
    .option('--vector-field <name>', 'vector field of embeddings JSONL (default: embedding)')
    .option('--encoding <enc>', 'text encoding of CSV/TSV/text files', parseChoice('--encoding', ['utf8', 'latin1'] as const), 'utf8');
}

export function toCompareOptions(flags: CompareCliFlags): CompareOptions {
  const side = (source: string, text?: string, label?: string): SideOptions => ({
    source,
    textColumn: text ?? flags.textColumn,
    labelColumn: label ?? flags.labelColumn,
    format: flags.inputFormat,
  });
  const options = defaultCompareOptions(
    side(flags.reference, flags.referenceTextColumn, flags.referenceLabelColumn),
    side(flags.target, flags.targetTextColumn, flags.targetLabelColumn),
  );
  return {
    ...options,
    model: flags.model,
    pooling: flags.pooling,
    maxLength: flags.maxLength,
    batchSize: flags.batchSize,
    normalize: Boolean(flags.normalize),
    cacheDir: flags.cache ? flags.cacheDir : null,
    vectorField: flags.vectorField,
    encoding: flags.encoding,
    maxRows: flags.maxRows,
    seed: flags.seed,
    alpha: flags.alpha,
    correction: flags.correction,
    minEffect: flags.minEffect ?? null,
    permutations: flags.permutations,
    tests: flags.tests ?? options.tests,
    components: flags.components,
    bandwidthRule: flags.bandwidth,
    topSamples: flags.top,
    labelMap: flags.labelMap ?? null,
    verdictThresholds: definedOnly({
      maxTransferGap: flags.maxTransferGap,
      minSeparableAccuracy: flags.minSeparableAccuracy,
      minErrorReduction: flags.minErrorReduction,
      minTargetLabels: flags.minTargetLabels,
    }),
  };
}

/** Runs a comparison and writes its outputs; returns the process exit code (0 or 1). */
export async function executeCompare(flags: CompareCliFlags): Promise<number> {
  const progress = createProgress({ quiet: flags.quiet });
  const options = toCompareOptions(flags);
  const run = await runCompare(options, progress);
  const written = await writeCompareOutputs(run, { outDir: flags.out, imageFormat: flags.format, seed: options.seed });
  if (flags.json) process.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
  if (!flags.quiet) {
    const v = run.result.verdict;
    process.stderr.write(`\n${v.headline}\n${v.recommendation}\n`);
    process.stderr.write(`wrote ${written.map((f) => path.relative(process.cwd(), f) || f).join(', ')}\n`);
  }
  return flags.failOnShift && run.result.suite.shiftDetected ? 1 : 0;
}

function definedOnly<T extends Record<string, number | undefined>>(values: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, number>>;
}
