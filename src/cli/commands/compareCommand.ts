/**
 * `shiftlens compare` and `shiftlens demo`: their flags. The run (options → pipeline → output folder → exit code)
 * is in ../run/compare.ts, loaded only when the command runs, so --help and usage errors load no pipeline.
 */
import { type Command, Option } from 'commander';
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
  addInputOptions,
  addProbeMaxFitRowsOption,
  type EmbeddingCliFlags,
  type InputCliFlags,
} from '../sharedFlags.js';
import { DEMO_SOURCES } from './demoSources.js';

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

export function addCompareCommand(program: Command, setExitCode: (code: number) => void): void {
  addInputOptions(
    addAnalysisOptions(
      program
        .command('compare')
        .description('compare a reference (training) and a target (test/deployment) dataset')
        .requiredOption(
          '--reference <source>',
          'file (.csv .tsv .jsonl .txt .npy .parquet), sentiment140:<file>, spam-assassin:<group>, sotu:<from>-<to>, uci-sentiment:<site>',
        )
        .requiredOption('--target <source>', 'same forms as --reference'),
    ),
  ).action(async (flags: CompareCliFlags) =>
    setExitCode(await (await import('../run/compare.js')).executeCompare(flags)),
  );
}

/** `demo`: compare on the bundled real data of demoSources.ts. */
export function addDemoCommand(program: Command, setExitCode: (code: number) => void): void {
  addAnalysisOptions(
    program
      .command('demo')
      .description(
        `compare bundled real data offline: ${DEMO_SOURCES.reference} (labelled ham/spam) vs ${DEMO_SOURCES.target}`,
      ),
  ).action(async (flags: Omit<CompareCliFlags, 'reference' | 'target'>) =>
    setExitCode(
      await (await import('../run/compare.js')).executeCompare({
        ...flags,
        reference: DEMO_SOURCES.reference,
        target: DEMO_SOURCES.target,
        labelColumn: DEMO_SOURCES.labelColumn,
      }),
    ),
  );
}
