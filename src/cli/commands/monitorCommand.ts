/**
 * `shiftlens monitor --bundle ref.shiftlens | --reference <source>  --target stream.csv --time-column ts --window 1d
 * [--history h.sqlite]`:
 * one two-sample suite per window of the stream against the reference, alarms controlled over a declared horizon
 * (src/monitor/alarmRule.ts), a history appended across runs, monitor-result.json and monitor-report.html.
 * Exit codes: 0 (no new alarm, or alarms without --fail-on-alarm), 1 a new alarm with --fail-on-alarm, 2 bad input.
 */
import { type Command, Option } from 'commander';
import { INPUT_FORMATS } from '../../ingest/dataset.js';
import { DEFAULT_TESTS, type SideOptions, type TestName } from '../../pipeline/compareOptions.js';
import { DEFAULT_MIN_WINDOW_ROWS, parseWindowSpec, WINDOW_USAGE, type WindowSpec } from '../../monitor/windowSpec.js';
import { TIME_FORMATS, type TimeFormat } from '../../monitor/timeValues.js';
import { DEFAULT_HORIZON } from '../../monitor/alarmRule.js';
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
  type EmbeddingCliFlags,
} from '../sharedFlags.js';

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
    .action(async (flags: MonitorCliFlags, command: Command) =>
      setExitCode(await (await import('../run/monitor.js')).executeMonitor(flags, command)),
    );
}
