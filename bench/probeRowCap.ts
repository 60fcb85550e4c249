/**
 * The probe's fit-row cap (ProbeOptions.maxFitRows, --probe-max-fit-rows) at d = 384: what capping each fit at
 * 2,000 / 5,000 / 10,000 rows, or not at all, costs in probe accuracy, transfer gap and their intervals, and what it
 * saves in CPU time. Real data: sentences of the State of the Union addresses (bundled SOTU corpus) labelled by the
 * president's party (Democratic vs Republican); reference 1853–1960, target 1961–2021 (a real shift of era).
 *
 * No 384-dimensional embedding of real text is available offline (no trained transformer in the fixtures or the
 * library's cache, and transformers on a MiniLM-sized model would take hours here), so the sentences' real
 * wordvec:sg100d vectors are lifted to 384 dimensions: the 100 real coordinates and 284 seeded random ReLU features
 * of them, [x ; relu(W x + b)], a full-rank 384-dimensional representation of real embeddings whose linear probe
 * has 384 weights per class to fit (more rows per dimension than the 100-d one). The 100-d vectors themselves are measured beside it.
 */
import os from 'node:os';
import { createMatrix, type Matrix } from '../src/core/matrix.js';
import { silentProgress } from '../src/core/progress.js';
import { createRng } from '../src/core/random.js';
import { createEmbedder } from '../src/embed/registry.js';
import { cleanSpeechText, readSpeeches } from '../src/ingest/corpora/sotu.js';
import { splitSentences } from '../src/ingest/text/sentences.js';
import type { Interval, ProbeResult } from '../src/probe/probeTypes.js';
import { runProbe } from '../src/probe/runProbe.js';

const PARTIES = ['Democratic', 'Republican'];
const MIN_WORDS = 5;
const LIFTED_DIM = 384;

interface Side {
  texts: string[];
  labels: string[];
}

/** SOTU sentences of Democratic and Republican presidents in [from, to], with ≥ MIN_WORDS words. */
async function sotuSentences(from: number, to: number): Promise<Side> {
  const side: Side = { texts: [], labels: [] };
  for (const speech of await readSpeeches()) {
    if (speech.year < from || speech.year > to || !PARTIES.includes(speech.party)) continue;
    for (const sentence of splitSentences(cleanSpeechText(speech.text))) {
      if (sentence.split(/\s+/).length < MIN_WORDS) continue;
      side.texts.push(sentence);
      side.labels.push(speech.party);
    }
  }
  return side;
}

/** A seeded random `n` of the side's rows (all of them when it has fewer). */
function sampleSide(side: Side, n: number, seed: number): Side {
  if (side.texts.length <= n) return side;
  const keep = Array.from(createRng(seed).sample(side.texts.length, n)).sort((a, b) => a - b);
  return { texts: keep.map((i) => side.texts[i]), labels: keep.map((i) => side.labels[i]) };
}

/**
 * [x ; relu(W x + b)] to `dim` columns: the real vector itself and dim − d_in random ReLU features of it, W ~ N(0,
 * 1/d_in), b ~ N(0, 1/4), by one seeded stream (the same lift for both sides).
 */
function reluLift(dim: number, inputDim: number, seed: number): (x: Matrix) => Matrix {
  const rng = createRng(seed);
  const hidden = dim - inputDim;
  const w = Float64Array.from({ length: hidden * inputDim }, () => rng.normal() / Math.sqrt(inputDim));
  const b = Float64Array.from({ length: hidden }, () => rng.normal() / 2);
  return (x) => {
    const out = createMatrix(x.rows, dim);
    for (let i = 0; i < x.rows; i++) {
      const row = x.data.subarray(i * inputDim, (i + 1) * inputDim);
      out.data.set(row, i * dim);
      for (let j = 0; j < hidden; j++) {
        let s = b[j];
        const wj = j * inputDim;
        for (let k = 0; k < inputDim; k++) s += w[wj + k] * row[k];
        out.data[i * dim + inputDim + j] = Math.max(s, 0);
      }
    }
    return out;
  };
}

const pct = (x: number) => (100 * x).toFixed(2);
const interval = (i: Interval) => `${pct(i.estimate)} [${pct(i.lower)}, ${pct(i.upper)}]`;
const width = (i: Interval) => (100 * (i.upper - i.lower)).toFixed(2);

interface CapRun {
  cap: number;
  result: ProbeResult;
  cpuSeconds: number;
  wallSeconds: number;
  load: string;
}

