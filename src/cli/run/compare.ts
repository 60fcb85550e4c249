/** `shiftlens compare` and `shiftlens demo` run: options → pipeline → output folder → exit code. */
import path from 'node:path';
import { createProgress } from '../../core/progress.js';
import { defaultCompareOptions, type CompareOptions } from '../../pipeline/compareOptions.js';
import { formatNumber, formatPValue } from '../../report/format.js';
import type { ShiftlensResult } from '../../result/resultTypes.js';
import { verdictReportsShift } from '../../verdict/decide.js';
import type { CompareCliFlags } from '../commands/compareCommand.js';
import { preflight } from '../preflight.js';
import { toInputOptions } from '../sharedFlags.js';

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
  await preflight(flags, 'folder', [options.reference, options.target]);
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
