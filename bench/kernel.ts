/**
 * Dense-kernel benchmarks: matrix products on onnxruntime (MLAS) vs plain JS, and the kernel two-sample tests —
 * the exact MMD permutation test (batched Gemm engine) next to a straightforward implementation (full kernel in JS,
 * one permutation at a time over it) on the same data, σ and permutations; the exact test at its pooled-size cap;
 * and the linear-time block MMD at 1,000,000 vs 1,000,000 × 100 dims. The two large runs happen in child
 * processes so their peak RSS is their own.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMatrix, type Matrix } from '../src/core/matrix.js';
import { createRng, type Rng } from '../src/core/random.js';
import { silentProgress } from '../src/core/progress.js';
import { matmul } from '../src/linalg/gemm.js';
import { ORT_THREADS } from '../src/linalg/onnx/sessions.js';
import { mmdDetector } from '../src/twosample/mmd.js';
import { energyDetector } from '../src/twosample/energy.js';
import { mmdLinearDetector } from '../src/twosample/mmdLinear.js';
import { mmdFourierDetector } from '../src/twosample/mmdFourier.js';
import { centredPooled } from '../src/twosample/kernels/pooledSample.js';
import { buildPooledMatrix, POOLED_MATRIX_MAX_ROWS } from '../src/twosample/kernels/pooledMatrix.js';
import { createLabellingSampler } from '../src/twosample/kernels/permutationEngine.js';

const CHILD_FLAG = '--kernel-bench-child';

async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

const fmt = (ms: number) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function gaussianRows(rng: Rng, n: number, d: number, shift = 0): Matrix {
  const m = createMatrix(n, d);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal() + (i % d === 0 ? shift : 0);
  return m;
}

/**
 * Fast rows for the million-row runs: each row is a random window of a pool of 2²² seeded normals (timing and
 * memory do not depend on the values; drawing 2·10⁸ fresh normals would take longer than the test itself).
 */
function pooledWindowRows(rng: Rng, n: number, d: number, shift: number): Matrix {
  const pool = new Float32Array(1 << 22);
  for (let i = 0; i < pool.length; i++) pool[i] = rng.normal();
  const m = createMatrix(n, d);
  for (let i = 0; i < n; i++) {
    m.data.set(pool.subarray(rng.int(pool.length - d)).subarray(0, d), i * d);
    m.data[i * d] += shift;
  }
  return m;
}

// ---------- straightforward MMD: full kernel in JS, then one permutation at a time ----------

function naiveKernel(pooled: Matrix, sigma: number): Float64Array {
  const n = pooled.rows;
  const d = pooled.cols;
  const k = new Float64Array(n * n);
  const g = 1 / (2 * sigma * sigma);
  for (let i = 0; i < n; i++) {
    k[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = pooled.data[i * d + c] - pooled.data[j * d + c];
        s += t * t;
      }
      k[i * n + j] = k[j * n + i] = Math.exp(-g * s);
    }
  }
  return k;
}

/** Unbiased MMD² for labels (1 = X), from the upper triangle of K. */
function naiveMmd2(k: ArrayLike<number>, n: number, inX: Uint8Array, n1: number): number {
  const n2 = n - n1;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < n; i++) {
    const li = inX[i];
    const off = i * n;
    for (let j = i + 1; j < n; j++) {
      const v = k[off + j];
      if (li !== inX[j]) xy += v;
      else if (li) xx += v;
      else yy += v;
    }
  }
  return (2 * xx) / (n1 * (n1 - 1)) + (2 * yy) / (n2 * (n2 - 1)) - (2 * xy) / (n1 * n2);
}

function naivePermutationTest(
  k: ArrayLike<number>,
  n: number,
  n1: number,
  permutations: number,
  rng: Rng,
): { observed: number; pValue: number } {
  const inX = new Uint8Array(n);
  inX.fill(1, 0, n1);
  const observed = naiveMmd2(k, n, inX, n1);
  const draw = createLabellingSampler(rng, n, n1);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    inX.fill(0);
    for (const i of draw()) inX[i] = 1;
    if (naiveMmd2(k, n, inX, n1) >= observed - 1e-12) atLeast++;
  }
  return { observed, pValue: (1 + atLeast) / (1 + permutations) };
}

// ---------- child processes for the large runs (own peak RSS) ----------

