/**
 * Focused runs for the combined decision and the group-aware tests (issue 8), cheaper than the detection grid
 * (no anchors) and keeping what the grid throws away: every test's p-value and, per trial, the p-value of every
 * jointly adjusted test on every shared labelling, so the weighted Westfall–Young decision can be recomputed for
 * any weights afterwards (weights chosen on some pairs, scored on others: bench/shared/jointWeights.ts).
 *
 *   node dist/bench/verdictCalibration.js run <scenario> <n> <trials> <out.jsonl> [first-trial]
 *   node dist/bench/verdictCalibration.js report <out.jsonl>...
 *   node dist/bench/verdictCalibration.js weights <shift.jsonl>...   (held-out choice of the joint weights)
 *   node dist/bench/verdictCalibration.js gap <shift.jsonl>...       (the suite's own decision vs the best test)
 *
 * Scenarios:
 * - `text-null`: a random split of the texts of one source (easy-ham-1, the UCI sentences, SOTU 1861–1945
 *   passages in turn: trial t uses source t mod 3), the default suite;
 * - `grouped-fixed:<range>` / `grouped-pooled:<range>`: SOTU addresses of `range` split into two halves, the
 *   suite run with the address as group, and a row-level MMD on the same rows. `fixed` draws exactly n passages from each
 *   half (the detection grid's construction); `pooled` draws 2n passages from the whole source first and then
 *   splits the addresses (sides of about n rows each); the row-level MMD runs only when every test does;
 * - `grouped-capped:<rows|groups>:<range>`: a grouped null with unequal sides capped at n rows per side, by a row
 *   sample or by whole groups (--max-rows with a group column; cappedGroupedSplit);
 * - `shift:<ref>|<target>`: n texts from each of two sources.
 * Each trial has its own seeded stream (`verdict-calibration:<scenario>:<n>:<trial>`), independent of the grid's.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { createMatrix, selectRows, type Matrix } from '../src/core/matrix.js';
import { createRng, type Rng } from '../src/core/random.js';
import { silentProgress } from '../src/core/progress.js';
import { DEFAULT_TESTS } from '../src/pipeline/compareOptions.js';
import { runTestSuite, type SuiteOptions } from '../src/pipeline/testSuite.js';
import type { Dataset } from '../src/ingest/dataset.js';
import { capWholeGroups } from '../src/ingest/wholeGroupCap.js';
import { labellingPValues } from '../src/twosample/pvalues/westfallYoung.js';
import { embedCorpus } from './shared/corpus.js';
import {
  cellPower,
  chooseWeights,
  gapToBest,
  type PowerCell,
  weightedMinP,
  weightGrid,
  type Weights,
} from './shared/jointWeights.js';
import { DEFAULT_JOINT_WEIGHTS } from '../src/twosample/suite.js';

export const CALIBRATION_ALPHA = 0.05;
export const CALIBRATION_PERMUTATIONS = 199;
const TEXT_NULL_SOURCES = ['spam-assassin:easy-ham-1', 'uci-sentiment:amazon+imdb+yelp', 'sotu:1861-1945'];

/** One trial as stored (one JSON line). */
export interface TrialRecord {
  scenario: string;
  n: number;
  trial: number;
  source: string;
  rows: [number, number];
  /** Raw and adjusted p-value per test. */
  p: Record<string, number>;
  adjusted: Record<string, number>;
  combined: boolean;
  combinedP: number;
  /** Per joint test: B·p_t(b) for every labelling b (observed first), as integers. */
  joint: Record<string, number[]>;
  /** Grouped scenarios (the suite above ran group-aware): groups per side, and a row-level MMD's p-value. */
  groups?: [number, number];
  rowLevelMmdP?: number;
  ms: number;
}

interface Corpus {
  vectors: Matrix;
  /** Address (0..G−1) per row for SOTU, else null. */
  groups: Int32Array | null;
}

const corpora = new Map<string, Corpus>();

async function corpus(spec: string): Promise<Corpus> {
  let c = corpora.get(spec);
  if (!c) {
    const embedded = await embedCorpus(spec);
    c = { vectors: embedded.vectors, groups: spec.startsWith('sotu:') ? addressIds(embedded.origins) : null };
    corpora.set(spec, c);
  }
  return c;
}