async function runCap(x: { reference: Matrix; target: Matrix }, sides: Side[], cap: number): Promise<CapRun> {
  const before = os.loadavg()[0];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await runProbe({
    reference: x.reference,
    referenceLabels: sides[0].labels,
    target: x.target,
    targetLabels: sides[1].labels,
    labelMap: null,
    rng: createRng(0).fork('probe'),
    progress: silentProgress,
    options: { maxFitRows: cap },
  });
  const used = process.cpuUsage(cpu);
  return {
    cap,
    result,
    // Every thread of the process: the fold workers' fits included.
    cpuSeconds: (used.user + used.system) / 1e6,
    wallSeconds: (performance.now() - started) / 1000,
    load: `${before.toFixed(1)}–${os.loadavg()[0].toFixed(1)}`,
  };
}

function table(runs: CapRun[]): string {
  const none = runs.find((r) => !Number.isFinite(r.cap)) as CapRun;
  const rows = runs.map((r) => {
    const p = r.result;
    const t = p.transfer;
    const own = p.targetOnly;
    const name = Number.isFinite(r.cap) ? r.cap.toLocaleString('en-US') : 'none';
    const delta = (p.reference.accuracy.estimate - none.result.reference.accuracy.estimate) * 100;
    return [
      name,
      p.reference.fitRows?.toLocaleString('en-US') ?? '',
      interval(p.reference.accuracy),
      width(p.reference.accuracy),
      `${delta >= 0 ? '+' : ''}${delta.toFixed(2)}`,
      t ? interval(t.accuracy) : '—',
      t ? interval(t.gap) : '—',
      t ? width(t.gap) : '—',
      own ? interval(own.accuracy) : '—',
      own ? interval(own.separabilityGap as Interval) : '—',
      r.cpuSeconds.toFixed(1),
      r.wallSeconds.toFixed(1),
      `${(r.cpuSeconds / none.cpuSeconds).toFixed(2)}×`,
      r.load,
    ];
  });
  return [
    '| cap (rows per fit) | rows one fit used | reference 5-fold accuracy % [95%] | width | vs none (points) | target accuracy % | transfer gap (points) [95%] | gap width | target-only accuracy % | separability gap (points) | CPU s | wall s | CPU vs none | load avg |',
    '|---|---:|---|---:|---:|---|---|---:|---|---|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export async function runBench(options: { quick: boolean }): Promise<string> {
  const perSide = options.quick ? 4000 : 20000;
  const caps = options.quick ? [2000, Number.POSITIVE_INFINITY] : [2000, 5000, 10000, Number.POSITIVE_INFINITY];
  const sides = [
    sampleSide(await sotuSentences(1853, 1960), perSide, 1),
    sampleSide(await sotuSentences(1961, 2021), perSide, 2),
  ];
  const embedder = await createEmbedder('wordvec:sg100d', {});
  let vectors: Matrix[];
  try {
    vectors = [];
    for (const side of sides) vectors.push((await embedder.embed(side.texts)).vectors);
  } finally {
    await embedder.dispose();
  }
  const lift = reluLift(LIFTED_DIM, vectors[0].cols, 384);
  const lifted = vectors.map(lift);
  const counts = sides.map((s) => PARTIES.map((p) => `${s.labels.filter((l) => l === p).length} ${p}`).join(', '));

  const sections = [
    '### Probe row cap (maxFitRows, --probe-max-fit-rows) at d = 384',
    `_From \`npm run bench -- --only probe-row-cap\` on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} cores, shared: load average in the last column). ` +
      `SOTU sentences (≥ ${MIN_WORDS} words) labelled by the president's party: reference 1853–1960, a seeded ${sides[0].texts.length.toLocaleString('en-US')} (${counts[0]}); ` +
      `target 1961–2021, ${sides[1].texts.length.toLocaleString('en-US')} (${counts[1]}). Default probe (5 folds, λ grid 1e-4…1, 1000 bootstrap replicates, label-efficiency curve), seed 0, caps run one after another in one process. ` +
      `CPU = user + system of every thread (the fold workers too). 384-d: the sentences' wordvec:sg100d vectors and 284 seeded random ReLU features of them, [x ; relu(Wx + b)] ` +
      '(no 384-d embedding of real text is available offline); 100-d: the vectors alone._',
  ];
  for (const [name, x] of [
    ['384-d (wordvec:sg100d and 284 random ReLU features of it)', { reference: lifted[0], target: lifted[1] }],
    ['100-d (wordvec:sg100d)', { reference: vectors[0], target: vectors[1] }],
  ] as const) {
    const runs: CapRun[] = [];
    for (const cap of caps) {
      process.stderr.write(`probe-row-cap: ${name}, cap ${cap}...\n`);
      runs.push(await runCap(x, sides, cap));
    }
    sections.push(`#### ${name}\n\n${table(runs)}`);
  }
  return sections.join('\n\n');
}
