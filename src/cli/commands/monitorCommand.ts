/**
 * `shiftlens monitor --bundle ref.shiftlens | --reference <source>  --target stream.csv --time-column ts --window 1d
 * [--history h.sqlite]`:
 * one two-sample suite per window of the stream against the reference, alarms controlled over a declared horizon
 * (src/monitor/alarmRule.ts), a history appended across runs, monitor-result.json and monitor-report.html.
 * Exit codes: 0 (no new alarm, or alarms without --fail-on-alarm), 1 a new alarm with --fail-on-alarm, 2 bad input.
 */
import path from 'node:path';
import { type Command, Option } from 'commander';
import { createProgress } from '../../core/progress.js';
import { InputError } from '../../core/errors.js';
import { INPUT_FORMATS } from '../../ingest/dataset.js';
import { DEFAULT_TESTS, type SideOptions, type TestName } from '../../pipeline/compareOptions.js';
import { formatNumber, formatPValue } from '../../report/format.js';
import type { MonitorResult } from '../../monitor/monitorSchema.js';
import { DEFAULT_MIN_WINDOW_ROWS, parseWindowSpec, WINDOW_USAGE, type WindowSpec } from '../../monitor/windowSpec.js';
import { TIME_FORMATS, type TimeFormat } from '../../monitor/timeValues.js';
import { DEFAULT_HORIZON } from '../../monitor/alarmRule.js';
import type { MonitorOptions } from '../../monitor/runMonitor.js';
import {
  MAX_PERMUTATIONS,
  parseChoice,
  parseIntegerOption,
  parseMinEffect,
  parseNumberOption,
  parseTests,
} from '../parseOptions.js';
import {
  addEmbeddingOptions,
  addExactBudgetOption,
  addGroupColumnOptions,
  toModelOptions,
  type EmbeddingCliFlags,
} from '../sharedFlags.js';
import { preflight } from '../preflight.js';

export interface MonitorCliFlags extends EmbeddingCliFlags {
  bundle?: string;
  reference?: string;
  target: string;
  window: WindowSpec;
  timeColumn?: string;
  timeFormat: TimeFormat;
  history?: string;
  horizon: number;
  alpha: number;
  permutations?: number;
  tests?: TestName[];
  correction: 'holm' | 'bonferroni';
  minEffect?: number | Record<string, number>;
  minWindowRows: number;
  top: number;
  textColumn?: string;
  referenceTextColumn?: string;
  targetTextColumn?: string;
  idColumn?: string;
  groupColumn?: string;
  referenceGroupColumn?: string;
  targetGroupColumn?: string;
  /** --exact-budget, seconds. */
  exactBudget: number;
  inputFormat?: SideOptions['format'];
  vectorField?: string;
  encoding?: 'utf8' | 'latin1';
  out: string;
  json?: boolean;
  quiet?: boolean;
  failOnAlarm?: boolean;
}

/** Rows printed in the text answer; the rest are in monitor-result.json. */
const WINDOW_LINES = 40;