/** SOTU origins read "sotu:1861 Abraham Lincoln passage 3": the address is everything before " passage". */
function addressIds(origins: string[]): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(origins, (origin) => {
    const address = origin.replace(/ passage \d+$/, '');
    let id = ids.get(address);
    if (id === undefined) ids.set(address, (id = ids.size));
    return id;
  });
}

interface Drawn {
  source: string;
  reference: number[];
  target: number[];
  vectors: Matrix;
  groups: Int32Array | null;
}

async function draw(scenario: string, n: number, trial: number, rng: Rng): Promise<Drawn> {
  if (scenario === 'text-null') {
    const source = TEXT_NULL_SOURCES[trial % TEXT_NULL_SOURCES.length];
    const c = await corpus(source);
    const idx = Array.from(rng.sample(c.vectors.rows, 2 * n));
    return { source, reference: idx.slice(0, n), target: idx.slice(n), vectors: c.vectors, groups: null };
  }
  if (scenario.startsWith('shift:')) {
    const [ref, tgt] = scenario.slice(6).split('|');
    const a = await corpus(ref);
    const b = await corpus(tgt);
    // Stack the two sources so one index space serves both sides.
    const stacked = stack(a.vectors, b.vectors);
    return {
      source: `${ref} → ${tgt}`,
      reference: Array.from(rng.sample(a.vectors.rows, n)),
      target: Array.from(rng.sample(b.vectors.rows, n), (i) => i + a.vectors.rows),
      vectors: stacked,
      groups: null,
    };
  }
  const capped = /^grouped-capped:(rows|groups):(.+)$/.exec(scenario);
  if (capped) return cappedGroupedSplit(capped[1] as 'rows' | 'groups', `sotu:${capped[2]}`, n, rng);
  const match = /^grouped-(fixed|pooled):(.+)$/.exec(scenario);
  if (!match) throw new Error(`unknown scenario ${scenario}`);
  const source = `sotu:${match[2]}`;
  const c = await corpus(source);
  const groups = c.groups as Int32Array;
  const nGroups = Math.max(...groups) + 1;
  if (match[1] === 'pooled') {
    // Rows first (a text-level sample), then a random half of ALL addresses is the reference: given the rows
    // drawn, the addresses present on the reference side are a uniformly random subset of those present.
    const rows = rng.sample(groups.length, 2 * n);
    const order = rng.permutation(nGroups);
    const firstHalf = new Uint8Array(nGroups);
    for (let k = 0; k < nGroups >> 1; k++) firstHalf[order[k]] = 1;
    const reference: number[] = [];
    const target: number[] = [];
    for (const r of rows) (firstHalf[groups[r]] ? reference : target).push(r);
    return { source, reference, target, vectors: c.vectors, groups };
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const order = rng.permutation(nGroups);
    const firstHalf = new Uint8Array(nGroups);
    for (let k = 0; k < nGroups >> 1; k++) firstHalf[order[k]] = 1;
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < groups.length; i++) (firstHalf[groups[i]] ? a : b).push(i);
    if (a.length < n || b.length < n) continue;
    return {
      source,
      reference: Array.from(rng.sample(a.length, n), (k) => a[k]),
      target: Array.from(rng.sample(b.length, n), (k) => b[k]),
      vectors: c.vectors,
      groups,
    };
  }
  throw new Error(`${source}: no address split with ${n} passages per half`);
}

/**
 * `grouped-capped:<rule>:<range>`: --max-rows n on a grouped null with unequal sides. 5n passages are drawn from the
 * whole source, a random quarter of its addresses is the reference (about 1.25n rows) and the rest the target
 * (about 3.75n), each address at one rate (exchangeable at the address level); then both sides are capped at n as
 * --max-rows does: `rows`, a row sample of n per side (the ingest before whole groups: the reference keeps about
 * 80% of each address's rows, the target about 27%); `groups`, capWholeGroups on both sides together.
 */
