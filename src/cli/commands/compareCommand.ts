/** `shiftlens compare` and `shiftlens demo`: options → pipeline → output folder → exit code. */
import { type Command, Option } from 'commander';
import path from 'node:path';
import { createProgress } from '../../core/progress.js';
import {
  ALPHA_RANGE,
  defaultCompareOptions,
  MAX_PERMUTATIONS,
  MIN_PERMUTATIONS,
  type CompareOptions,
} from '../../pipeline/compareOptions.js';
import { parseIntegerOption, parseMinEffect, parseNumberOption, parseTests, TESTS_HELP } from '../parseOptions.js';
import {
  addEmbeddingOptions,
  addExactBudgetOption,
  addProbeMaxFitRowsOption,
  toInputOptions,
  type EmbeddingCliFlags,
  type InputCliFlags,
} from '../sharedFlags.js';
import { preflight } from '../preflight.js';
import { formatNumber, formatPValue } from '../../report/format.js';
import type { ShiftlensResult } from '../../result/resultTypes.js';
import { verdictReportsShift } from '../../verdict/decide.js';

export interface CompareCliFlags extends InputCliFlags, EmbeddingCliFlags {
  alpha: number;
  correction: 'holm' | 'bonferroni';
  minEffect?: number | Record<string, number>;
  permutations: number;
  /** --exact-budget, seconds. */
  exactBudget: number;
  tests?: CompareOptions['tests'];
  components: number;
  bandwidth: 'scott' | 'silverman';
  top: number;
  maxTransferGap?: number;
  maxSeparabilityGap?: number;
  minSeparableAccuracy?: number;
  minErrorReduction?: number;
  minTargetLabels?: number;
  out: string;
  format?: 'svg' | 'png';
  json?: boolean;
  quiet?: boolean;
  failOnShift?: boolean;
  finetune?: boolean;
  probeMaxFitRows?: number;
}

/** The defaults of every analysis flag: the pipeline's (the library's compare() takes the same). */
const DEFAULTS = defaultCompareOptions({ source: '' }, { source: '' });

/** Options shared by compare and demo (demo fixes the sources). */
export function addAnalysisOptions(command: Command): Command {
  return addProbeMaxFitRowsOption(addExactBudgetOption(addEmbeddingOptions(command)))
    .option(
      '--alpha <a>',
      'family-wise significance level',
      parseNumberOption('--alpha', ALPHA_RANGE.min, ALPHA_RANGE.max),
      DEFAULTS.alpha,
    )
    .addOption(
      new Option('--correction <method>', 'family-wise correction over the tests')
        .choices(['holm', 'bonferroni'])
        .default(DEFAULTS.correction),
    )
    .option(
      '--min-effect <e>',
      'smallest effect size that counts as a practical shift: one number for every test, or per test on its own scale, e.g. "c2st=0.1,mmd=0.05"',
      parseMinEffect,
    )
    .option(
      '--permutations <n>',
      `permutations for permutation tests (${MIN_PERMUTATIONS} to ${MAX_PERMUTATIONS})`,
      parseIntegerOption(
        '--permutations',
        MIN_PERMUTATIONS,
        MAX_PERMUTATIONS,
        ` (${MAX_PERMUTATIONS} already resolves p-values down to 1e-5; more would run for hours)`,
      ),
      DEFAULTS.permutations,
    )
    .option('--tests <list>', TESTS_HELP, parseTests)
    .option(
      '--components <k>',
      'principal components shown with densities',
      parseIntegerOption('--components', 1),
      DEFAULTS.components,
    )
    .addOption(
      new Option('--bandwidth <rule>', 'KDE bandwidth rule')
        .choices(['scott', 'silverman'])
        .default(DEFAULTS.bandwidthRule),
    )
    .option('--top <k>', 'most shifted target samples listed', parseIntegerOption('--top', 0), DEFAULTS.topSamples)
    .option(
      '--max-transfer-gap <g>',
      'verdict: largest transfer gap (accuracy as a fraction) that still counts as transferring, judged on its 95% interval (default 0.05)',
      parseNumberOption('--max-transfer-gap', 0, 1),
    )
    .option(
      '--max-separability-gap <g>',
      "verdict: how far the target-only probe may fall short of the accuracy the reference's separability predicts, judged on its 95% interval (default 0.05)",
      parseNumberOption('--max-separability-gap', 0, 1),
    )
    .option(
      '--min-separable-accuracy <a>',
      'verdict: optional absolute floor on the target-only probe accuracy (default: none; separability is judged relative to the reference)',
      parseNumberOption('--min-separable-accuracy', 0, 1),
    )
    .option(
      '--min-error-reduction <r>',
      "verdict: optional floor on the share of the majority baseline's errors the target-only probe removes (default: none)",
      parseNumberOption('--min-error-reduction', 0, 1),
    )
    .option(
      '--min-target-labels <n>',
      'verdict: labelled target rows needed to judge the probe (default 50)',
      parseIntegerOption('--min-target-labels', 1),
    )
    .option('--out <dir>', 'output folder', 'shiftlens-out')
    .addOption(new Option('--format <image>', 'also write static chart images').choices(['svg', 'png']))
    .option('--json', 'print result.json to stdout')
    .option('--quiet', 'no progress on stderr')
    .option(
      '--finetune',
      "also compare the linear probe with an MLP head and fine-tuning the model on one reference split (result.json's finetune block; needs reference labels)",
    )
    .option(
      '--fail-on-shift',
      'exit with code 1 when the verdict reports a shift (embeddings, labels or labelling: the shift* kinds); sameDistribution and inconclusive exit 0',
    );
}

