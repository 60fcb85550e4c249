/**
 * The `monitor` pipeline: reference and stream embedded with one model → windows (by time or by rows) → one suite
 * per window at the per-window level α/N (alarmRule.ts) → verdicts and alarms → the most shifted samples of the
 * worst window → the history appended in one transaction. `monitorStream` is the part after embedding, which the
 * calibration tests and the benchmark call on vectors directly.
 */
import crypto from 'node:crypto';
import { selectRows, type Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import { createRng, type Rng } from '../core/random.js';
import { P_VALUE_FLOOR } from '../result/pValueFloor.js';
import type { FamilyCorrection, MinEffect } from '../twosample/suite.js';
import type { TestName } from '../pipeline/compareOptions.js';
import { rowGroupsFromIds, type SuiteOutcome } from '../pipeline/testSuite.js';
import type { RowGroups } from '../twosample/permutationDesign.js';
import { combineSampleScores, topIndices } from '../pipeline/sampleRanking.js';
import { knnConformalScores } from '../twosample/sampleScores/knnConformal.js';
import { detectRowClustering } from '../twosample/rowClustering.js';
import { TOOL_VERSION } from '../pipeline/toolVersion.js';
import {
  checkPermutations,
  defaultPermutations,
  guaranteeText,
  horizonAdjusted,
  planAlarms,
  windowSlot,
  type AlarmPlan,
} from './alarmRule.js';
import { MonitorHistory, windowKey, type HistoryState, type MonitorConfig } from './history.js';
import { loadMonitorInput, testWindow, type MonitorInputOptions, type MonitorReference } from './monitorInput.js';
import {
  MONITOR_SCHEMA_VERSION,
  validateMonitorResult,
  type MonitorResult,
  type TopSample,
  type WindowResult,
  type WindowVerdict,
} from './monitorSchema.js';
import { parseTimeColumn, type ResolvedTimeFormat, type TimeFormat } from './timeValues.js';
import { cutWindows, type StreamWindow } from './windows.js';
import type { WindowSpec } from './windowSpec.js';

export interface MonitorSettings {
  window: WindowSpec;
  /** Windows with fewer rows are reported as too small and not tested. */
  minWindowRows: number;
  alpha: number;
  horizon: number;
  /** null: defaultPermutations(plan). */
  permutations: number | null;
  /** --exact-budget (seconds the exact MMD may take per window; default the suite's). */
  exactBudgetSeconds?: number;
  tests: TestName[];
  correction: FamilyCorrection;
  minEffect: MinEffect;
  topSamples: number;
  seed: number;
}

export interface MonitorOptions extends MonitorInputOptions, MonitorSettings {
  timeFormat: TimeFormat;
  /** The history file (--history), or null for none. */
  historyFile: string | null;
}

/** The stream after embedding: its vectors and what names its rows. */
export interface StreamData {
  source: string;
  vectors: Matrix;
  texts: string[] | null;
  origins: string[];
  ids: string[] | null;
  /** ms since the epoch per row, or null without a time column. */
  times: Float64Array | null;
  /** Group id per row (--group-column / --target-group-column), or null: the tests then move whole groups. */
  groups?: string[] | null;
  timeColumn: string | null;
  timeFormat: ResolvedTimeFormat | null;
  nRead: number;
  nEmpty: number;
}

export interface MonitorRun {
  result: MonitorResult;
  /** Every current window of this monitor (history included) for the drift-over-time report. */
  timeline: WindowResult[];
}

/**
 * Writes a run's outputs; called while the history append is staged, so the history commits only once they are
 * written (and rolls back if writing fails).
 */
export type FinishRun = (run: MonitorRun) => Promise<void>;

/** The whole command: load, embed, test, append. Nothing is written when it throws. */
export async function runMonitor(options: MonitorOptions, progress: Progress, finish?: FinishRun): Promise<MonitorRun> {
  const plan = planAlarms(options.alpha, options.horizon);
  if (options.permutations !== null) checkPermutations(options.permutations, plan);
  // Opened first: a file that is not a history, or cannot be written, fails before any embedding.
  const history = options.historyFile ? MonitorHistory.open(options.historyFile) : null;
  try {
    // A reference embedded now fits its suite with the permutations the windows will use.
    const permutations = options.permutations ?? defaultPermutations(plan);
    const { reference, stream } = await loadMonitorInput({ ...options, permutations }, progress);
    let times: Float64Array | null = null;
    let timeFormat: ResolvedTimeFormat | null = null;
    if (options.timeColumn !== undefined && stream.timeCells) {
      const parsed = parseTimeColumn(stream.timeCells, stream.dataset.origins, options.timeColumn, options.timeFormat);
      times = parsed.times;
      timeFormat = parsed.format;
    }
    const data: StreamData = {
      source: stream.dataset.source,
      vectors: stream.vectors,
      texts: stream.dataset.texts,
      origins: stream.dataset.origins,
      ids: stream.ids,
      groups: stream.dataset.groups ?? null,
      times,
      timeColumn: options.timeColumn ?? null,
      timeFormat,
      nRead: stream.dataset.counts.nRead,
      nEmpty: stream.dataset.counts.nEmpty,
    };
    return await monitorStream(reference, data, options, progress, history, options.historyFile, async (run) => {
      run.result.warnings.unshift(...stream.warnings);
      await finish?.(run);
    });
  } catch (error) {
    // A history file this run created holds nothing committed: removed, like any other partial output.
    history?.discard();
    throw error;
  } finally {
    history?.close();
  }
}

/** Windows, tests, verdicts and the history append, on embedded data. */
export async function monitorStream(
  reference: MonitorReference,
  stream: StreamData,
  settings: MonitorSettings,
  progress: Progress,
  history: MonitorHistory | null = null,
  historyFile: string | null = null,
  finish: FinishRun = async () => {},
): Promise<MonitorRun> {
  const createdAt = new Date().toISOString();
  const runId = `${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${crypto.randomBytes(4).toString('hex')}`;
  const plan = planAlarms(settings.alpha, settings.horizon);
  const permutations = settings.permutations ?? defaultPermutations(plan);
  checkPermutations(permutations, plan);
  const config: MonitorConfig = {
    referenceChecksum: reference.checksum,
    referenceSource: reference.source,
    windowSpec: settings.window.text,
    alpha: plan.alpha,
    horizon: plan.horizon,
    model: reference.model.id,
  };
  const state: HistoryState = history
    ? history.state(config)
    : { monitorId: null, testedBefore: 0, windows: new Map() };
  const cut = cutWindows(stream.vectors.rows, settings.window, stream.times);
  const rng = createRng(settings.seed);
  const results: WindowResult[] = [];
  let tested = 0;
  let worst: { window: StreamWindow; result: WindowResult; suite: SuiteOutcome; vectors: Matrix } | null = null;
  const task = progress.start('testing windows', cut.windows.length);
  for (const w of cut.windows) {
    const base = describeWindow(w, stream);
    const stored = state.windows.get(windowKey(base));
    if (stored && stored.result.contentHash === base.contentHash) {
      results.push({
        ...stored.result,
        index: w.index,
        label: base.label,
        status: 'already-in-history',
        note: `already in the history (run ${stored.result.runId}) with the same rows: not tested again, no α spent`,
      });
    } else if (w.rows.length < settings.minWindowRows) {
      results.push({
        ...base,
        status: 'too-small',
        note: `${w.rows.length} row(s), fewer than the ${settings.minWindowRows} a window needs (--min-window-rows): not tested, no α spent`,
      });
    } else if (windowGroupCount(stream, w.rows) < 2) {
      results.push({
        ...base,
        status: 'too-small',
        note: `${w.rows.length} row(s) of 1 group (--group-column): the group-aware tests move whole groups and need at least 2 per side: not tested, no α spent`,
      });
    } else {
      const slot = windowSlot(state.testedBefore + tested, plan.horizon);
      tested++;
      const vectors = selectRows(stream.vectors, w.rows);
      const suite = await testWindow(
        reference,
        vectors,
        {
          tests: settings.tests,
          permutations,
          alpha: plan.perWindowAlpha,
          correction: settings.correction,
          minEffect: settings.minEffect,
          // Checked once per run below (the reference is the same for every window), not once per window.
          checkClustering: false,
          ...(settings.exactBudgetSeconds !== undefined ? { exactBudgetSeconds: settings.exactBudgetSeconds } : {}),
          groups: windowGroups(reference, stream, w.rows),
        },
        windowRng(rng, base.contentHash),
        progress,
      );
      const result = testedWindow(base, suite, plan, slot, runId, stored !== undefined);
      results.push(result);
      if (!worst || isWorse(result, worst.result)) worst = { window: w, result, suite, vectors };
    }
    task.increment(1);
  }
  task.done();

  const topSamples = worst
    ? await mostShiftedSamples(reference, worst.vectors, worst.window, worst.suite, stream, settings.topSamples)
    : [];
  const testedHere = results.filter((r) => r.status === 'tested');
  const alarms = results.filter((r) => r.alarm && r.status === 'tested');
  const usedInFamily = (state.testedBefore + tested) % plan.horizon;
  const family = windowSlot(Math.max(0, state.testedBefore + tested - 1), plan.horizon).family;
  const slotsUsed = state.testedBefore + tested === 0 ? 0 : usedInFamily === 0 ? plan.horizon : usedInFamily;
  const result: MonitorResult = {
    schemaVersion: MONITOR_SCHEMA_VERSION,
    kind: 'shiftlens-monitor',
    tool: { name: 'shiftlens', version: TOOL_VERSION },
    createdAt,
    runId,
    seed: settings.seed,
    reference: {
      source: reference.source,
      checksum: reference.checksum,
      bundleSha256: reference.bundleSha256,
      n: reference.vectors.rows,
      model: reference.model,
    },
    target: {
      source: stream.source,
      n: stream.vectors.rows,
      nRead: stream.nRead,
      nEmpty: stream.nEmpty,
      timeColumn: stream.timeColumn,
      timeFormat: stream.timeFormat,
    },
    window: {
      spec: settings.window.text,
      kind: settings.window.kind,
      minRows: settings.minWindowRows,
      emptyBuckets: cut.emptyBuckets,
    },
    alarmRule: {
      method: plan.method,
      alpha: plan.alpha,
      horizon: plan.horizon,
      perWindowAlpha: plan.perWindowAlpha,
      permutations,
      tests: settings.tests,
      correction: settings.correction,
      minEffect: settings.minEffect,
      guarantee: guaranteeText(plan),
      family,
      slotsUsed,
      slotsLeft: plan.horizon - slotsUsed,
    },
    summary: {
      nWindows: results.length,
      nTested: testedHere.length,
      nTooSmall: results.filter((r) => r.status === 'too-small').length,
      nAlreadyInHistory: results.filter((r) => r.status === 'already-in-history').length,
      nAlarms: alarms.length,
      firstAlarm: alarms[0]?.label ?? null,
      worstWindow: worst?.result.label ?? null,
      headline: headline(results, alarms, plan, worst?.result ?? null),
    },
    windows: results,
    worstWindow: worst ? { index: worst.window.index, label: worst.result.label, topSamples } : null,
    history: null,
    warnings: [
      ...clusteringWarnings(reference, rng),
      ...collectWarnings(results, cut.emptyBuckets, settings.window.kind),
    ],
  };
  validateMonitorResult(result);
  if (!history || !historyFile) {
    const run = { result, timeline: results };
    await finish(run);
    return run;
  }
  const staged = history.stage(
    config,
    {
      runId,
      startedAt: createdAt,
      targetSource: stream.source,
      seed: settings.seed,
      toolVersion: TOOL_VERSION,
      tests: settings.tests,
      permutations,
    },
    state,
    results,
  );
  try {
    const timeline = history.windows(config);
    result.history = {
      file: historyFile,
      appended: staged.appended,
      superseded: staged.superseded,
      windowsInHistory: timeline.length,
    };
    const run = { result, timeline };
    await finish(run);
    staged.commit();
    return run;
  } catch (error) {
    staged.rollback();
    throw error;
  }
}

/**
 * The reference's groups (those the bundle was built with) and the window's rows' groups, as compare pairs them
 * (rowGroupsFromIds: a side without groups counts each row as its own); null when neither side has groups.
 */
function windowGroups(reference: MonitorReference, stream: StreamData, rows: ArrayLike<number>): RowGroups | null {
  const referenceGroups = reference.bundle.reference.dataset.groups;
  const streamGroups = stream.groups;
  return rowGroupsFromIds(
    referenceGroups ?? undefined,
    streamGroups ? Array.from(rows, (i) => streamGroups[i]) : undefined,
    reference.vectors.rows,
    rows.length,
  );
}

/** Distinct groups among a window's rows (a row without a group is its own); Infinity without groups. */
function windowGroupCount(stream: StreamData, rows: ArrayLike<number>): number {
  const groups = stream.groups;
  if (!groups) return Number.POSITIVE_INFINITY;
  const seen = new Set<string>();
  for (let k = 0; k < rows.length; k++) {
    const g = groups[rows[k]];
    if (g === '') return 2; // rows without a group are groups of their own: with another row, at least 2
    seen.add(g);
    if (seen.size >= 2) return 2;
  }
  return seen.size;
}

/** Each window draws from its own stream, named by its rows: re-running a window gives the same numbers. */
function windowRng(rng: Rng, contentHash: string): Rng {
  return rng.fork(`window:${contentHash}`);
}

function describeWindow(w: StreamWindow, stream: StreamData): WindowResult {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    index: w.index,
    label: w.label,
    start: iso(w.startMs),
    end: iso(w.endMs),
    firstTime: iso(w.firstTimeMs),
    lastTime: iso(w.lastTimeMs),
    n: w.rows.length,
    status: 'tested',
    contentHash: contentHash(w.rows, stream),
    family: null,
    slot: null,
    perWindowAlpha: null,
    combinedPValue: null,
    adjustedPValue: null,
    verdict: null,
    alarm: false,
    runId: null,
    tests: [],
    warnings: [],
    note: null,
  };
}