interface ChildReport {
  kind: string;
  n: number;
  d: number;
  dataSeconds: number;
  runSeconds: number;
  rssAfterData: number;
  maxRss: number;
  statistic: number;
  pValue: number;
  method: string;
}

async function childMain(kind: string, n: number, d: number): Promise<void> {
  const rng = createRng(`bench-kernel-${kind}`);
  const data = await timed(() =>
    kind === 'linear' || kind === 'rff'
      ? [pooledWindowRows(rng, n, d, 0), pooledWindowRows(rng, n, d, 0.05)]
      : [gaussianRows(rng, n, d), gaussianRows(rng, n, d, 0.05)],
  );
  const rssAfterData = process.memoryUsage().rss;
  const [reference, target] = data.value;
  const detector = kind === 'linear' ? mmdLinearDetector : kind === 'rff' ? mmdFourierDetector : mmdDetector;
  const run = await timed(() => detector.run({ reference, target, rng: rng.fork('test'), progress: silentProgress }));
  const report: ChildReport = {
    kind,
    n,
    d,
    dataSeconds: data.ms / 1000,
    runSeconds: run.ms / 1000,
    rssAfterData,
    maxRss: process.resourceUsage().maxRSS * 1024,
    statistic: run.value.statistic,
    pValue: run.value.pValue ?? Number.NaN,
    method: run.value.method,
  };
  // Disconnect once sent, so the open IPC channel does not keep this process alive.
  process.send?.(report, () => process.disconnect());
}

function runChild(kind: string, n: number, d: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, kind, String(n), String(d)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: ChildReport | null = null;
    child.on('message', (m) => (report = m as ChildReport));
    child.on('error', reject);
    child.on('exit', (code) =>
      report ? resolve(report) : reject(new Error(`kernel bench child (${kind}) exited with ${code}`)),
    );
  });
}

// ---------- the benchmark ----------