async function cappedGroupedSplit(rule: 'rows' | 'groups', source: string, n: number, rng: Rng): Promise<Drawn> {
  const c = await corpus(source);
  const groups = c.groups as Int32Array;
  const nGroups = Math.max(...groups) + 1;
  const order = rng.permutation(nGroups);
  const quarter = new Uint8Array(nGroups);
  for (let k = 0; k < nGroups >> 2; k++) quarter[order[k]] = 1;
  const sides: number[][] = [[], []];
  for (const r of rng.sample(groups.length, 5 * n)) sides[quarter[groups[r]] ? 0 : 1].push(r);
  let [reference, target] = sides;
  if (rule === 'rows') {
    [reference, target] = sides.map((rows) =>
      Array.from(rng.sample(rows.length, Math.min(n, rows.length)), (k) => rows[k]),
    );
  } else {
    const asDataset = (rows: number[]): Dataset => ({
      source,
      texts: null,
      vectors: selectRows(c.vectors, Uint32Array.from(rows)),
      labels: null,
      origins: rows.map(String),
      groups: rows.map((r) => String(groups[r])),
      counts: { nRead: rows.length, nEmpty: 0, nDuplicate: 0, nSampledOut: 0, skipped: [] },
    });
    const kept = capWholeGroups([asDataset(reference), asDataset(target)], n, rng.int(2 ** 31));
    [reference, target] = kept.map((d) => d.origins.map(Number));
  }
  return { source, reference, target, vectors: c.vectors, groups };
}

function stack(a: Matrix, b: Matrix): Matrix {
  const data = new Float32Array((a.rows + b.rows) * a.cols);
  data.set(a.data, 0);
  data.set(b.data, a.rows * a.cols);
  return createMatrix(a.rows + b.rows, a.cols, data);
}

/** VERDICT_CALIBRATION_TESTS=frechet,centroid runs only those tests (a cheaper focused run); default: all. */
const TESTS = (process.env.VERDICT_CALIBRATION_TESTS?.split(',') as SuiteOptions['tests'] | undefined) ?? DEFAULT_TESTS;

const SUITE: SuiteOptions = {
  tests: TESTS,
  permutations: CALIBRATION_PERMUTATIONS,
  alpha: CALIBRATION_ALPHA,
  correction: 'holm',
  minEffect: null,
  checkClustering: false,
};

export async function runCalibrationTrial(scenario: string, n: number, trial: number): Promise<TrialRecord> {
  const started = performance.now();
  const rng = createRng(`verdict-calibration:${scenario}:${n}:${trial}`);
  const drawn = await draw(scenario, n, trial, rng.fork('sample'));
  const reference = selectRows(drawn.vectors, Uint32Array.from(drawn.reference));
  const target = selectRows(drawn.vectors, Uint32Array.from(drawn.target));
  // Grouped scenarios: the suite runs group-aware (the address as group); a row-level MMD beside it shows that the
  // split is a real test of the grouping.
  const groups = drawn.groups
    ? {
        reference: Int32Array.from(drawn.reference, (r) => (drawn.groups as Int32Array)[r]),
        target: Int32Array.from(drawn.target, (r) => (drawn.groups as Int32Array)[r]),
      }
    : null;
  const suite = await runTestSuite(
    reference,
    target,
    groups ? { ...SUITE, groups } : SUITE,
    rng.fork(groups ? 'suite-grouped' : 'suite'),
    silentProgress,
  );
  const record: TrialRecord = {
    scenario,
    n,
    trial,
    source: drawn.source,
    rows: [reference.rows, target.rows],
    p: {},
    adjusted: {},
    combined: suite.decision.shiftDetected,
    combinedP: suite.decision.combinedPValue ?? 1,
    joint: {},
    ms: 0,
  };
  for (const t of suite.tests) {
    if (t.pValue !== null) record.p[t.name] = t.pValue;
    if (t.pValueAdjusted !== null) record.adjusted[t.name] = t.pValueAdjusted;
  }
  for (const [name, recorded] of suite.jointNulls) {
    const b = recorded.statistics.length;
    record.joint[name] = Array.from(labellingPValues(recorded.statistics, recorded.tolerance), (v) =>
      Math.round(v * b),
    );
  }
  if (groups) {
    const g = suite.decision.groups;
    record.groups = g ? [g.reference, g.target] : [0, 0];
  }
  // The row-level check only in full runs (a focused run of a few tests saves its cost).
  if (groups && TESTS === DEFAULT_TESTS) {
    const rowLevel = await runTestSuite(
      reference,
      target,
      { ...SUITE, tests: ['mmd'] },
      rng.fork('suite-row-level'),
      silentProgress,
    );
    record.rowLevelMmdP = rowLevel.tests[0].pValue ?? 1;
  }
  record.ms = performance.now() - started;
  return record;
}