export function toCompareOptions(flags: CompareCliFlags): CompareOptions {
  const input = toInputOptions(flags);
  const options = defaultCompareOptions(input.reference, input.target);
  return {
    ...options,
    ...input,
    alpha: flags.alpha,
    correction: flags.correction,
    minEffect: flags.minEffect ?? null,
    permutations: flags.permutations,
    exactBudgetSeconds: flags.exactBudget,
    tests: flags.tests ?? options.tests,
    components: flags.components,
    bandwidthRule: flags.bandwidth,
    topSamples: flags.top,
    labelMap: flags.labelMap ?? null,
    verdictThresholds: definedOnly({
      maxTransferGap: flags.maxTransferGap,
      maxSeparabilityGap: flags.maxSeparabilityGap,
      minSeparableAccuracy: flags.minSeparableAccuracy,
      minErrorReduction: flags.minErrorReduction,
      minTargetLabels: flags.minTargetLabels,
    }),
    finetune: Boolean(flags.finetune),
    probeMaxFitRows: flags.probeMaxFitRows,
  };
}

/** Runs a comparison and writes its outputs; returns the process exit code (0 or 1). */
export async function executeCompare(flags: CompareCliFlags): Promise<number> {
  const progress = createProgress({ quiet: flags.quiet });
  const options = toCompareOptions(flags);
  await preflight(flags);
  // The pipeline and the report (Vega, onnxruntime, SQLite…) load only once the options and folders passed, so
  // --help and bad options answer at once.
  // One result to validate per process: zod's JIT-compiled parsers cost more to build (~0.3 s for the result schema)
  // than they save on a single parse.
  (await import('zod')).z.config({ jitless: true });
  const { runCompare } = await import('../../pipeline/compare.js');
  const { writeCompareOutputs } = await import('../../pipeline/writeCompareOutputs.js');
  const run = await runCompare(options, progress);
  const written = await writeCompareOutputs(run, { outDir: flags.out, imageFormat: flags.format, seed: options.seed });
  // The answer goes to stdout (--quiet hides progress, not the answer); with --json, stdout is the JSON alone.
  if (flags.json) process.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
  else process.stdout.write(verdictText(run.result, written));
  return flags.failOnShift && verdictReportsShift(run.result.verdict.kind) ? 1 : 0;
}

/** The verdict, each test's p-value and effect size, and where the outputs are — the run's answer as text. */
export function verdictText(result: ShiftlensResult, written: string[]): string {
  const v = result.verdict;
  const rows = result.tests.map((t) => {
    const p = t.pValueAdjusted ?? t.pValue;
    const pText = p === null ? 'effect size only' : `adjusted p ${formatPValue(p)}`;
    return `  ${t.label}: ${pText}, ${t.effectSizeName} ${formatNumber(t.effectSize)}${t.shift ? ' — shift' : ''}`;
  });
  const files = written.map((f) => path.relative(process.cwd(), f) || f).join(', ');
  return `[${v.kind}] ${v.headline}\n${v.recommendation}\n${rows.join('\n')}\nwrote ${files}\n`;
}

function definedOnly<T extends Record<string, number | undefined>>(values: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<
    Record<keyof T, number>
  >;
}
