/**
 * What one command line costs: the CPU time (user + system, every thread of the process) of the built CLI for the
 * runs the tests make most — compare on bundled corpora with its report, embed, reference build, check, --help,
 * usage errors and bad input found from the options and file headers — median of a few runs each. With SHIFTLENS_BENCH_BASELINE=<a built main.js> (e.g. an older
 * commit's dist/src/cli/main.js) the two builds run alternately, side by side, with their ratio.
 *
 * The CPU is read by a hook loaded into the child (--import) that writes process.resourceUsage() at exit. Every run
 * shares one cache folder (.cache/bench-cli): a warm-up run converts the word-vector table, and the measured runs
 * find it and their embeddings cached, as the test suite's runs do.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CURRENT = resolve(here, '..', 'src', 'cli', 'main.js');
const CACHE = resolve(here, '..', '..', '.cache', 'bench-cli');
const HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.resourceUsage(); " +
    'writeFileSync(process.env.SHIFTLENS_BENCH_RUSAGE, String((u.userCPUTime + u.systemCPUTime) / 1e6)); });',
)}`;

interface Case {
  name: string;
  /**
   * The arguments; `{out}` is replaced by a fresh path per run, `{bundle}` by the bundle built once, `{stream}` by
   * a small CSV with columns when,text (no "ts", no "label").
   */
  args: string[];
  /** The exit code the run must end with (default 0). */
  exit?: number;
}

const SMALL = ['--permutations', '99', '--quiet'];
const CASES: Case[] = [
  { name: '`--help`', args: ['--help'] },
  { name: '`compare --help`', args: ['compare', '--help'] },
  {
    name: 'a bad option (`compare … --bogus`)',
    args: ['compare', '--reference', 'a.csv', '--target', 'b.csv', '--bogus'],
    exit: 2,
  },
  {
    name: 'a missing required option (`compare --reference a.csv`)',
    args: ['compare', '--reference', 'a.csv'],
    exit: 2,
  },
  {
    name: 'compare spam-assassin:easy-ham-1 vs an unknown group spam-assassin:spam-9',
    args: ['compare', '--reference', 'spam-assassin:easy-ham-1', '--target', 'spam-assassin:spam-9', '--out', '{out}'],
    exit: 2,
  },
  {
    name: "monitor --reference uci-sentiment:amazon, the stream's --time-column missing",
    args: [
      'monitor',
      '--reference',
      'uci-sentiment:amazon',
      '--target',
      '{stream}',
      '--time-column',
      'ts',
      '--window',
      '1d',
      '--out',
      '{out}',
    ],
    exit: 2,
  },
  {
    name: 'compare spam-assassin:easy-ham-1 vs spam-2, 60 rows, report',
    args: [
      'compare',
      '--reference',
      'spam-assassin:easy-ham-1',
      '--target',
      'spam-assassin:spam-2',
      '--max-rows',
      '60',
      ...SMALL,
      '--seed',
      '7',
      '--out',
      '{out}',
    ],
  },
  {
    name: 'compare uci-sentiment:amazon vs yelp, labelled, 80 rows, report',
    args: [
      'compare',
      '--reference',
      'uci-sentiment:amazon',
      '--label-column',
      'class',
      '--target',
      'uci-sentiment:yelp',
      '--max-rows',
      '80',
      ...SMALL,
      '--out',
      '{out}',
    ],
  },
  {
    name: 'embed uci-sentiment:amazon, 60 rows → Parquet',
    args: ['embed', '--input', 'uci-sentiment:amazon', '--max-rows', '60', '--quiet', '--out', '{out}.parquet'],
  },
  {
    name: 'reference build uci-sentiment:amazon, labelled, 80 rows',
    args: [
      'reference',
      'build',
      '--reference',
      'uci-sentiment:amazon',
      '--label-column',
      'class',
      '--max-rows',
      '80',
      '--seed',
      '4',
      '--quiet',
      '--out',
      '{out}.shiftlens',
    ],
  },
  {
    name: 'check uci-sentiment:yelp against that bundle, 80 rows, report',
    args: [
      'check',
      '--bundle',
      '{bundle}',
      '--target',
      'uci-sentiment:yelp',
      '--label-column',
      'class',
      '--max-rows',
      '80',
      ...SMALL,
      '--out',
      '{out}',
    ],
  },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One run of a build's CLI; its CPU seconds. */
function cpuOfRun(main: string, c: Pick<Case, 'args' | 'exit'>, dir: string, bundle: string): number {
  const out = mkdtempSync(join(dir, 'run-'));
  const rusage = join(out, 'rusage');
  const filled = c.args.map((a) =>
    a.replace('{out}', join(out, 'out')).replace('{bundle}', bundle).replace('{stream}', join(dir, 'stream.csv')),
  );
  const run = spawnSync(process.execPath, ['--import', HOOK, main, ...filled], {
    env: { ...process.env, SHIFTLENS_CACHE_DIR: CACHE, SHIFTLENS_BENCH_RUSAGE: rusage },
    encoding: 'utf8',
  });
  if (run.status !== (c.exit ?? 0)) throw new Error(`${c.args.join(' ')}: exit ${run.status}\n${run.stderr}`);
  const seconds = Number(readFileSync(rusage, 'utf8'));
  rmSync(out, { recursive: true, force: true });
  return seconds;
}

export async function runBench(options: { quick: boolean }): Promise<string> {
  const repeats = options.quick ? 3 : 5;
  const baseline = process.env.SHIFTLENS_BENCH_BASELINE ? resolve(process.env.SHIFTLENS_BENCH_BASELINE) : null;
  const builds = baseline ? [baseline, CURRENT] : [CURRENT];
  mkdirSync(CACHE, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'shiftlens-cli-cost-'));
  writeFileSync(join(dir, 'stream.csv'), 'when,text\n2024-01-01,hello there\n2024-01-02,how are you\n');
  try {
    // Warm-up, once (the builds share the cache): the table conversion and every case's embeddings. And each
    // build's own bundle for its check.
    const bundles = builds.map((main, b) => {
      const bundle = join(dir, `ref-${b}.shiftlens`);
      const build = CASES.find((c) => c.args[0] === 'reference') as Case;
      cpuOfRun(main, { args: build.args.map((a) => (a === '{out}.shiftlens' ? bundle : a)) }, dir, bundle);
      return bundle;
    });
    for (const c of CASES) cpuOfRun(CURRENT, c, dir, bundles[bundles.length - 1]);
    const rows: string[] = [];
    for (const c of CASES) {
      const seconds = builds.map(() => [] as number[]);
      for (let r = 0; r < repeats; r++)
        builds.forEach((main, b) => seconds[b].push(cpuOfRun(main, c, dir, bundles[b])));
      const m = seconds.map(median);
      rows.push(
        baseline
          ? `| ${c.name} | ${m[0].toFixed(2)} | ${m[1].toFixed(2)} | ${(m[0] / m[1]).toFixed(2)}× |`
          : `| ${c.name} | ${m[0].toFixed(2)} |`,
      );
    }
    const header = baseline
      ? ['| run | baseline CPU (s) | this build CPU (s) | baseline / this |', '|---|---:|---:|---:|']
      : ['| run | CPU (s) |', '|---|---:|'];
    return [
      '## CLI run cost',
      '',
      `CPU seconds (user + system, all threads) of one \`node dist/src/cli/main.js …\` process, median of ${repeats}` +
        `${baseline ? `, the two builds alternating (baseline: ${baseline})` : ''}; table and embeddings cached.`,
      '',
      ...header,
      ...rows,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