// ---------------------------------------------------------------------------------------------------------------
// Report

export interface Rate {
  k: number;
  trials: number;
  rate: number;
  se: number;
}

export function rate(flags: boolean[]): Rate {
  const k = flags.filter(Boolean).length;
  const r = flags.length ? k / flags.length : 0;
  return { k, trials: flags.length, rate: r, se: Math.sqrt((r * (1 - r)) / Math.max(flags.length, 1)) };
}

export function formatRate(r: Rate): string {
  return `${r.rate.toFixed(3)} ± ${r.se.toFixed(3)}`;
}

export async function readRecords(files: string[]): Promise<TrialRecord[]> {
  const out: TrialRecord[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as TrialRecord;
      const key = `${r.scenario}:${r.n}:${r.trial}:${Object.keys(r.p).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

function report(records: TrialRecord[]): string {
  const cells = new Map<string, TrialRecord[]>();
  for (const r of records) {
    const tests = Object.keys(r.p);
    const key = `${r.scenario} n=${r.n}${tests.length < DEFAULT_TESTS.length ? ` (${tests.join(', ')} only)` : ''}`;
    const list = cells.get(key) ?? [];
    list.push(r);
    cells.set(key, list);
  }
  const lines: string[] = [];
  for (const [key, list] of cells) {
    const tests = Object.keys(list[0].p);
    const at = (a: number) => `≤${a}`;
    lines.push(
      `### ${key} (${list.length} trials, ${(list.reduce((s, r) => s + r.ms, 0) / list.length / 1000).toFixed(2)} s/trial)`,
    );
    lines.push(`| method | ${[0.05, 0.1, 0.2].map(at).join(' | ')} |`, '|---|---:|---:|---:|');
    for (const t of tests)
      lines.push(
        `| ${t} | ${[0.05, 0.1, 0.2].map((a) => formatRate(rate(list.map((r) => r.p[t] <= a)))).join(' | ')} |`,
      );
    lines.push(
      `| combined | ${[0.05, 0.1, 0.2].map((a) => formatRate(rate(list.map((r) => r.combinedP <= a)))).join(' | ')} |`,
    );
    if (list[0].rowLevelMmdP !== undefined)
      lines.push(
        `| row-level mmd | ${[0.05, 0.1, 0.2].map((a) => formatRate(rate(list.map((r) => (r.rowLevelMmdP ?? 1) <= a)))).join(' | ')} |`,
      );
    lines.push('');
  }
  return lines.join('\n');
}

/** Which family a shift pair's sources come from (weights are chosen on one family and scored on the other). */
function family(source: string): 'SpamAssassin' | 'UCI + SOTU' {
  return source.startsWith('spam-assassin:') ? 'SpamAssassin' : 'UCI + SOTU';
}

