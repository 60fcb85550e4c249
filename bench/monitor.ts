/**
 * Monitoring on real streams (issue 11): how often `shiftlens monitor` raises a false alarm on streams with no shift,
 * and how soon it alarms after a change point. Every stream runs through the monitor's own code (monitorStream:
 * row windows, the default suite per window against an in-memory reference bundle); the alarm rule is evaluated on
 * the windows' family-wise p-values, which do not depend on the level, so the same windows also show what testing
 * each window at α without the horizon's adjustment would have done.
 *
 * Null streams: a reference of 200 random rows of one source, and 10 windows of 40 other rows of the same source in
 * random order (text-level nulls: rows drawn at random from one source are exchangeable; SOTU by passages). Change-point streams: 4 such
 * windows, then 4 windows of another source: easy-ham-1 → spam-2 (strong), easy-ham-1 → easy-ham-2 (a mixture shift,
 * subtle), and SOTU 1946–1989 → 1990–2021 with the later passages in year order (whole addresses per window).
 */
import { concatRows, selectRows, type Matrix } from '../src/core/matrix.js';
import { silentProgress } from '../src/core/progress.js';
import { createRng, type Rng } from '../src/core/random.js';
import { monitorStream } from '../src/monitor/runMonitor.js';
import { parseWindowSpec } from '../src/monitor/windowSpec.js';
import { vectorReference } from '../src/monitor/vectorReference.js';
import { DEFAULT_TESTS } from '../src/pipeline/compareOptions.js';
import { embedCorpus, type EmbeddedCorpus } from './shared/corpus.js';

const ALPHA = 0.05;
const HORIZON = 10;
const REFERENCE_ROWS = 200;
const WINDOW_ROWS = 40;
const PERMUTATIONS = 499;

/** The family-wise p-value of each window of a stream, through the monitor. */
async function windowPValues(reference: Matrix, windows: Matrix[], seed: number): Promise<number[]> {
  const vectors = windows.reduce((a, b) => concatRows(a, b));
  const n = vectors.rows;
  const run = await monitorStream(
    await vectorReference('bench reference', reference, { permutations: PERMUTATIONS, alpha: ALPHA }),
    {
      source: 'bench stream',
      vectors,
      texts: null,
      origins: Array.from({ length: n }, (_, i) => `stream row ${i + 1}`),
      ids: null,
      times: null,
      timeColumn: null,
      timeFormat: null,
      nRead: n,
      nEmpty: 0,
    },
    {
      window: parseWindowSpec(`${WINDOW_ROWS}rows`),
      minWindowRows: WINDOW_ROWS,
      alpha: ALPHA,
      horizon: HORIZON,
      permutations: PERMUTATIONS,
      tests: [...DEFAULT_TESTS],
      correction: 'holm',
      minEffect: null,
      topSamples: 0,
      seed,
    },
    silentProgress,
  );
  return run.result.windows.map((w) => w.combinedPValue ?? 1);
}

function take(rows: Uint32Array, from: number, count: number): Uint32Array {
  return rows.subarray(from, from + count);
}

function chunks(m: Matrix, rows: Uint32Array, k: number): Matrix[] {
  return Array.from({ length: k }, (_, i) => selectRows(m, take(rows, i * WINDOW_ROWS, WINDOW_ROWS)));
}

interface NullRow {
  source: string;
  streams: number;
  spending: number;
  naive: number;
  windows: number;
  perWindowAtLevel: number;
  perWindowAt05: number;
}

async function nullStreams(corpus: EmbeddedCorpus, streams: number, label: string): Promise<NullRow> {
  const rng = createRng(`monitor-null:${corpus.spec}`);
  let spending = 0;
  let naive = 0;
  let atLevel = 0;
  let at05 = 0;
  let windows = 0;
  for (let s = 0; s < streams; s++) {
    const rows = rng.permutation(corpus.vectors.rows);
    const reference = selectRows(corpus.vectors, take(rows, 0, REFERENCE_ROWS));
    const stream = chunks(corpus.vectors, rows.subarray(REFERENCE_ROWS), HORIZON);
    const p = await windowPValues(reference, stream, s);
    if (p.some((x) => x <= ALPHA / HORIZON)) spending++;
    if (p.some((x) => x <= ALPHA)) naive++;
    atLevel += p.filter((x) => x <= ALPHA / HORIZON).length;
    at05 += p.filter((x) => x <= ALPHA).length;
    windows += p.length;
  }
  return {
    source: label,
    streams,
    spending: spending / streams,
    naive: naive / streams,
    windows,
    perWindowAtLevel: atLevel / windows,
    perWindowAt05: at05 / windows,
  };
}

interface ChangeRow {
  pair: string;
  streams: number;
  preAlarms: number;
  detected: number;
  delays: number[];
}

const PRE = 4;
const POST = 4;

