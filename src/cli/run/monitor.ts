/** `shiftlens monitor` run (../commands/monitorCommand.ts): options checked, the stream tested window by window. */
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { createProgress } from '../../core/progress.js';
import type { MonitorResult } from '../../monitor/monitorSchema.js';
import type { MonitorOptions } from '../../monitor/runMonitor.js';
import { DEFAULT_TESTS } from '../../pipeline/compareOptions.js';
import { formatNumber, formatPValue } from '../../report/format.js';
import type { MonitorCliFlags } from '../commands/monitorCommand.js';
import { preflight } from '../preflight.js';
import { toModelOptions } from '../sharedFlags.js';

/** Rows printed in the text answer; the rest are in monitor-result.json. */
const WINDOW_LINES = 40;

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
  // The stream's time column is checked with its other columns, from the header, before the reference is built.
  await preflight(
    {
      ...flags,
      reference: flags.reference ?? flags.target,
      model: options.bundle ? options.bundle.model.spec : flags.model,
    },
    'folder',
    [...(options.reference ? [options.reference] : []), { ...options.target, timeColumn: options.timeColumn }],
  );
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
