/**
 * Child process of bench/scale.ts: runs one full `compare` (pipeline + outputs) and reports its stage timings, its
 * CPU time (user + system, every thread), every test's p-value and its own peak RSS, so the figures are this run's
 * alone.
 */
import { runCompare } from '../src/pipeline/compare.js';
import { writeCompareOutputs } from '../src/pipeline/writeCompareOutputs.js';
import { defaultCompareOptions } from '../src/pipeline/compareOptions.js';
import { silentProgress } from '../src/core/progress.js';

const [referenceFile, targetFile, outDir] = process.argv.slice(2);
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
process.send?.({
  totalMs: performance.now() - started,
  cpuMs: (used.user + used.system) / 1000,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  pValues: Object.fromEntries(run.result.tests.map((t) => [t.name, t.pValue])),
  timings: run.result.timings,
  verdict: run.result.verdict.kind,
});
