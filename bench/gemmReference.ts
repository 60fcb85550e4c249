/**
 * Why onnxruntime's Gemm trails OpenBLAS on Gram shapes (A·Aᵀ, float32): the same products through several
 * onnxruntime configurations (threads, spinning, Gemm with transB vs MatMul on a pre-transposed B, output bound
 * to a preallocated tensor) and through numpy (OpenBLAS, 2 threads) in a python3 subprocess when python3 with
 * numpy is on the machine ("not measured" otherwise). Median of several calls after a warm-up; wall time and the
 * process CPU time per call, since on a shared machine the CPU figure is the steadier one.
 */
import { spawnSync } from 'node:child_process';
import ort from 'onnxruntime-node';
import { createRng } from '../src/core/random.js';
import { encodeModel, type GraphSpec } from '../src/linalg/onnx/onnxGraph.js';

interface Shape {
  n: number;
  k: number;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

const REPEATS = 7;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function gramGraph(kind: 'gemm-tB' | 'matmul'): GraphSpec {
  return kind === 'gemm-tB'
    ? {
        name: kind,
        inputs: [
          { name: 'A', dims: ['M', 'K'] },
          { name: 'B', dims: ['N', 'K'] },
        ],
        outputs: [{ name: 'Y', dims: ['M', 'N'] }],
        nodes: [{ opType: 'Gemm', inputs: ['A', 'B'], outputs: ['Y'], attributes: { transB: { int: 1 } } }],
      }
    : {
        name: kind,
        inputs: [
          { name: 'A', dims: ['M', 'K'] },
          { name: 'B', dims: ['K', 'N'] },
        ],
        outputs: [{ name: 'Y', dims: ['M', 'N'] }],
        nodes: [{ opType: 'MatMul', inputs: ['A', 'B'], outputs: ['Y'] }],
      };
}

interface Variant {
  label: string;
  graph: 'gemm-tB' | 'matmul';
  threads: number;
  spinning: boolean;
  preallocated: boolean;
}

const VARIANTS: Variant[] = [
  {
    label: 'Gemm transB, 2 threads (shiftlens today)',
    graph: 'gemm-tB',
    threads: 2,
    spinning: true,
    preallocated: false,
  },
  { label: 'Gemm transB, 2 threads, no spinning', graph: 'gemm-tB', threads: 2, spinning: false, preallocated: false },
  {
    label: 'Gemm transB, 2 threads, output preallocated',
    graph: 'gemm-tB',
    threads: 2,
    spinning: true,
    preallocated: true,
  },
  {
    label: 'MatMul on Bᵀ copied beforehand, 2 threads',
    graph: 'matmul',
    threads: 2,
    spinning: true,
    preallocated: false,
  },
  { label: 'Gemm transB, 1 thread', graph: 'gemm-tB', threads: 1, spinning: true, preallocated: false },
];

async function timeVariant(v: Variant, a: Float32Array, aT: Float32Array, shape: Shape): Promise<Timing> {
  const session = await ort.InferenceSession.create(encodeModel(gramGraph(v.graph)), {
    intraOpNumThreads: v.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: v.spinning ? '1' : '0' } } },
  });
  const { n, k } = shape;
  const feeds =
    v.graph === 'gemm-tB'
      ? { A: new ort.Tensor('float32', a, [n, k]), B: new ort.Tensor('float32', a, [n, k]) }
      : { A: new ort.Tensor('float32', a, [n, k]), B: new ort.Tensor('float32', aT, [k, n]) };
  const output = new ort.Tensor('float32', new Float32Array(n * n), [n, n]);
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r <= REPEATS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (v.preallocated) await session.run(feeds, { Y: output });
    else await session.run(feeds);
    const c = process.cpuUsage(c0);
    if (r === 0) continue; // warm-up
    walls.push(performance.now() - t0);
    cpus.push((c.user + c.system) / 1000);
  }
  await session.release();
  return { wallMs: median(walls), cpuMs: median(cpus) };
}

/** numpy's A @ A.T (float32) per shape, or null where python3 with numpy is not available. */
function numpyTimings(shapes: Shape[]): Timing[] | null {
  const script = `
import json, sys, time
import numpy as np
out = []
for n, k in json.loads(sys.argv[1]):
    a = np.random.default_rng(1).standard_normal((n, k), dtype=np.float32)
    walls, cpus = [], []
    for r in range(${REPEATS + 1}):
        c0 = time.process_time(); t0 = time.perf_counter()
        a @ a.T
        w = time.perf_counter() - t0; c = time.process_time() - c0
        if r: walls.append(w * 1e3); cpus.append(c * 1e3)
    out.append({"wallMs": sorted(walls)[len(walls) // 2], "cpuMs": sorted(cpus)[len(cpus) // 2]})
print(json.dumps(out))
`;
  const result = spawnSync('python3', ['-c', script, JSON.stringify(shapes.map((s) => [s.n, s.k]))], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '2', OMP_NUM_THREADS: '2' },
    timeout: 600_000,
  });
  if (result.status !== 0 || !result.stdout) return null;
  try {
    return JSON.parse(result.stdout.trim()) as Timing[];
  } catch {
    return null;
  }
}

const gflops = (shape: Shape, ms: number) => (2 * shape.n * shape.n * shape.k) / (ms / 1000) / 1e9;

export async function runBench(options: { quick: boolean }): Promise<string> {
  const shapes: Shape[] = options.quick
    ? [
        { n: 1000, k: 384 },
        { n: 1000, k: 100 },
      ]
    : [
        { n: 1000, k: 384 },
        { n: 4000, k: 384 },
        { n: 1000, k: 100 },
        { n: 4000, k: 100 },
      ];
  const reference = numpyTimings(shapes);
  const rows: string[] = [];
  for (const [s, shape] of shapes.entries()) {
    const rng = createRng(s + 1);
    const a = Float32Array.from({ length: shape.n * shape.k }, () => rng.normal());
    const aT = new Float32Array(a.length);
    for (let i = 0; i < shape.n; i++) for (let j = 0; j < shape.k; j++) aT[j * shape.n + i] = a[i * shape.k + j];
    const ref = reference ? reference[s] : null;
    for (const v of VARIANTS) {
      const t = await timeVariant(v, a, aT, shape);
      rows.push(
        `| ${shape.n}×${shape.k} | ${v.label} | ${t.wallMs.toFixed(1)} ms | ${gflops(shape, t.wallMs).toFixed(1)} | ${t.cpuMs.toFixed(1)} ms | ${ref ? `${(ref.wallMs / t.wallMs).toFixed(2)}×` : 'not measured'} | ${ref ? `${(ref.cpuMs / t.cpuMs).toFixed(2)}×` : 'not measured'} |`,
      );
    }
    rows.push(
      ref
        ? `| ${shape.n}×${shape.k} | numpy A @ A.T (OpenBLAS, 2 threads) | ${ref.wallMs.toFixed(1)} ms | ${gflops(shape, ref.wallMs).toFixed(1)} | ${ref.cpuMs.toFixed(1)} ms | 1× | 1× |`
        : `| ${shape.n}×${shape.k} | numpy (OpenBLAS) | not measured (no python3 with numpy) | | | | |`,
    );
  }
  return [
    '### Gemm against OpenBLAS on Gram shapes (A·Aᵀ, float32, same shapes)',
    '',
    `Median of ${REPEATS} calls after a warm-up; CPU = the process's user + system time per call (both threads). "vs numpy" = numpy's time / this one's (1 = as fast as OpenBLAS).`,
    '',
    '| A | implementation | wall | GFLOP/s (wall) | CPU | vs numpy (wall) | vs numpy (CPU) |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