export function addMonitorCommand(program: Command, setExitCode: (code: number) => void): void {
  const command = addEmbeddingOptions(
    program
      .command('monitor')
      .description(
        'test a stream window by window against a reference (by time or by rows), with false alarms controlled over a declared horizon and a history across runs',
      )
      .option('--bundle <file>', 'the .shiftlens reference bundle (shiftlens reference build): nothing re-embedded')
      .option('--reference <source>', 'or: reference data embedded now, same forms as compare --reference')
      .requiredOption('--target <source>', 'the stream: a file with a text (or vector) column and a time column')
      .requiredOption('--window <spec>', WINDOW_USAGE, (v: string) => parseWindowSpec(v))
      .option('--time-column <name>', 'column/field with each row’s time: ISO 8601 (no zone = UTC) or Unix epoch')
      .addOption(
        new Option('--time-format <fmt>', 'how to read --time-column (auto: from its first row)')
          .choices(TIME_FORMATS)
          .default('auto'),
      )
      .option('--history <file>', 'SQLite file the windows are appended to across runs (created if missing)')
      .option(
        '--horizon <n>',
        'tested windows one --alpha covers: each window is tested at α/N',
        parseIntegerOption('--horizon', 1, 1_000_000),
        DEFAULT_HORIZON,
      )
      .option('--alpha <a>', 'family-wise false-alarm level per horizon', parseNumberOption('--alpha', 1e-9, 0.5), 0.05)
      .option(
        '--permutations <n>',
        `permutations per window (default: enough that 1/(P+1) ≤ α/N ÷ 5, at least 999; at most ${MAX_PERMUTATIONS})`,
        parseIntegerOption('--permutations', 19, MAX_PERMUTATIONS),
      )
      .option('--tests <list>', `comma-separated subset of ${DEFAULT_TESTS.join(',')}`, parseTests)
      .addOption(
        new Option('--correction <method>', 'family-wise correction over the tests of a window')
          .choices(['holm', 'bonferroni'])
          .default('holm'),
      )
      .option(
        '--min-effect <e>',
        'smallest effect size that counts as a practical shift (one number, or per test: "c2st=0.1,mmd=0.05")',
        parseMinEffect,
      )
      .option(
        '--min-window-rows <n>',
        'windows with fewer rows are reported as too small and not tested',
        parseIntegerOption('--min-window-rows', 5),
        DEFAULT_MIN_WINDOW_ROWS,
      )
      .option('--top <k>', 'most shifted samples of the worst window listed', parseIntegerOption('--top', 0), 20)
      .option('--text-column <name>', 'text column/field for both sides (default: text)')
      .option('--reference-text-column <name>', 'text column of the reference only')
      .option('--target-text-column <name>', 'text column of the stream only')
      .option('--id-column <name>', "column/field with each stream row's own id, shown with the most shifted samples")
      .addOption(
        new Option('--input-format <fmt>', 'force the input format instead of guessing from the extension').choices(
          INPUT_FORMATS,
        ),
      )
      .option('--vector-field <name>', 'vector column of embeddings JSONL or Parquet (default: embedding)')
      .option(
        '--encoding <enc>',
        'text encoding of CSV/TSV/text files (default: utf8)',
        parseChoice('--encoding', ['utf8', 'latin1'] as const),
      ),
  );
  addExactBudgetOption(addGroupColumnOptions(command, 'the stream'))
    .option('--out <dir>', 'output folder (monitor-result.json, monitor-report.html)', 'shiftlens-monitor')
    .option('--json', 'print monitor-result.json to stdout')
    .option('--quiet', 'no progress on stderr')
    .option('--fail-on-alarm', 'exit with code 1 when this run raises an alarm (windows tested by this run)')
    .action(async (flags: MonitorCliFlags, command: Command) => setExitCode(await executeMonitor(flags, command)));
}

export function toMonitorOptions(flags: MonitorCliFlags): MonitorOptions {
  if ((flags.bundle === undefined) === (flags.reference === undefined)) {
    throw new InputError(
      'monitor needs exactly one reference: --bundle <file.shiftlens> (from shiftlens reference build) or --reference <source>',
    );
  }
  if (flags.window.kind === 'time' && flags.timeColumn === undefined) {
    throw new InputError(
      `--window ${flags.window.text} cuts the stream by time and needs --time-column; or give a row count (e.g. --window 500rows)`,
    );
  }
  if (flags.history !== undefined && flags.history.trim() === '') {
    throw new InputError('--history is empty: name a file, or leave the option out for no history');
  }
  return {
    ...(flags.reference !== undefined
      ? {
          reference: {
            source: flags.reference,
            textColumn: flags.referenceTextColumn ?? flags.textColumn,
            groupColumn: flags.referenceGroupColumn ?? flags.groupColumn,
            format: flags.inputFormat,
          },
        }
      : {}),
    target: {
      source: flags.target,
      textColumn: flags.targetTextColumn ?? flags.textColumn,
      idColumn: flags.idColumn,
      groupColumn: flags.targetGroupColumn ?? flags.groupColumn,
      format: flags.inputFormat,
    },
    ...toModelOptions(flags),
    vectorField: flags.vectorField,
    encoding: flags.encoding,
    maxRows: flags.maxRows,
    seed: flags.seed,
    timeColumn: flags.timeColumn,
    timeFormat: flags.timeFormat,
    historyFile: flags.history ?? null,
    window: flags.window,
    minWindowRows: flags.minWindowRows,
    alpha: flags.alpha,
    horizon: flags.horizon,
    permutations: flags.permutations ?? null,
    exactBudgetSeconds: flags.exactBudget,
    tests: flags.tests ?? [...DEFAULT_TESTS],
    correction: flags.correction,
    minEffect: flags.minEffect ?? null,
    topSamples: flags.top,
  };
}

