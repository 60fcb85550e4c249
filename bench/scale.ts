/**
 * The paper's scale end to end: a Sentiment140-shaped training file of 1.6M tweets (headerless, Latin-1, HTML
 * entities; generated, since the real file cannot be downloaded here) against a 498-tweet test file, through the
 * whole `compare` (ingest, wordvec embedding, PCA/KDE, every test, per-sample scores, probe, report), in a child
 * process so its peak memory is its own. Quick mode: 100k tweets. Then 100,000 vs 100,000 labelled tweets (both sides
 * the same generator, different seeds), the size issue 12's stage timings are quoted at, with the process's CPU
 * time and every test's p-value; then the kNN scores' Gemm + TopK graph (20k targets × 20k reference rows of those
 * tweets) under onnxruntime's intra-op settings. SHIFTLENS_SCALE_EVEN_ONLY=1 skips the 1.6M-row run.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { createMatrix, type Matrix } from '../src/core/matrix.js';
import { createEmbedder } from '../src/embed/registry.js';
import { loadDataset } from '../src/ingest/loadDataset.js';
import { squaredNorms } from '../src/linalg/distances.js';
import { encodeModel } from '../src/linalg/onnx/onnxGraph.js';
import { NEAREST_GRAPH } from '../src/twosample/sampleScores/nearestGraph.js';
import { writeSentiment140Like } from '../test/ingest/sentiment140Fixture.js';

interface WorkerReport {
  totalMs: number;
  cpuMs: number;
  maxRssMb: number;
  timings: Record<string, number>;
  stageCpuMs: Record<string, number>;
  verdict: string;
  pValues: Record<string, number | null>;
}

export async function runBench(options: { quick: boolean }): Promise<string> {
  const rows = options.quick ? 100_000 : 1_600_000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shiftlens-bench-scale-'));
  try {
    if (process.env.SHIFTLENS_SCALE_EVEN_ONLY === '1') return (await evenScale(dir)).join('\n');
    const train = path.join(dir, 'train.csv');
    const test = path.join(dir, 'test.csv');
    await writeSentiment140Like(train, rows, 1);
    await writeSentiment140Like(test, 498, 2);
    const report = await runWorker(train, test, path.join(dir, 'out'));
    const stages = Object.entries(report.timings).map(
      ([k, ms]) => `| ${k.replace(/Ms$/, '')} | ${(ms / 1000).toFixed(1)} |`,
    );
    const reportMb = statSync(path.join(dir, 'out', 'report.html')).size / 2 ** 20;
    return [
      '## Scale: Sentiment140-sized comparison end to end',
      '',
      `${rows.toLocaleString('en-US')} generated tweets (${(statSync(train).size / 2 ** 20).toFixed(0)} MB, Sentiment140's layout) vs 498, ` +
        `\`compare\` with the default model (wordvec:sg100d), every default test, per-sample scores, the probe (polarity labels) and the report, in one process.`,
      '',
      `Total ${(report.totalMs / 1000).toFixed(1)} s, peak RSS ${report.maxRssMb.toFixed(0)} MB, report.html ${reportMb.toFixed(2)} MB.`,
      '',
      '| stage | seconds |',
      '|---|---:|',
      ...stages,
      '',
      ...(await evenScale(dir)),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 100,000 vs 100,000 labelled tweets through compare, then the kNN graph under intra-op settings. */
async function evenScale(dir: string): Promise<string[]> {
  const balanced = path.join(dir, 'target-100k.csv');
  const balancedTrain = path.join(dir, 'train-100k.csv');
  await writeSentiment140Like(balancedTrain, 100_000, 1);
  await writeSentiment140Like(balanced, 100_000, 2);
  const even = await runWorker(balancedTrain, balanced, path.join(dir, 'out-100k'));
  const evenStages = Object.entries(even.timings).map(
    ([k, ms]) =>
      `| ${k.replace(/Ms$/, '')} | ${(ms / 1000).toFixed(1)} | ${((even.stageCpuMs[k] ?? 0) / 1000).toFixed(1)} |`,
  );
  const pValues = Object.entries(even.pValues)
    .map(([name, p]) => `${name} ${p === null ? '–' : p.toFixed(4)}`)
    .join(', ');
  return [
    `100,000 vs 100,000 labelled tweets (same generator, seeds 1 and 2), the same compare: total ${(even.totalMs / 1000).toFixed(1)} s, ` +
      `process CPU (user + system, all threads) ${(even.cpuMs / 1000).toFixed(1)} s, peak RSS ${even.maxRssMb.toFixed(0)} MB, load average ${os.loadavg()[0].toFixed(1)} at the end. p-values: ${pValues}.`,
    '',
    '| stage | wall (s) | CPU (s) |',
    '|---|---:|---:|',
    ...evenStages,
    '',
    ...(await knnThreads(balancedTrain, balanced)),
  ];
}

