/**
 * This process's CPU time (user + system, every thread) sampled every 20 ms by a worker thread, so a benchmark can
 * attribute CPU to stages that run back to back on the main thread (which cannot sample while it computes).
 * Times are absolute (performance.timeOrigin + performance.now(), the same clock in every thread).
 */
import { Worker } from 'node:worker_threads';

const MAX_SAMPLES = 500_000;
const SAMPLER = `
const { workerData } = require('node:worker_threads');
const samples = new Float64Array(workerData.samples);
const stop = new Int32Array(workerData.stop);
while (Atomics.load(stop, 0) === 0) {
  const n = samples[0];
  if (2 * n + 2 < samples.length) {
    const cpu = process.cpuUsage();
    samples[2 * n + 1] = performance.timeOrigin + performance.now();
    samples[2 * n + 2] = (cpu.user + cpu.system) / 1000;
    samples[0] = n + 1;
  }
  Atomics.wait(stop, 0, 0, 20);
}
`;

export interface CpuSampler {
  /** CPU milliseconds used between two absolute times (linear between samples). */
  between(from: number, to: number): number;
  stop(): Promise<void>;
}

export function startCpuSampler(): CpuSampler {
  const buffer = new SharedArrayBuffer(8 * (2 * MAX_SAMPLES + 1));
  const samples = new Float64Array(buffer);
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(SAMPLER, { eval: true, workerData: { samples: buffer, stop: stopFlag.buffer } });
  worker.unref();
  const at = (t: number): number => {
    const n = samples[0];
    if (n === 0) return 0;
    let lo = 0;
    let hi = n - 1;
    if (t <= samples[1]) return samples[2];
    if (t >= samples[2 * hi + 1]) return samples[2 * hi + 2];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (samples[2 * mid + 1] <= t) lo = mid;
      else hi = mid;
    }
    const [t0, c0, t1, c1] = [samples[2 * lo + 1], samples[2 * lo + 2], samples[2 * hi + 1], samples[2 * hi + 2]];
    return c0 + ((c1 - c0) * (t - t0)) / Math.max(t1 - t0, 1e-9);
  };
  return {
    between: (from, to) => at(to) - at(from),
    stop: async () => {
      Atomics.store(stopFlag, 0, 1);
      Atomics.notify(stopFlag, 0);
      await worker.terminate();
    },
  };
}