async function changeStreams(
  label: string,
  before: EmbeddedCorpus,
  after: EmbeddedCorpus,
  streams: number,
  ordered: boolean,
  rng: Rng,
): Promise<ChangeRow> {
  let preAlarms = 0;
  let detected = 0;
  const delays: number[] = [];
  for (let s = 0; s < streams; s++) {
    const rows = rng.permutation(before.vectors.rows);
    const reference = selectRows(before.vectors, take(rows, 0, REFERENCE_ROWS));
    const pre = chunks(before.vectors, rows.subarray(REFERENCE_ROWS), PRE);
    let postRows: Uint32Array;
    if (ordered) {
      // A contiguous run of passages in file (year) order from a random start.
      const start = rng.int(after.vectors.rows - POST * WINDOW_ROWS);
      postRows = Uint32Array.from({ length: POST * WINDOW_ROWS }, (_, i) => start + i);
    } else {
      postRows = rng.permutation(after.vectors.rows);
    }
    const post = chunks(after.vectors, postRows, POST);
    const p = await windowPValues(reference, [...pre, ...post], s);
    const level = ALPHA / HORIZON;
    if (p.slice(0, PRE).some((x) => x <= level)) preAlarms++;
    const first = p.slice(PRE).findIndex((x) => x <= level);
    if (first >= 0) {
      detected++;
      delays.push(first);
    }
  }
  return { pair: label, streams, preAlarms, detected, delays };
}

/** Wilson 95% interval of a proportion. */
function wilson(share: number, n: number): [number, number] {
  const z = 1.96;
  const centre = (share + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((share * (1 - share)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export async function runBench(options: { quick: boolean }): Promise<string> {
  const nullCount = options.quick ? 4 : 32;
  const sotuNullCount = options.quick ? 2 : 8;
  const changeCount = options.quick ? 2 : 4;
  const ham = await embedCorpus('spam-assassin:easy-ham-1');
  const ham2 = await embedCorpus('spam-assassin:easy-ham-2');
  const spam = await embedCorpus('spam-assassin:spam-2');
  const sotuEarly = await embedCorpus('sotu:1946-1989');
  const sotuLate = await embedCorpus('sotu:1990-2021');

  const nulls = [
    await nullStreams(ham, nullCount, 'easy-ham-1 (mails)'),
    await nullStreams(sotuEarly, sotuNullCount, 'SOTU 1946–1989 (passages)'),
  ];
  const rng = createRng('monitor-change');
  const changes = [
    await changeStreams('easy-ham-1 → spam-2', ham, spam, changeCount, false, rng.fork('spam')),
    await changeStreams('easy-ham-1 → easy-ham-2', ham, ham2, changeCount, false, rng.fork('ham2')),
    await changeStreams(
      'SOTU 1946–1989 → 1990–2021 (year order)',
      sotuEarly,
      sotuLate,
      changeCount,
      true,
      rng.fork('sotu'),
    ),
  ];

  const lines = [
    '## Monitoring: false alarms and detection delay',
    '',
    `\`shiftlens monitor\` on real streams, through its own code (bench/monitor.ts): reference ${REFERENCE_ROWS} random rows, windows of ${WINDOW_ROWS} rows, the default suite (${DEFAULT_TESTS.join(', ')}; ${PERMUTATIONS} permutations), α = ${ALPHA} over a horizon of N = ${HORIZON} windows, so each window is tested at α/N = ${ALPHA / HORIZON}; wordvec:sg100d. "Without the adjustment" tests each window at α on the same windows.`,
    '',
    '| null stream (no shift) | streams × windows | P(any false alarm in N windows), alpha spending [95% CI] | without the adjustment | per-window rate at α/N | per-window rate at α |',
    '|---|---|---|---|---|---|',
    ...nulls.map((r) => {
      const [lo, hi] = wilson(r.spending, r.streams);
      return `| ${r.source} | ${r.streams} × ${HORIZON} | ${pct(r.spending)} [${pct(lo)}, ${pct(hi)}] | ${pct(r.naive)} | ${pct(r.perWindowAtLevel)} | ${pct(r.perWindowAt05)} |`;
    }),
    '',
    `Change-point streams: ${PRE} windows of the first source (held-out rows), then ${POST} of the second; delay = windows after the change until the first alarm (0: the first shifted window).`,
    '',
    '| change | streams | false alarm before the change | detected within 4 windows | delays |',
    '|---|---|---|---|---|',
    ...changes.map(
      (r) =>
        `| ${r.pair} | ${r.streams} | ${r.preAlarms}/${r.streams} | ${r.detected}/${r.streams} | ${r.delays.length ? `mean ${(r.delays.reduce((a, b) => a + b, 0) / r.delays.length).toFixed(2)} (${r.delays.join(', ')})` : '–'} |`,
    ),
  ];
  return lines.join('\n');
}
