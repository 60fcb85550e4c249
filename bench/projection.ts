/**
 * Projection and density benchmarks: PCA fit (covariance + eigendecomposition + projection), the symmetric
 * eigensolver alone, KDE by linear binning vs direct summation, KS on principal components (exact vs asymptotic
 * p-values), and kNN conformal scores. Synthetic Gaussian data with a decaying spectrum plus a low-rank part, so
 * the covariance is dense; sizes are the ones users meet (100k × 384 embeddings, 1M-point projections).
 */
import { createMatrix, type Matrix } from '../src/core/matrix.js';
import { createRng, type Rng } from '../src/core/random.js';
import { silentProgress } from '../src/core/progress.js';
import { fitPca, projectRows } from '../src/analysis/pca.js';
import { bandwidthFor, compareDensities } from '../src/analysis/kde.js';
import { eigenSymmetric, eigenvaluesSymmetric } from '../src/linalg/eigenSymmetric.js';
import { scatterMatrix, scatterMatrixFast, columnMeans } from '../src/linalg/covariance.js';
import { rowRange } from '../src/linalg/rowRange.js';
import { ksTwoSample } from '../src/twosample/pvalues/ks.js';
import { ksPcaDetector } from '../src/twosample/ksPca.js';
import { frechetDetector } from '../src/twosample/frechet.js';
import { centroidDetector } from '../src/twosample/centroidDistance.js';
import { knnConformalScores, kthNeighbourDistances } from '../src/twosample/sampleScores/knnConformal.js';

/** A fixed synthetic "embedding model": decaying spectrum plus a rank-8 part shared by every sample it draws. */
function embeddingSource(rng: Rng, d: number): (n: number, shift?: number) => Matrix {
  const rank = 8;
  const loadings = Float64Array.from({ length: d * rank }, () => rng.normal() * 0.5);
  return (n, shift = 0) => {
    const m = createMatrix(n, d);
    const u = new Float64Array(rank);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < rank; r++) u[r] = rng.normal();
      for (let j = 0; j < d; j++) {
        let v = rng.normal() / Math.sqrt(1 + j / 8) + (j === 0 ? shift : 0);
        for (let r = 0; r < rank; r++) v += u[r] * loadings[j * rank + r];
        m.data[i * d + j] = v;
      }
    }
    return m;
  };
}

async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

