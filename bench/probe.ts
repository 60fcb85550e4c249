/**
 * Probe and C2ST benchmarks: L-BFGS against plain gradient descent on the same logistic objective, solver time
 * as n and d grow, C2ST cost at 2000 vs 2000 × 384 (held-out Mann–Whitney p-value against the permutation
 * null), C2ST power on real SpamAssassin shifts for both p-value methods, and runProbe end to end.
 */
import { createMatrix, selectRows, type Matrix } from '../src/core/matrix.js';
import { silentProgress } from '../src/core/progress.js';
import { createRng, type Rng } from '../src/core/random.js';
import {
  fitPrepared,
  logisticObjective,
  parameterCount,
  prepareTrainingSet,
  type TrainingSet,
} from '../src/learn/logisticRegression.js';
import { confusionCounts, macroF1, macroF1FromConfusion } from '../src/learn/metrics.js';
import { binaryCounts, bootstrapInterval, countBootstrapInterval, shareRight } from '../src/probe/bootstrap.js';
import { meanOf } from '../src/probe/kFoldProbe.js';
import { runProbe } from '../src/probe/runProbe.js';
import { runC2st } from '../src/twosample/c2st.js';
import { embedCorpus } from './shared/corpus.js';

const TOLERANCE = 1e-6;

function classCentres(d: number, K: number, rng: Rng, separation = 0.15): number[][] {
  return Array.from({ length: K }, () => Array.from({ length: d }, () => rng.normal() * separation));
}

function gaussianClasses(
  n: number,
  d: number,
  K: number,
  rng: Rng,
  centres = classCentres(d, K, rng),
): { x: Matrix; y: Int32Array } {
  // Correlated features, like embeddings: a shared random factor on every dimension.
  const x = createMatrix(n, d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % K;
    const common = rng.normal();
    for (let j = 0; j < d; j++) x.data[i * d + j] = centres[y[i]][j] + rng.normal() + 0.8 * common;
  }
  return { x, y };
}

function gaussian(n: number, d: number, rng: Rng, shift = 0): Matrix {
  const m = createMatrix(n, d);
  for (let i = 0; i < n * d; i++) m.data[i] = rng.normal() + (i % d < 20 ? shift : 0);
  return m;
}

