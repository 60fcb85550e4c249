/**
 * Child process of bench/scale.ts: runs one full `compare` (pipeline + outputs) and reports its stage timings and
 * its own peak RSS, so the figure is this run's alone.
 */
import { runCompare } from '../src/pipeline/compare.js';
import { writeCompareOutputs } from '../src/pipeline/writeCompareOutputs.js';
import { defaultCompareOptions } from '../src/pipeline/compareOptions.js';
import { silentProgress } from '../src/core/progress.js';

const [referenceFile, targetFile, outDir] = process.argv.slice(2);
const started = performance.now();
const options = {
  ...defaultCompareOptions(
    { source: `sentiment140:${referenceFile}`, labelColumn: 'polarity' },
    { source: `sentiment140:${targetFile}`, labelColumn: 'polarity' },
  ),
  cacheDir: null,
};
const run = await runCompare(options, silentProgress);
await writeCompareOutputs(run, { outDir, seed: 0 });
process.send?.({
  totalMs: performance.now() - started,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  timings: run.result.timings,
  verdict: run.result.verdict.kind,
});