function weightsReport(records: TrialRecord[]): string {
  const shifts = records.filter((r) => r.scenario.startsWith('shift:'));
  const cells = new Map<string, PowerCell & { family: string }>();
  let agree = 0;
  for (const r of shifts) {
    const label = `${r.source}, n = ${r.n}`;
    const cell = cells.get(label) ?? { label, family: family(r.source), trials: [] };
    cell.trials.push({ joint: r.joint, p: r.p });
    cells.set(label, cell);
    if (weightedMinP(r.joint, DEFAULT_JOINT_WEIGHTS) <= CALIBRATION_ALPHA === r.combined) agree++;
  }
  const all = [...cells.values()];
  const candidates = weightGrid(0.05);
  const show = (w: Weights) =>
    Object.entries(w)
      .map(([k, v]) => `${k} ${v.toFixed(3).replace(/0+$/, '').replace(/\.$/, '')}`)
      .join(', ');
  const lines = [
    `${shifts.length} shift trials; the recomputed default decision agrees with the suite's in ${agree}.`,
    '',
  ];
  const rules: { name: string; weights: Weights; chosenOn: string }[] = [
    { name: 'default', weights: DEFAULT_JOINT_WEIGHTS, chosenOn: 'the development pairs (in-sample everywhere)' },
    {
      name: 'equal',
      weights: Object.fromEntries(Object.keys(DEFAULT_JOINT_WEIGHTS).map((k) => [k, 1])),
      chosenOn: '–',
    },
  ];
  for (const fam of ['SpamAssassin', 'UCI + SOTU']) {
    const chosen = chooseWeights(
      all.filter((c) => c.family === fam),
      candidates,
      CALIBRATION_ALPHA,
    );
    rules.push({ name: `chosen on ${fam}`, weights: chosen, chosenOn: fam });
  }
  for (const rule of rules) lines.push(`- **${rule.name}**: ${show(rule.weights)}`);
  lines.push(
    '',
    `| pair, n | trials | best test | best | ${rules.map((r) => r.name).join(' | ')} |`,
    `|---|---:|---|---:|${rules.map(() => '---:').join('|')}|`,
  );
  for (const cell of all) {
    const base = cellPower(cell, DEFAULT_JOINT_WEIGHTS, CALIBRATION_ALPHA);
    const cols = rules.map((rule) => {
      const r = cellPower(cell, rule.weights, CALIBRATION_ALPHA);
      const held = rule.chosenOn !== cell.family && rule.name.startsWith('chosen') ? ' (held out)' : '';
      return `${r.combined.toFixed(3)} (${r.gap > 0 ? '−' : '+'}${Math.abs(r.gap).toFixed(3)} ± ${r.gapSe.toFixed(3)})${held}`;
    });
    lines.push(
      `| ${cell.label} | ${cell.trials.length} | ${base.bestTest} | ${base.best.toFixed(3)} | ${cols.join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Per shift cell (pair, n; every file's trials pooled, each trial once): the suite's own combined decision (as the
 * trials ran it, with the weights of that build) against the best single test, with counts and the paired SE.
 */
function gapReport(records: TrialRecord[]): string {
  const cells = new Map<string, TrialRecord[]>();
  for (const r of records.filter((x) => x.scenario.startsWith('shift:'))) {
    const label = `${r.source}, n = ${r.n}`;
    cells.set(label, [...(cells.get(label) ?? []), r]);
  }
  const lines = [
    '| pair, n | trials | trial ids | combined | best test | best | combined − best ± paired SE |',
    '|---|---:|---|---:|---|---:|---:|',
  ];
  for (const [label, list] of cells) {
    const g = gapToBest(
      list.map((r) => (r.combined ? 1 : 0)),
      list,
      CALIBRATION_ALPHA,
    );
    const ids = list.map((r) => r.trial);
    const k = (rate: number) => `${rate.toFixed(3)} (${Math.round(rate * list.length)})`;
    const sign = g.gap < 0 ? '−' : '+';
    lines.push(
      `| ${label} | ${list.length} | ${Math.min(...ids)}–${Math.max(...ids)} | ${k(g.combined)} | ${g.bestTest} | ${k(g.best)} | ${sign}${Math.abs(g.gap).toFixed(3)} ± ${g.gapSe.toFixed(3)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'run') {
    const [scenario, nText, trialsText, out, firstText] = args;
    const n = Number(nText);
    const first = Number(firstText ?? 0);
    const trials = Number(trialsText);
    for (let t = first; t < first + trials; t++) {
      const record = await runCalibrationTrial(scenario, n, t);
      await appendFile(out, `${JSON.stringify(record)}\n`);
    }
    return;
  }
  if (command === 'report') {
    process.stdout.write(`${report(await readRecords(args))}\n`);
    return;
  }
  if (command === 'weights') {
    process.stdout.write(`${weightsReport(await readRecords(args))}\n`);
    return;
  }
  if (command === 'gap') {
    process.stdout.write(`${gapReport(await readRecords(args))}\n`);
    return;
  }
  throw new Error(
    'usage: verdictCalibration.js run <scenario> <n> <trials> <out.jsonl> [first] | report|weights|gap <files…>',
  );
}

if (process.argv[1]?.endsWith('verdictCalibration.js')) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