export async function executeMonitor(flags: MonitorCliFlags, command: Command): Promise<number> {
  const given = (key: string) => command.getOptionValueSource(key) === 'cli';
  const progress = createProgress({ quiet: flags.quiet });
  const options = toMonitorOptions(flags);
  if (flags.bundle !== undefined) {
    for (const key of ['referenceTextColumn', 'referenceGroupColumn'] as const) {
      if (given(key)) {
        throw new InputError(
          `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} does not apply with --bundle: the reference is in the bundle`,
        );
      }
    }
    // The bundle first (signature, checksum, version, model): a wrong file is refused before anything else.
    const { readBundle } = await import('../../bundle/bundleFile.js');
    options.bundle = await readBundle(flags.bundle, {
      ...(given('model') ? { model: flags.model } : {}),
      ...(given('pooling') ? { pooling: flags.pooling } : {}),
      ...(given('maxLength') ? { maxLength: flags.maxLength } : {}),
      ...(given('normalize') ? { normalize: Boolean(flags.normalize) } : {}),
    });
    // As check: the bundle's seed unless --seed is given.
    if (!given('seed')) options.seed = options.bundle.seed;
  }
  await preflight({
    ...flags,
    reference: flags.reference ?? flags.target,
    model: options.bundle ? options.bundle.model.spec : flags.model,
  });
  const { runMonitor } = await import('../../monitor/runMonitor.js');
  const { writeMonitorOutputs } = await import('../../monitor/writeMonitorOutputs.js');
  let written: string[] = [];
  const run = await runMonitor(options, progress, async (r) => {
    written = await writeMonitorOutputs(r, flags.out);
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
  else process.stdout.write(monitorText(run.result, written));
  return flags.failOnAlarm && run.result.summary.nAlarms > 0 ? 1 : 0;
}

/** The run's answer as text: headline, the alarm rule's guarantee, one line per window, where the outputs are. */
export function monitorText(result: MonitorResult, written: string[]): string {
  const s = result.summary;
  const tag = s.nAlarms > 0 ? 'alarm' : s.nTested > 0 ? 'no alarm' : 'nothing tested';
  const lines = result.windows.slice(0, WINDOW_LINES).map((w) => {
    const what =
      w.status === 'too-small' || w.combinedPValue === null
        ? `too small, not tested${w.status === 'already-in-history' ? ' (earlier run)' : ''}`
        : `p ${formatPValue(w.combinedPValue)}, p×N ${formatPValue(w.adjustedPValue)}, ${leadEffect(w)}${w.verdict ? ` — ${w.verdict}` : ''}${w.status === 'already-in-history' ? ' (earlier run)' : ''}`;
    return `  ${w.label}  n=${w.n}  ${what}`;
  });
  if (result.windows.length > WINDOW_LINES)
    lines.push(`  … ${result.windows.length - WINDOW_LINES} more in monitor-result.json`);
  const files = written.map((f) => path.relative(process.cwd(), f) || f).join(', ');
  const history = result.history
    ? `; history ${result.history.file}: +${result.history.appended} window(s), ${result.history.windowsInHistory} in all`
    : '';
  const warnings = result.warnings.map((w) => `warning: ${w}\n`).join('');
  return `[${tag}] ${s.headline}\nFalse alarms: ${result.alarmRule.guarantee}.\n${lines.join('\n')}\n${warnings}wrote ${files}${history}\n`;
}

function leadEffect(w: MonitorResult['windows'][number]): string {
  const t = w.tests.find((x) => x.name === 'c2st') ?? w.tests[0];
  return t ? `${t.name} ${t.effectSizeName} ${formatNumber(t.effectSize)}` : 'no test';
}