/** SHA-256 of the window's rows in order: their texts, or their vectors' bytes for vector sources. */
export function contentHash(rows: Uint32Array, stream: Pick<StreamData, 'texts' | 'vectors'>): string {
  const hash = crypto.createHash('sha256');
  for (const r of rows) {
    if (stream.texts) hash.update(stream.texts[r], 'utf8');
    else {
      const v = stream.vectors;
      hash.update(Buffer.from(v.data.buffer, v.data.byteOffset + r * v.cols * 4, v.cols * 4));
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

function floorP(p: number | null): number | null {
  return p === null ? null : Math.max(P_VALUE_FLOOR, Math.min(1, p));
}

function testedWindow(
  base: WindowResult,
  suite: SuiteOutcome,
  plan: AlarmPlan,
  slot: { family: number; slot: number },
  runId: string,
  revised: boolean,
): WindowResult {
  const combined = floorP(suite.decision.combinedPValue);
  const verdict = windowVerdict(suite, plan);
  return {
    ...base,
    status: 'tested',
    family: slot.family,
    slot: slot.slot,
    perWindowAlpha: plan.perWindowAlpha,
    combinedPValue: combined,
    adjustedPValue: floorP(horizonAdjusted(combined, plan)),
    verdict,
    alarm: verdict === 'alarm',
    runId,
    tests: suite.tests.map((t) => ({
      name: t.name,
      label: t.label,
      statistic: t.statistic,
      pValue: floorP(t.pValue),
      pValueSuite: floorP(t.pValueAdjusted),
      pValueAdjusted: floorP(horizonAdjusted(t.pValueAdjusted, plan)),
      effectSize: t.effectSize,
      effectSizeName: t.effectSizeName,
      shift: t.shift,
      method: t.method,
    })),
    warnings: suite.warnings,
    note: revised
      ? 'this time bucket was in the history with other rows: tested again (one more slot spent); the older row is marked superseded'
      : null,
  };
}

export function windowVerdict(suite: Pick<SuiteOutcome, 'decision'>, plan: AlarmPlan): WindowVerdict {
  const d = suite.decision;
  if (d.shiftDetected) return 'alarm';
  if (d.statisticallySignificant) return 'below-min-effect';
  if (d.combinedPValue !== null && d.combinedPValue <= plan.alpha) return 'watch';
  return 'no-shift';
}

/** The worst window: the smallest combined p-value; ties (often at the permutation floor) by the largest C2ST/first effect. */
function isWorse(a: WindowResult, b: WindowResult): boolean {
  const pa = a.combinedPValue ?? 1;
  const pb = b.combinedPValue ?? 1;
  if (pa !== pb) return pa < pb;
  return leadEffect(a) > leadEffect(b);
}

function leadEffect(w: WindowResult): number {
  const t = w.tests.find((x) => x.name === 'c2st') ?? w.tests[0];
  return t ? t.effectSize : 0;
}

/** The worst window's rows ranked as compare ranks target samples: classifier probability and kNN conformal p. */
async function mostShiftedSamples(
  reference: MonitorReference,
  vectors: Matrix,
  window: StreamWindow,
  suite: SuiteOutcome,
  stream: StreamData,
  k: number,
): Promise<TopSample[]> {
  if (k === 0) return [];
  const knn = await knnConformalScores(reference.vectors, vectors);
  const scores = {
    knnDistance: knn.distance,
    knnPValue: knn.pValue,
    ...(suite.targetProbability ? { classifierProbability: suite.targetProbability } : {}),
  };
  const combined = combineSampleScores(scores, vectors.rows);
  if (!combined) return [];
  return topIndices(combined, k).map((i) => {
    const row = window.rows[i];
    return {
      row,
      origin: stream.origins[row],
      id: stream.ids ? stream.ids[row] : null,
      time: stream.times ? new Date(stream.times[row]).toISOString() : null,
      text: stream.texts ? stream.texts[row] : null,
      classifierProbability: suite.targetProbability ? suite.targetProbability[i] : null,
      knnDistance: knn.distance[i],
      knnPValue: floorP(knn.pValue[i]),
      combinedScore: combined[i],
    };
  });
}

function headline(
  results: WindowResult[],
  alarms: WindowResult[],
  plan: AlarmPlan,
  worst: WindowResult | null,
): string {
  const tested = results.filter((r) => r.status === 'tested').length;
  if (tested === 0) {
    const skipped = results.length - tested;
    const earlier = results.filter((r) => r.status === 'already-in-history' && r.alarm).length;
    return `No window tested (${skipped} window(s) too small or already in the history)${earlier ? `; ${earlier} of them alarmed in an earlier run` : ''}.`;
  }
  if (alarms.length > 0) {
    const first = alarms[0];
    return `Alarm: ${alarms.length} of ${tested} tested window(s) shifted from the reference, first ${first.label} (adjusted p ${formatP(first.adjustedPValue)}).`;
  }
  const watch = results.filter((r) => r.verdict === 'watch').length;
  return `No alarm in ${tested} tested window(s) at family-wise α = ${plan.alpha} per ${plan.horizon} windows${worst ? `; smallest adjusted p ${formatP(worst.adjustedPValue)} (${worst.label})` : ''}${watch ? `; ${watch} window(s) to watch (p ≤ α before the horizon's adjustment)` : ''}.`;
}

function formatP(p: number | null): string {
  if (p === null) return '–';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/**
 * Rows stored in clusters make row-level tests over-reject: checked on the reference. Not on the stream, whose
 * consecutive rows are alike by design when it drifts.
 */
function clusteringWarnings(reference: MonitorReference, rng: Rng): string[] {
  const signal = detectRowClustering(reference.vectors, rng.fork('clustering-reference'));
  if (!signal?.clustered) return [];
  return [
    `The reference's rows look clustered: consecutive rows are more alike than random pairs (serial similarity excess ${signal.excess.toFixed(2)}, p = ${signal.pValue.toFixed(3)}). Rows that come in groups (mails of one thread, passages of one document) make windows look shifted when they hold other groups than the reference; a reference drawn from one stretch of the stream also misses variety the stream brings. Draw the reference at random from a longer period if you can.`,
  ];
}

function collectWarnings(results: WindowResult[], emptyBuckets: number, kind: 'time' | 'rows'): string[] {
  const out: string[] = [];
  const tooSmall = results.filter((r) => r.status === 'too-small');
  if (tooSmall.length > 0) {
    out.push(
      `${tooSmall.length} window(s) had too few rows to test and were not tested: ${tooSmall
        .slice(0, 5)
        .map((r) => `${r.label} (${r.n})`)
        .join(', ')}${tooSmall.length > 5 ? ', …' : ''}.`,
    );
  }
  if (kind === 'time' && emptyBuckets > 0)
    out.push(`${emptyBuckets} time window(s) between the first and the last held no row.`);
  const counts = new Map<string, number>();
  for (const r of results)
    if (r.status === 'tested') for (const w of r.warnings) counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const [w, n] of counts) out.push(n > 1 ? `${w} (${n} windows)` : w);
  return out;
}