export async function runBench(options: { quick: boolean }): Promise<string> {
  const rng = createRng('bench-projection');
  const lines: string[] = ['## Projection, densities and projection-based tests', ''];

  // 1. Eigensolver alone.
  lines.push(
    '### Symmetric eigensolver (Householder + implicit QL, float64)',
    '',
    '| d | vectors + values | values only | ratio |',
    '|---|---|---|---|',
  );
  for (const d of options.quick ? [128, 384] : [128, 384, 768, 1024]) {
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        const v = rng.normal();
        a[i * d + j] = v;
        a[j * d + i] = v;
      }
    }
    const full = await timed(() => eigenSymmetric(a, d));
    const only = await timed(() => eigenvaluesSymmetric(a, d));
    lines.push(`| ${d} | ${fmt(full.ms)} | ${fmt(only.ms)} | ${(full.ms / only.ms).toFixed(1)}× |`);
  }
  lines.push('');

  // 2. PCA fit.
  const n = options.quick ? 20_000 : 100_000;
  const d = 384;
  const draw = embeddingSource(rng, d);
  const x = draw(n);
  const mean = columnMeans(x);
  const covJs = await timed(() => scatterMatrix(x, mean));
  const covGemm = await timed(() => scatterMatrixFast(x, mean));
  let covDiff = 0;
  let covMax = 0;
  for (let i = 0; i < covJs.value.length; i++) {
    covDiff = Math.max(covDiff, Math.abs(covJs.value[i] - covGemm.value[i]));
    covMax = Math.max(covMax, Math.abs(covJs.value[i]));
  }
  const eig = await timed(() => eigenSymmetric(covGemm.value, d));
  const fit = await timed(() => fitPca(x, 32));
  const projJs = await timed(() => projectRows(fit.value, x));
  const proj = await timed(() => fit.value.project(x));
  lines.push(
    `### PCA fit, ${n.toLocaleString('en')} × ${d}, 32 components`,
    '',
    '| step | plain JS (float64) | onnxruntime Gemm (float32 chunks, float64 sums) | ratio |',
    '|---|---|---|---|',
    `| scatter matrix | ${fmt(covJs.ms)} | ${fmt(covGemm.ms)} | ${(covJs.ms / covGemm.ms).toFixed(1)}× |`,
    `| project ${n.toLocaleString('en')} rows | ${fmt(projJs.ms)} | ${fmt(proj.ms)} | ${(projJs.ms / proj.ms).toFixed(1)}× |`,
    `| eigendecomposition ${d}×${d} | ${fmt(eig.ms)} | | |`,
    `| whole fitPca (mean + Gemm scatter + eigen) | | ${fmt(fit.ms)} | |`,
    '',
    `Largest scatter-matrix difference between the two: ${(covDiff / covMax).toExponential(1)} of its largest entry.`,
    '',
  );

  // 3. KDE: linear binning + convolution vs the direct Gaussian sum on the same grid.
  const points = options.quick ? 100_000 : 1_000_000;
  const a = Float64Array.from({ length: points }, () => rng.normal());
  const b = Float64Array.from({ length: points }, () => 0.3 + 1.2 * rng.normal());
  const binned = await timed(() => compareDensities(a, b, { bandwidth: 'scott', gridSize: 256 }));
  const direct = await timed(() => directKde(a, bandwidthFor('scott', points, sampleStd(a)), binned.value.grid));
  let maxError = 0;
  let peak = 0;
  for (let i = 0; i < direct.value.length; i++) {
    maxError = Math.max(maxError, Math.abs(direct.value[i] - binned.value.densityA[i]));
    peak = Math.max(peak, direct.value[i]);
  }
  lines.push(
    `### KDE of two samples of ${points.toLocaleString('en')} points (Scott), 256-point grid`,
    '',
    '| method | time | ratio |',
    '|---|---|---|',
    `| linear binning + discrete convolution, both samples, with overlap and JS | ${fmt(binned.ms)} | 1× |`,
    `| direct Gaussian sum, one sample, grid only | ${fmt(direct.ms)} | ${(direct.ms / binned.ms).toFixed(0)}× slower |`,
    '',
    `Largest density difference on the grid: ${(maxError / peak).toExponential(1)} of the peak. ` +
      `Overlap ${binned.value.overlap.toFixed(4)}, JS ${binned.value.jsDivergence.toFixed(4)}.`,
    '',
  );

  // 4. KS on PCs, and exact vs asymptotic KS p-values.
  const side = options.quick ? 2000 : 10_000;
  const refSample = draw(side);
  const tgtSample = draw(side, 0.3);
  const ksRun = await timed(() =>
    ksPcaDetector.run({ reference: refSample, target: tgtSample, rng: rng.fork('ks'), progress: silentProgress }),
  );
  const fdRun = await timed(() =>
    frechetDetector.run({ reference: refSample, target: tgtSample, rng: rng.fork('fd'), progress: silentProgress }),
  );
  const cdRun = await timed(() =>
    centroidDetector.run({ reference: refSample, target: tgtSample, rng: rng.fork('cd'), progress: silentProgress }),
  );
  const u = Float64Array.from({ length: 3000 }, () => rng.normal());
  const v = Float64Array.from({ length: 3000 }, () => rng.normal() + 0.05);
  const exact = await timed(() => ksTwoSample(u, v, 'exact'));
  const asymptotic = await timed(() => ksTwoSample(u, v, 'asymptotic'));
  lines.push(
    `### Detectors at ${side.toLocaleString('en')} vs ${side.toLocaleString('en')} rows × ${d} (target: first coordinate shifted by 0.3)`,
    '',
    '| detector | time | p-value | effect size | method |',
    '|---|---|---|---|---|',
    ...[ksRun, fdRun, cdRun].map(
      ({ ms, value: r }) =>
        `| ${r.name} | ${fmt(ms)} | ${r.pValue?.toExponential(2)} | ${r.effectSize.toFixed(4)} | ${r.method} |`,
    ),
    '',
    '| KS p-value at 3000 vs 3000 | time | p-value |',
    '|---|---|---|',
    `| exact (lattice paths) | ${exact.ms.toFixed(1)} ms | ${exact.value.pValue.toPrecision(6)} |`,
    `| asymptotic (Kolmogorov, Stephens) | ${asymptotic.ms.toFixed(1)} ms | ${asymptotic.value.pValue.toPrecision(6)} |`,
    '',
  );

  // 5. kNN conformal scores: Gemm distance blocks, next to a plain JS loop on a tenth of the queries.
  const knnSide = options.quick ? 2000 : 10_000;
  const knnRef = draw(knnSide);
  const knnTgt = draw(knnSide);
  const knn = await timed(() => knnConformalScores(knnRef, knnTgt, 5));
  const below = knn.value.pValue.filter((p) => p <= 0.05).length / knnSide;
  const someQueries = rowRange(knnTgt, 0, knnSide / 10);
  const jsLoop = await timed(() => kthNeighbourPlainJs(someQueries, knnRef, 5));
  const gemmSame = await timed(() => kthNeighbourDistances(someQueries, knnRef, 5, false));
  let worstKnn = 0;
  for (let i = 0; i < jsLoop.value.length; i++)
    worstKnn = Math.max(worstKnn, Math.abs(jsLoop.value[i] - gemmSame.value[i]) / jsLoop.value[i]);
  lines.push(
    `### kNN conformal scores, ${knnSide.toLocaleString('en')} reference × ${knnSide.toLocaleString('en')} target × ${d}, k = 5`,
    '',
    '| what | time | ratio |',
    '|---|---|---|',
    `| knnConformalScores: reference leave-one-out + all targets (Gemm blocks of 1024 × 4096) | ${fmt(knn.ms)} | |`,
    `| ${someQueries.rows.toLocaleString('en')} targets, Gemm blocks | ${fmt(gemmSame.ms)} | 1× |`,
    `| ${someQueries.rows.toLocaleString('en')} targets, plain JS distance loop | ${fmt(jsLoop.ms)} | ${(jsLoop.ms / gemmSame.ms).toFixed(1)}× slower |`,
    '',
    `Share of target p-values ≤ 0.05 with no shift: ${below.toFixed(3)} (≈ 0.05 expected). ` +
      `Largest relative difference of the k-th-neighbour distance, Gemm vs JS: ${worstKnn.toExponential(1)}.`,
    '',
  );
  return lines.join('\n');
}

/** k-th neighbour distances by direct differences in float64: the straightforward implementation. */
function kthNeighbourPlainJs(queries: Matrix, points: Matrix, k: number): Float64Array {
  const d = queries.cols;
  const out = new Float64Array(queries.rows);
  const all = new Float64Array(points.rows);
  for (let q = 0; q < queries.rows; q++) {
    for (let p = 0; p < points.rows; p++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = queries.data[q * d + j] - points.data[p * d + j];
        s += t * t;
      }
      all[p] = s;
    }
    out[q] = Math.sqrt(all.sort()[k - 1]);
  }
  return out;
}

function sampleStd(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  return Math.sqrt(ss / (x.length - 1));
}

function directKde(x: Float64Array, h: number, grid: Float64Array): Float64Array {
  const out = new Float64Array(grid.length);
  const norm = 1 / (x.length * h * Math.sqrt(2 * Math.PI));
  for (let g = 0; g < grid.length; g++) {
    const t = grid[g];
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const z = (t - x[i]) / h;
      s += Math.exp(-0.5 * z * z);
    }
    out[g] = s * norm;
  }
  return out;
}
