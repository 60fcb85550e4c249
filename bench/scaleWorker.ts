/**
 * Child process of bench/scale.ts: runs one full `compare` (pipeline + outputs) and reports its stage timings, its
 * CPU time (user + system, every thread; per stage from a sampler thread, the stages taken back to back from the
 * start, so the little work between two stages counts in the next), every test's p-value and its own peak RSS, so
 * the figures are this run's alone.
 */
import { runCompare } from '../src/pipeline/compare.js';
import { writeCompareOutputs } from '../src/pipeline/writeCompareOutputs.js';
import { defaultCompareOptions } from '../src/pipeline/compareOptions.js';
import { silentProgress } from '../src/core/progress.js';
import { startCpuSampler } from './shared/cpuSampler.js';

const [referenceFile, targetFile, outDir] = process.argv.slice(2);
const sampler = startCpuSampler();
const started = performance.now();
const cpu = process.cpuUsage();
const options = {
  ...defaultCompareOptions(
    { source: `sentiment140:${referenceFile}`, labelColumn: 'polarity' },
    { source: `sentiment140:${targetFile}`, labelColumn: 'polarity' },
  ),
  cacheDir: null,
};
const run = await runCompare(options, silentProgress);
await writeCompareOutputs(run, { outDir, seed: 0 });
const used = process.cpuUsage(cpu);
// The stages run back to back from the start, in the order of result.timings: their CPU from the sampler.
const stageCpuMs: Record<string, number> = {};
let at = performance.timeOrigin + started;
for (const [stage, ms] of Object.entries(run.result.timings)) {
  stageCpuMs[stage] = sampler.between(at, at + ms);
  at += ms;
}
await sampler.stop();
process.send?.({
  totalMs: performance.now() - started,
  cpuMs: (used.user + used.system) / 1000,
  stageCpuMs,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  pValues: Object.fromEntries(run.result.tests.map((t) => [t.name, t.pValue])),
  timings: run.result.timings,
  verdict: run.result.verdict.kind,
});
