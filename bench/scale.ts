/**
 * The paper's scale end to end: a Sentiment140-shaped training file of 1.6M tweets (headerless, Latin-1, HTML
 * entities; generated, since the real file cannot be downloaded here) against a 498-tweet test file, through the
 * whole `compare` (ingest, wordvec embedding, PCA/KDE, every test, per-sample scores, probe, report), in a child
 * process so its peak memory is its own. Quick mode: 100k tweets. Then 100,000 vs 100,000 labelled tweets (both sides
 * the same generator, different seeds), the size issue 12's stage timings are quoted at.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSentiment140Like } from '../test/ingest/sentiment140Fixture.js';

interface WorkerReport {
  totalMs: number;
  maxRssMb: number;
  timings: Record<string, number>;
  verdict: string;
}

export async function runBench(options: { quick: boolean }): Promise<string> {
  const rows = options.quick ? 100_000 : 1_600_000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shiftlens-bench-scale-'));
  try {
    const train = path.join(dir, 'train.csv');
    const test = path.join(dir, 'test.csv');
    await writeSentiment140Like(train, rows, 1);
    await writeSentiment140Like(test, 498, 2);
    const report = await runWorker(train, test, path.join(dir, 'out'));
    const stages = Object.entries(report.timings).map(
      ([k, ms]) => `| ${k.replace(/Ms$/, '')} | ${(ms / 1000).toFixed(1)} |`,
    );
    const reportMb = statSync(path.join(dir, 'out', 'report.html')).size / 2 ** 20;
    const balanced = path.join(dir, 'target-100k.csv');
    const balancedTrain = path.join(dir, 'train-100k.csv');
    await writeSentiment140Like(balancedTrain, 100_000, 1);
    await writeSentiment140Like(balanced, 100_000, 2);
    const even = await runWorker(balancedTrain, balanced, path.join(dir, 'out-100k'));
    const evenStages = Object.entries(even.timings).map(
      ([k, ms]) => `| ${k.replace(/Ms$/, '')} | ${(ms / 1000).toFixed(1)} |`,
    );

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
      `100,000 vs 100,000 labelled tweets (same generator, seeds 1 and 2), the same compare: total ${(even.totalMs / 1000).toFixed(1)} s, peak RSS ${even.maxRssMb.toFixed(0)} MB.`,
      '',
      '| stage | seconds |',
      '|---|---:|',
      ...evenStages,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
