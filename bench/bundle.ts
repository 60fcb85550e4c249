/**
 * Reference bundles (issue 11): how much faster `check` against a saved bundle is than `compare` of the same
 * reference and target, measured side by side in one process, with the bundle's size. Compare reads and embeds
 * both sides; the bundle is built once (read + embed + fit + write), then each check reads the bundle and embeds
 * only the target. Both give identical tests (checked here on every case). No embedding cache anywhere, so a
 * compare pays for embedding the reference as a first run does.
 * Cases: SOTU passages (wordvec:sg100d, 19th vs 20th century), SpamAssassin ham vs spam (wordvec:sg100d), and UCI
 * sentences and SpamAssassin mails through tiny-bert (test/fixtures/tiny-bert, transformers backend), where embedding
 * costs more (mails are long: many tokens per text).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentProgress } from '../src/core/progress.js';
import { readBundle, writeBundle } from '../src/bundle/bundleFile.js';
import { buildReference } from '../src/pipeline/buildReference.js';
import { checkTarget } from '../src/pipeline/check.js';
import { runCompare } from '../src/pipeline/compare.js';
import { defaultCompareOptions, type CompareOptions } from '../src/pipeline/compareOptions.js';
import type { ShiftlensResult } from '../src/result/resultTypes.js';

interface Case {
  name: string;
  model: string;
  reference: string;
  target: string;
  maxRows: number;
}

export async function runBench(options: { quick: boolean }): Promise<string> {
  const root = findRepoRoot();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlens-bench-bundle-'));
  const tinyBert = `transformers:${path.join(root, 'test', 'fixtures', 'tiny-bert')}`;
  const rows = options.quick ? 500 : 1000;
  const cases: Case[] = [
    { name: 'SOTU', model: 'wordvec:sg100d', reference: 'sotu:1790-1899', target: 'sotu:1946-2021', maxRows: rows },
    {
      name: 'SpamAssassin',
      model: 'wordvec:sg100d',
      reference: 'spam-assassin:easy-ham-1',
      target: 'spam-assassin:spam-2',
      maxRows: rows,
    },
    {
      name: 'UCI sentences',
      model: tinyBert,
      reference: 'uci-sentiment:amazon',
      target: 'uci-sentiment:yelp',
      maxRows: 1000,
    },
    {
      name: 'SpamAssassin mails',
      model: tinyBert,
      reference: 'spam-assassin:easy-ham-1',
      target: 'spam-assassin:spam-2',
      maxRows: options.quick ? 200 : 500,
    },
  ];
  const permutations = options.quick ? 199 : 1000;
  const reps = options.quick ? 1 : 2;
  const lines = [
    '## Reference bundles: check against a saved bundle vs compare',
    '',
    `Each row: one reference and one target, ${permutations} permutations, seed 0, no embedding cache; compare reads and embeds both sides, the bundle is built once, a check reads the bundle and embeds only the target. "Same tests": every test's statistic, p-value and effect size identical between check and compare.`,
    '',
    `Times are wall / CPU (user + system, all threads) seconds, medians of ${reps} alternating compare and check run${reps > 1 ? 's' : ''} after one warm-up; the bundle is built once.`,
    '',
    '| case | model | rows (ref / target) | compare | build (once) | check | compare / check | embedding: compare → check | bundle size | same tests |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  try {
    // Warm-up: module loading, JIT and the word-vector table, outside every measurement.
    await runCompare(
      {
        ...defaultCompareOptions({ source: 'uci-sentiment:imdb' }, { source: 'uci-sentiment:yelp' }),
        maxRows: 50,
        permutations: 19,
        cacheDir: null,
      },
      silentProgress,
    );
    for (const c of cases) {
      const options: CompareOptions = {
        ...defaultCompareOptions({ source: c.reference }, { source: c.target }),
        model: c.model,
        cacheDir: null,
        maxRows: c.maxRows,
        permutations,
        embedWorkers: 1,
      };
      const file = path.join(scratch, `${c.name.replace(/\W+/g, '-')}.shiftlens`);
      const { reference: _r, ...checkOptions } = options;
      const build = await measure(async () => {
        const { bundle } = await buildReference(options, silentProgress);
        await writeBundle(file, bundle);
        return null;
      });
      // Alternating runs, medians: the machine is shared, so both sides see the same load.
      const compares: Measured<ShiftlensResult>[] = [];
      const checks: Measured<ShiftlensResult>[] = [];
      for (let r = 0; r < reps; r++) {
        compares.push(await measure(async () => (await runCompare(options, silentProgress)).result));
        checks.push(
          await measure(async () => {
            const loaded = await readBundle(file, { model: c.model });
            return (await checkTarget(loaded, checkOptions, silentProgress)).result;
          }),
        );
      }
      const a = compares[0].value;
      const same = [...compares, ...checks].every(
        (m) => JSON.stringify(stripTimes(m.value.tests)) === JSON.stringify(stripTimes(a.tests)),
      );
      const [wallCompare, wallCheck] = [median(compares.map((m) => m.wallMs)), median(checks.map((m) => m.wallMs))];
      const [cpuCompare, cpuCheck] = [median(compares.map((m) => m.cpuMs)), median(checks.map((m) => m.cpuMs))];
      const size = fs.statSync(file).size;
      const modelName = c.model.startsWith('transformers:') ? 'tiny-bert (transformers)' : c.model;
      lines.push(
        `| ${c.name} | ${modelName} | ${a.reference.n} / ${a.target.n} | ${fmtS(wallCompare)} / ${fmtS(cpuCompare)} | ${fmtS(build.wallMs)} / ${fmtS(build.cpuMs)} | ${fmtS(wallCheck)} / ${fmtS(cpuCheck)} | ${(wallCompare / wallCheck).toFixed(2)}× / ${(cpuCompare / cpuCheck).toFixed(2)}× | ${fmtS(median(compares.map((m) => m.value.timings.embedMs ?? 0)))} → ${fmtS(median(checks.map((m) => m.value.timings.embedMs ?? 0)))} | ${(size / 2 ** 20).toFixed(2)} MiB | ${same ? 'yes' : 'NO'} |`,
      );
      const embedShare = (a.timings.embedMs ?? 0) / wallCompare;
      process.stderr.write(
        `bench/bundle: ${c.name}: compare ${fmtS(wallCompare)} (embedding ${(100 * embedShare).toFixed(0)}%), check ${fmtS(wallCheck)}\n`,
      );
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  lines.push(
    '',
    'What a check saves is reading and embedding the reference: the tests, the probe and the report run on the pooled sample either way, so the ratio grows with the cost of the model and the reference, and shrinks as permutations dominate.',
  );
  return lines.join('\n');
}

function stripTimes(tests: ShiftlensResult['tests']): unknown {
  return tests.map(({ timingMs: _ms, ...t }) => t);
}

function fmtS(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

interface Measured<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
}

async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('bench/bundle: cannot find the repository root');
    dir = parent;
  }
  return dir;
}