export async function runBench(options: { quick: boolean }): Promise<string> {
  const rng = createRng('bench-kernel');
  const lines: string[] = ['## Dense kernels and kernel two-sample tests', ''];

  // 1. Matrix products.
  lines.push(
    `### Gram matrix A·Aᵀ (float32): onnxruntime Gemm (${ORT_THREADS} threads) vs plain JS`,
    '',
    '| A | onnxruntime | GFLOP/s | JS | GFLOP/s | ratio |',
    '|---|---|---|---|---|---|',
  );
  for (const n of options.quick ? [256, 1000] : [256, 1000, 4000]) {
    const a = gaussianRows(rng, n, 384);
    await matmul(a, a, { transposeB: true, backend: 'onnx' }); // session creation and warm-up
    const reps = n <= 1000 ? 5 : 2;
    const onnx = await timed(async () => {
      for (let r = 0; r < reps; r++) await matmul(a, a, { transposeB: true, backend: 'onnx' });
    });
    const js = await timed(() => matmul(a, a, { transposeB: true, backend: 'js' }));
    const flops = 2 * n * n * 384;
    const onnxMs = onnx.ms / reps;
    lines.push(
      `| ${n}×384 | ${fmt(onnxMs)} | ${(flops / onnxMs / 1e6).toFixed(1)} | ${fmt(js.ms)} | ${(flops / js.ms / 1e6).toFixed(2)} | ${(js.ms / onnxMs).toFixed(0)}× |`,
    );
  }
  lines.push(
    '',
    'Small square products, time per call (the JS loop is used up to m·n·k = 20³):',
    '',
    '| m = n = k | onnxruntime | JS |',
    '|---|---|---|',
  );
  for (const s of [8, 16, 24, 32, 64]) {
    const a = gaussianRows(rng, s, s);
    const reps = 2000;
    const perCall = async (backend: 'onnx' | 'js') => {
      await matmul(a, a, { backend });
      const t = await timed(async () => {
        for (let r = 0; r < reps; r++) await matmul(a, a, { backend });
      });
      return `${((t.ms / reps) * 1000).toFixed(1)} µs`;
    };
    lines.push(`| ${s} | ${await perCall('onnx')} | ${await perCall('js')} |`);
  }

  // 2. Exact MMD: batched engine vs straightforward, same data, σ and permutations.
  const perSide = options.quick ? 500 : 2000;
  const permutations = options.quick ? 200 : 1000;
  const d = 384;
  const reference = gaussianRows(rng, perSide, d);
  const target = gaussianRows(rng, perSide, d, 0.1);
  const ours = await timed(() =>
    mmdDetector.run({ reference, target, rng: createRng('bench-mmd'), progress: silentProgress }, { permutations }),
  );
  const sigma = ours.value.details.bandwidth as number;
  const pooled = centredPooled(reference, target);
  const n = pooled.rows;
  const naiveK = await timed(() => naiveKernel(pooled, sigma));
  const naivePerm = await timed(() =>
    naivePermutationTest(naiveK.value, n, perSide, permutations, createRng('bench-mmd').fork('permutations')),
  );
  const onnxK = await timed(() => buildPooledMatrix(pooled, { kind: 'gaussian', sigma }));
  const energy = await timed(() =>
    energyDetector.run(
      { reference, target, rng: createRng('bench-energy'), progress: silentProgress },
      { permutations },
    ),
  );
  const naiveTotal = naiveK.ms + naivePerm.ms;
  lines.push(
    '',
    `### Exact MMD, ${perSide} vs ${perSide} × ${d} dims, ${permutations} permutations`,
    '',
    'Same data, σ (median heuristic) and permutation sequence. Straightforward: the full kernel in float64 JS loops, then',
    'each permutation re-sums the N² kernel entries. shiftlens: kernel in row blocks on onnxruntime, then every',
    'permutation from one batched Gemm (indicator matrix × kernel).',
    '',
    '| implementation | kernel | permutations | total | MMD² | p-value |',
    '|---|---|---|---|---|---|',
    `| straightforward (JS, one permutation at a time) | ${fmt(naiveK.ms)} | ${fmt(naivePerm.ms)} | ${fmt(naiveTotal)} | ${naivePerm.value.observed.toExponential(4)} | ${naivePerm.value.pValue.toFixed(4)} |`,
    `| shiftlens mmd (incl. median heuristic) | ${fmt(onnxK.ms)} | — | ${fmt(ours.ms)} | ${ours.value.statistic.toExponential(4)} | ${(ours.value.pValue as number).toFixed(4)} |`,
    `| shiftlens energy (same engine, distance matrix) | — | — | ${fmt(energy.ms)} | E = ${energy.value.statistic.toExponential(4)} | ${(energy.value.pValue as number).toFixed(4)} |`,
    '',
    `Speed-up of the exact MMD test over the straightforward one: **${(naiveTotal / ours.ms).toFixed(0)}×** ` +
      `(kernel alone: ${(naiveK.ms / onnxK.ms).toFixed(0)}×; permutations: ${fmt(naivePerm.ms)} vs ${fmt(Math.max(ours.ms - onnxK.ms, 1))} for the rest of the test).`,
  );

  // 3. The exact test at its size cap, and the linear-time test at a million per side (child processes).
  const capPerSide = options.quick ? 2000 : Math.floor(POOLED_MATRIX_MAX_ROWS / 2);
  const exactCap = await runChild('exact', capPerSide, 384);
  const linearN = options.quick ? 100_000 : 1_000_000;
  const linear = await runChild('linear', linearN, 100);
  const rff = await runChild('rff', linearN, 100);
  lines.push(
    '',
    '### Large samples (each run in its own process; peak RSS includes the input data)',
    '',
    '| test | samples | data | test time | RSS after data | peak RSS | statistic | p-value |',
    '|---|---|---|---|---|---|---|---|',
  );
  const names: Record<string, string> = {
    exact: 'mmd exact (streamed), 1000 permutations',
    linear: 'mmd-linear (block MMD)',
    rff: 'mmd-rff (random features; the suite uses it when the exact test exceeds its time budget)',
  };
  for (const r of [exactCap, linear, rff]) {
    lines.push(
      `| ${names[r.kind]} | ${r.n.toLocaleString('en-US')} vs ${r.n.toLocaleString('en-US')} × ${r.d} | ${r.dataSeconds.toFixed(1)} s | ${r.runSeconds.toFixed(1)} s | ${mb(r.rssAfterData)} | ${mb(r.maxRss)} | ${r.statistic.toExponential(3)} | ${r.pValue.toPrecision(3)} |`,
    );
  }
  lines.push(
    '',
    `mmd-linear method: ${linear.method}.`,
    '',
    `mmd-rff method: ${rff.method}.`,
    '',
    `Target rows are shifted by 0.05 in one coordinate.`,
  );
  return lines.join('\n');
}

if (process.argv[2] === CHILD_FLAG) {
  childMain(process.argv[3], Number(process.argv[4]), Number(process.argv[5])).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