/**
 * The kNN scores' graph (Gemm + TopK, nearestGraph.ts) on 20,000 target × 20,000 reference rows of the tweets, in
 * the blocks knnConformal.ts uses, under onnxruntime intra-op settings: wall and this process's CPU per setting,
 * each run twice in turn (the second pair reported), so a changing load hits them alike.
 */
export async function knnThreads(train: string, target: string): Promise<string[]> {
  const n = 20_000;
  const embedder = await createEmbedder('wordvec:sg100d', { cacheDir: null });
  const embed = async (file: string): Promise<Matrix> => {
    const texts = (await loadDataset(`sentiment140:${file}`, { seed: 0 })).texts as string[];
    return (await embedder.embed(texts.slice(0, n))).vectors;
  };
  const [points, queries] = [await embed(train), await embed(target)];
  await embedder.dispose();
  const d = points.cols;
  const settings = [
    { label: '2 threads, spinning (the project default)', threads: 2, spin: true },
    { label: '2 threads, no spinning (the kNN graph now)', threads: 2, spin: false },
    { label: '1 thread', threads: 1, spin: true },
  ];
  const model = encodeModel(NEAREST_GRAPH);
  const feeds = {
    B: new ort.Tensor('float32', points.data, [n, d]),
    Bn: new ort.Tensor('float32', Float32Array.from(squaredNorms(points)), [1, n]),
    K: new ort.Tensor('int64', BigInt64Array.of(5n), [1]),
  };
  const rowsPerRun = Math.floor((8 * 1024 * 1024) / n);
  const results = new Map<string, { wall: number; cpu: number }>();
  for (let round = 0; round < 2; round++) {
    for (const s of settings) {
      const session = await ort.InferenceSession.create(model, {
        intraOpNumThreads: s.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        ...(s.spin ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
      });
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let q0 = 0; q0 < n; q0 += rowsPerRun) {
        const q1 = Math.min(n, q0 + rowsPerRun);
        const a = createMatrix(q1 - q0, d, queries.data.subarray(q0 * d, q1 * d));
        await session.run({ A: new ort.Tensor('float32', a.data, [a.rows, d]), ...feeds });
      }
      const used = process.cpuUsage(cpu);
      results.set(s.label, { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 });
      await session.release();
    }
  }
  const gflop = (2 * n * n * d) / 1e9;
  return [
    `kNN graph (Gemm + TopK, k = 5) on 20,000 × 20,000 rows of these tweets (${gflop.toFixed(0)} GFLOP), blocks of ${rowsPerRun} rows; load average ${os.loadavg()[0].toFixed(1)}:`,
    '',
    '| onnxruntime intra-op setting | wall (s) | CPU (s) | GFLOP per CPU-second |',
    '|---|---:|---:|---:|',
    ...settings.map((s) => {
      const r = results.get(s.label) as { wall: number; cpu: number };
      return `| ${s.label} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(gflop / r.cpu).toFixed(1)} |`;
    }),
  ];
}

function runWorker(train: string, test: string, outDir: string): Promise<WorkerReport> {
  const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scaleWorker.js');
  return new Promise((resolve, reject) => {
    const child = fork(worker, [train, test, outDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: WorkerReport | null = null;
    child.on('message', (m) => (report = m as WorkerReport));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && report ? resolve(report) : reject(new Error(`scale worker exited with ${code}`)),
    );
  });
}