/** The straightforward solver: steepest descent with Armijo backtracking, to the same gradient tolerance. */
function gradientDescent(
  set: TrainingSet,
  lambda: number,
  maxIterations: number,
): { iterations: number; converged: boolean; gradientNorm: number } {
  const f = logisticObjective(set, lambda);
  const theta = new Float64Array(parameterCount(set));
  const grad = new Float64Array(theta.length);
  const trialGrad = new Float64Array(theta.length);
  const trial = new Float64Array(theta.length);
  let value = f(theta, grad);
  let step = 1;
  for (let it = 0; it < maxIterations; it++) {
    const norm = grad.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
    if (norm <= TOLERANCE) return { iterations: it, converged: true, gradientNorm: norm };
    const squared = grad.reduce((s, g) => s + g * g, 0);
    step *= 2;
    for (;;) {
      for (let i = 0; i < theta.length; i++) trial[i] = theta[i] - step * grad[i];
      const next = f(trial, trialGrad);
      if (next <= value - 1e-4 * step * squared || step < 1e-12) {
        theta.set(trial);
        grad.set(trialGrad);
        value = next;
        break;
      }
      step /= 2;
    }
  }
  return {
    iterations: maxIterations,
    converged: false,
    gradientNorm: grad.reduce((m, g) => Math.max(m, Math.abs(g)), 0),
  };
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

const s = (ms: number) => (ms / 1000).toFixed(2);

async function solverSection(quick: boolean): Promise<string> {
  const rng = createRng(1);
  const lambda = 1e-3;
  const cases: [number, number, number, boolean][] = quick
    ? [
        [1000, 384, 2, true],
        [2000, 384, 3, true],
        [300, 2000, 3, false],
      ]
    : [
        [1000, 384, 2, true],
        [2000, 384, 3, true],
        [10000, 100, 3, false],
        [10000, 384, 3, false],
        [1000, 2000, 3, false],
        [300, 2000, 3, false],
      ];
  const gdCap = quick ? 200 : 500;
  const lines = [
    `### Logistic-regression solver (λ = ${lambda}, tolerance max|∇f| ≤ ${TOLERANCE}, correlated Gaussian classes)`,
    '',
    '| n | d | classes | L-BFGS s | iterations | converged | gradient descent s (cap ' +
      gdCap +
      ' it.) | GD iterations | GD converged | GD / L-BFGS time |',
    '|---:|---:|---:|---:|---:|:-:|---:|---:|:-:|---:|',
  ];
  for (const [n, d, K, compare] of cases) {
    const { x, y } = gaussianClasses(n, d, K, rng);
    const set = prepareTrainingSet(x, y, K);
    const lbfgs = time(() => fitPrepared(set, { regularization: lambda, gradientTolerance: TOLERANCE }));
    let gdCells = '— | — | — | —';
    if (compare) {
      const gd = time(() => gradientDescent(set, lambda, gdCap));
      gdCells = `${s(gd.ms)} | ${gd.value.iterations} | ${gd.value.converged ? 'yes' : `no (${gd.value.gradientNorm.toExponential(1)})`} | ${(gd.ms / lbfgs.ms).toFixed(1)}×`;
    }
    lines.push(
      `| ${n} | ${d} | ${K} | ${s(lbfgs.ms)} | ${lbfgs.value.iterations} | ${lbfgs.value.converged ? 'yes' : 'no'} | ${gdCells} |`,
    );
  }
  return lines.join('\n');
}

async function c2stCostSection(quick: boolean): Promise<string> {
  const rng = createRng(2);
  const n = quick ? 1000 : 2000;
  const reference = gaussian(n, 384, rng);
  const target = gaussian(n, 384, rng, 0.1);
  const permutations = quick ? 3 : 10;
  const holdout = await timeAsync(() => runC2st({ reference, target, rng: createRng(1), progress: silentProgress }));
  const permuted = await timeAsync(() =>
    runC2st(
      { reference, target, rng: createRng(1), progress: silentProgress },
      { pValueMethod: 'permutation', permutations },
    ),
  );
  const perPermutation = (permuted.ms - holdout.ms) / permutations;
  const r = holdout.value.result;
  return [
    `### C2ST cost at ${n} vs ${n} × 384 (5 folds, λ = 0.1; a 0.1 mean shift on 20 of 384 dimensions)`,
    '',
    '| p-value method | seconds | p-value | out-of-fold AUC |',
    '|---|---:|---:|---:|',
    `| held-out half, Mann–Whitney (default) | ${s(holdout.ms)} | ${(r.pValue as number).toPrecision(3)} | ${r.statistic.toFixed(3)} |`,
    `| permutation null, ${permutations} permutations | ${s(permuted.ms)} | ${(permuted.value.result.pValue as number).toPrecision(3)} | ${permuted.value.result.statistic.toFixed(3)} |`,
    `| permutation null, 200 permutations (extrapolated: ${s(perPermutation)} s each) | ${s(holdout.ms + 200 * perPermutation)} | — | — |`,
    '',
    `Permutation/held-out time ratio at 200 permutations: ${((holdout.ms + 200 * perPermutation) / holdout.ms).toFixed(0)}×.`,
  ].join('\n');
}

async function c2stPowerSection(quick: boolean): Promise<string> {
  const groups = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1'];
  const vectors = new Map<string, Matrix>();
  for (const g of groups) vectors.set(g, (await embedCorpus(`spam-assassin:${g}`)).vectors);
  // The held-out test is cheap, so it gets many draws; the permutation test fewer.
  const holdoutDraws = quick ? 50 : 200;
  const permutationDraws = quick ? 8 : 30;
  const n = 100;
  const permutations = 49;
  const settings: [string, string][] = [
    ['easy-ham-1', 'easy-ham-1'],
    ['easy-ham-1', 'easy-ham-2'],
    ['easy-ham-1', 'hard-ham-1'],
  ];
  const lines = [
    `### C2ST rejection rate on real data (wordvec:sg100d, n = ${n} per side, α = 0.05)`,
    '',
    'Same-source rows are disjoint random splits (a true null). Held-out: exact Mann–Whitney on a held-out half ' +
      `(${holdoutDraws} draws); permutation: ${permutations} permutations of the 5-fold out-of-fold AUC (${permutationDraws} draws).`,
    '',
    '| reference | target | held-out rejection | permutation rejection | mean AUC | held-out s/test | permutation s/test | time ratio |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [a, b] of settings) {
    const rng = createRng(`power-${a}-${b}`);
    const A = vectors.get(a) as Matrix;
    const B = vectors.get(b) as Matrix;
    const draw = (r: number) => {
      if (a === b) {
        const rows = rng.sample(A.rows, 2 * n);
        return {
          reference: selectRows(A, rows.subarray(0, n)),
          target: selectRows(A, rows.subarray(n)),
          rng: rng.fork(`draw-${r}`),
          progress: silentProgress,
        };
      }
      return {
        reference: selectRows(A, rng.sample(A.rows, n)),
        target: selectRows(B, rng.sample(B.rows, n)),
        rng: rng.fork(`draw-${r}`),
        progress: silentProgress,
      };
    };
    const held = { rejections: 0, ms: 0, auc: 0 };
    for (let r = 0; r < holdoutDraws; r++) {
      const run = await timeAsync(() => runC2st(draw(r)));
      held.ms += run.ms;
      held.auc += run.value.result.statistic;
      if ((run.value.result.pValue as number) <= 0.05) held.rejections++;
    }
    const perm = { rejections: 0, ms: 0 };
    for (let r = 0; r < permutationDraws; r++) {
      const run = await timeAsync(() => runC2st(draw(holdoutDraws + r), { pValueMethod: 'permutation', permutations }));
      perm.ms += run.ms;
      if ((run.value.result.pValue as number) <= 0.05) perm.rejections++;
    }
    const heldPerTest = held.ms / holdoutDraws;
    const permPerTest = perm.ms / permutationDraws;
    lines.push(
      `| ${a} | ${b === a ? `${b} (split)` : b} | ${(held.rejections / holdoutDraws).toFixed(3)} | ${(perm.rejections / permutationDraws).toFixed(2)} | ` +
        `${(held.auc / holdoutDraws).toFixed(3)} | ${s(heldPerTest)} | ${s(permPerTest)} | ${(permPerTest / heldPerTest).toFixed(0)}× |`,
    );
  }
  return lines.join('\n');
}

async function runProbeSection(quick: boolean): Promise<string> {
  const rng = createRng(3);
  const [nRef, nTgt] = quick ? [1000, 500] : [2000, 1000];
  // Same class centres on both sides; the target is shifted as a whole (covariate shift, same concept).
  const centres = classCentres(384, 2, rng, 0.1);
  const ref = gaussianClasses(nRef, 384, 2, rng, centres);
  const tgt = gaussianClasses(
    nTgt,
    384,
    2,
    rng,
    centres.map((c) => c.map((v) => v + 0.3)),
  );
  const names = ['ham', 'spam'];
  const run = await timeAsync(() =>
    runProbe({
      reference: ref.x,
      referenceLabels: Array.from(ref.y, (c) => names[c]),
      target: tgt.x,
      targetLabels: Array.from(tgt.y, (c) => names[c]),
      labelMap: null,
      rng: createRng(1),
      progress: silentProgress,
    }),
  );
  const p = run.value;
  const fits = 5 * 5 + 1 + 5 * 5 + (p.targetOnly?.labelEfficiency.length ?? 0) * 5;
  return [
    `### runProbe end to end (${nRef} reference + ${nTgt} target rows × 384, 2 classes)`,
    '',
    '| seconds | fits | reference accuracy | transfer gap | target-only accuracy |',
    '|---:|---:|---:|---:|---:|',
    `| ${s(run.ms)} | ${fits} | ${p.reference.accuracy.estimate.toFixed(3)} | ${p.transfer?.gap.estimate.toFixed(3)} | ${p.targetOnly?.accuracy.estimate.toFixed(3)} |`,
  ].join('\n');
}

/** The probe's two bootstrap forms side by side: row indices (O(n) per replicate) and cell counts (O(cells·√n)). */
export function bootstrapSection(quick: boolean): string {
  const rng = createRng(9);
  const rows = [
    '### Bootstrap of an accuracy and a macro-F1: row indices vs cell counts (1000 replicates, 3 classes)',
    '',
    'The same bootstrap distribution (src/probe/bootstrap.ts); CPU seconds of one interval, measured side by side.',
    '',
    '| n | statistic | rows (s) | counts (s) | ratio | rows interval | counts interval |',
    '|---:|---|---:|---:|---:|---|---|',
  ];
  for (const n of quick ? [20_000] : [20_000, 100_000]) {
    const truth = Int32Array.from({ length: n }, () => rng.int(3));
    const predicted = Int32Array.from(truth, (t) => (rng.next() < 0.7 ? t : rng.int(3)));
    const correct = Uint8Array.from(truth, (t, i) => (t === predicted[i] ? 1 : 0));
    const cases = [
      {
        name: 'accuracy',
        rows: () => bootstrapInterval([n], ([idx]) => meanOf(correct, idx), rng.fork('rows-acc')),
        counts: () => countBootstrapInterval([binaryCounts(correct)], ([c]) => shareRight(c), rng.fork('counts-acc')),
      },
      {
        name: 'macro-F1',
        rows: () => bootstrapInterval([n], ([idx]) => macroF1(truth, predicted, 3, idx), rng.fork('rows-f1')),
        counts: () =>
          countBootstrapInterval(
            [confusionCounts(truth, predicted, 3)],
            ([c]) => macroF1FromConfusion(c, 3),
            rng.fork('counts-f1'),
          ),
      },
    ];
    for (const c of cases) {
      const byRows = cpuSeconds(c.rows);
      const byCounts = cpuSeconds(c.counts);
      const show = (i: { lower: number; upper: number }) => `[${i.lower.toFixed(4)}, ${i.upper.toFixed(4)}]`;
      rows.push(
        `| ${n.toLocaleString('en-US')} | ${c.name} | ${byRows.seconds.toFixed(3)} | ${byCounts.seconds.toFixed(4)} | ${(byRows.seconds / byCounts.seconds).toFixed(0)}× | ${show(byRows.value)} | ${show(byCounts.value)} |`,
      );
    }
  }
  return rows.join('\n');
}

function cpuSeconds<T>(work: () => T): { value: T; seconds: number } {
  const start = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(start);
  return { value, seconds: (used.user + used.system) / 1e6 };
}

export async function runBench(options: { quick: boolean }): Promise<string> {
  const sections = [
    '## Linear probe and C2ST',
    bootstrapSection(options.quick),
    await solverSection(options.quick),
    await c2stCostSection(options.quick),
    await c2stPowerSection(options.quick),
    await runProbeSection(options.quick),
  ];
  return sections.join('\n\n');
}
