/**
 * KS on principal components (after Rabanser et al., "Failing Loudly", NeurIPS 2019): both samples projected on
 * the top k principal components, a two-sample Kolmogorov–Smirnov test per component, and the per-component
 * p-values combined by Bonferroni (default, as in Failing Loudly) or Benjamini–Hochberg.
 *
 * Where the PCA is fitted: on the POOLED sample by default, not on the reference as in Failing Loudly. Fitting on
 * the reference alone picks the directions in which the reference happens to vary most, so the reference's
 * projected spread is inflated next to the target's and KS reads that as a shift. Measured false-positive rates
 * at α = 0.05 (isotropic-ish Gaussian, decaying spectrum, 1000 null splits): d = 384, n = 100 per side →
 * reference fit 0.094, pooled fit 0.040; d = 1024, n = 50 → 0.215 vs 0.025 (200 splits); at d = 100, n = 100
 * both are calibrated. A pooled fit ignores which row came from which side, so under H0 every per-component
 * KS p-value is exact. `fitOn: 'reference'` gives the published method.
 *
 * k = min(32, d, n_fit − 1) by default: Failing Loudly reduces to 32 dimensions, and a PCA of n rows has at most
 * n − 1 directions with variance. KS p-values are exact (lattice-path recursion) while n·m ≤ 10⁷ and asymptotic
 * (Kolmogorov with Stephens' correction) above; details say which.
 *
 * Correction (default 'permutation'): the largest KS D over the tested coordinates, calibrated against its own
 * permutation distribution (the same labellings as the suite's other permutation tests when it shares them, see
 * permutationDesign.ts; whole groups when rows are grouped), p = (1 + #{max D_perm ≥ max D}) / (1 + P). This is
 * exact whatever the dependence between coordinates, and loses far less than Bonferroni does to 32 + d correlated
 * tests, so the raw embedding dimensions are tested beside the components (`rawDimensions`, default true: a shift
 * in one coordinate can hide among the variance-ordered components). With unequal labelling sizes (groups) the
 * maximum is of √(n₁n₂/N)·D. When (P + 1)·N·coordinates exceeds `workBudget`, the raw dimensions are dropped, then
 * the test falls back to Bonferroni over the components (details say so). 'bonferroni' / 'bh' combine the
 * per-component exact p-values as in Failing Loudly.
 *
 * The statistic and effect size are the largest KS D over the tested coordinates (D is already scale-free: the
 * largest gap between the two empirical CDFs, in [0, 1]).
 * Fits on more than `maxFitRows` rows use a seeded random subsample of them (label-blind, so still exact).
 */
import { z } from 'zod';
import { concatRows, sampleRows, type Matrix } from '../core/matrix.js';
import { fitPca, pcaFromParts, type PcaModel, type PcaParts } from '../analysis/pca.js';
import { DEFAULT_MDE_ALPHA, maxKsMinDetectableEffect, permutationCanReject } from './minDetectableEffect.js';
import { createPermutationDesign, membershipOf, recordNull, type PermutationDesign } from './permutationDesign.js';
import { ksFromSorted } from './pvalues/ks.js';
import { benjaminiHochbergAdjust, bonferroniAdjust } from './pvalues/multipleTesting.js';
import {
  defineDetector,
  type DetectorOutcome,
  type FitContext,
  type TestContext,
  type TwoSamples,
} from './registry/detectorSpec.js';
import { choiceOption, integerOption, positiveOption } from './registry/options.js';
import { asTwoSampleDetector } from './registry/runDetector.js';

export const ksPcaOptionsSchema = z.strictObject({
  /** Upper bound on components tested (k = min(components, d, n_fit − 1)). */
  components: integerOption(32),
  correction: choiceOption(['permutation', 'bonferroni', 'bh'], 'permutation'),
  fitOn: choiceOption(['reference', 'pooled'], 'pooled'),
  mode: choiceOption(['auto', 'exact', 'asymptotic'], 'auto'),
  /** Rows used to fit the PCA (seeded subsample above this). */
  maxFitRows: integerOption(20_000, 2),
  /** Also test every raw embedding dimension (permutation correction only). */
  rawDimensions: z.boolean({ error: 'must be true or false' }).default(true),
  /** Permutations when no shared design is given. */
  permutations: integerOption(1000),
  /** Largest (P + 1) · N · coordinates the permutation correction may spend. */
  workBudget: positiveOption(4e9),
});

export type KsPcaOptions = z.infer<typeof ksPcaOptionsSchema>;

export const DEFAULT_KS_PCA_OPTIONS: KsPcaOptions = ksPcaOptionsSchema.parse({});

/**
 * With `fitOn: 'reference'` (the published method) the PCA basis is fitted on the reference alone and saved; with
 * the default pooled fit nothing is (the pooled PCA keeps the max-KS permutation test exact).
 */
export type KsPcaState = { referenceBasis: PcaParts | null };

export const ksPcaSpec = defineDetector({
  name: 'ks-pca',
  label: 'KS on principal components',
  summary:
    'largest two-sample KS D over the top principal components (pooled PCA) and the raw dimensions, max-KS permutation p-value',
  inDefaultSuite: true,
  optionsSchema: ksPcaOptionsSchema,
  fit: fitKsPca,
  test: testKsPca,
});

export const ksPcaDetector = asTwoSampleDetector(ksPcaSpec);

async function fitKsPca(reference: Matrix, opts: KsPcaOptions, { rng }: FitContext): Promise<KsPcaState> {
  if (opts.fitOn === 'pooled') return { referenceBasis: null };
  const { pca } = await fitBasis(reference, opts, rng);
  const { project: _, ...parts } = pca;
  return { referenceBasis: parts };
}

/** PCA of the fit rows (a seeded subsample above maxFitRows), k = min(components, d, n_fit − 1). */
async function fitBasis(
  fitOn: Matrix,
  opts: KsPcaOptions,
  rng: FitContext['rng'],
): Promise<{ pca: PcaModel; k: number }> {
  const fitData = fitOn.rows > opts.maxFitRows ? sampleRows(fitOn, opts.maxFitRows, rng.fork('pca-fit-rows')) : fitOn;
  const k = Math.max(1, Math.min(opts.components, fitOn.cols, fitData.rows - 1));
  return { pca: await fitPca(fitData, k), k };
}

async function testKsPca(
  state: KsPcaState,
  { reference, target }: TwoSamples,
  opts: KsPcaOptions,
  ctx: TestContext,
): Promise<DetectorOutcome> {
  const { rng } = ctx;
  const fitRowsAvailable = opts.fitOn === 'pooled' ? reference.rows + target.rows : reference.rows;
  const pooledFitRows = Math.min(reference.rows + target.rows, opts.maxFitRows);
  const kPlanned = state.referenceBasis
    ? state.referenceBasis.nComponents
    : Math.max(1, Math.min(opts.components, reference.cols, pooledFitRows - 1));
  const task = ctx.progress.start('KS on principal components', kPlanned + 1);
  const { pca, k } = state.referenceBasis
    ? { pca: pcaFromParts(state.referenceBasis), k: state.referenceBasis.nComponents }
    : await fitBasis(concatRows(reference, target), opts, rng);
  const fitRows = pca.nSamples;
  const refScores = await pca.project(reference);
  const tgtScores = await pca.project(target);
  task.increment();

  const statistics: number[] = [];
  const pValues: number[] = [];
  const methods = new Set<string>();
  for (let c = 0; c < k; c++) {
    const r = ksFromSorted(sortedColumn(refScores, c), sortedColumn(tgtScores, c), opts.mode);
    statistics.push(r.statistic);
    pValues.push(r.pValue);
    methods.add(r.method);
    task.increment();
  }
  task.done();
  const adjusted = opts.correction === 'bh' ? benjaminiHochbergAdjust(pValues) : bonferroniAdjust(pValues);
  const pMethod = methods.size === 1 ? [...methods][0] : 'exact and asymptotic';
  const fitName = opts.fitOn === 'pooled' ? 'pooled sample' : 'reference';

  // Permutation-calibrated max-KS (needs a label-blind fit: the pooled PCA).
  const n = reference.rows + target.rows;
  const labellings = (ctx.design?.permutations ?? opts.permutations) + 1;
  const withRaw = opts.rawDimensions && labellings * n * (k + reference.cols) <= opts.workBudget;
  const permutationFits =
    opts.correction === 'permutation' && opts.fitOn === 'pooled' && labellings * n * k <= opts.workBudget;
  let pValue = Math.min(...adjusted);
  let maxD = Math.max(...statistics);
  let method = `two-sample KS per component (${pMethod} p-values), smallest ${opts.correction === 'bh' ? 'Benjamini–Hochberg' : 'Bonferroni'}-adjusted p-value over ${k} components of a PCA fitted on the ${fitName}`;
  let label = `KS on ${k} principal components (${opts.correction === 'bh' ? 'Benjamini–Hochberg' : 'Bonferroni'})`;
  let minDetectableEffect: number | null = null;
  const details: Record<string, unknown> = {};
  if (permutationFits) {
    const columns: Float64Array[] = [];
    for (let c = 0; c < k; c++) columns.push(pooledColumn(refScores, tgtScores, c));
    if (withRaw) for (let c = 0; c < reference.cols; c++) columns.push(pooledColumn(reference, target, c));
    const design =
      ctx.design ?? createPermutationDesign(reference.rows, target.rows, opts.permutations, rng.fork('permutations'));
    const maxScaled = maxKsOverLabellings(columns, design);
    const tolerance = 1e-9 * Math.max(maxScaled[0], 1e-12);
    if (ctx.design) recordNull(design, 'ks-pca', maxScaled, tolerance);
    let atLeast = 0;
    for (let b = 1; b < maxScaled.length; b++) if (maxScaled[b] >= maxScaled[0] - tolerance) atLeast++;
    pValue = (1 + atLeast) / maxScaled.length;
    const sizeScale = Math.sqrt((reference.rows * target.rows) / n);
    maxD = maxScaled[0] / sizeScale;
    const alpha = ctx.alpha ?? DEFAULT_MDE_ALPHA;
    minDetectableEffect = permutationCanReject(alpha, reference.rows, target.rows, ctx.design)
      ? maxKsMinDetectableEffect(maxScaled.subarray(1), alpha, reference.rows, target.rows)
      : null;
    const coordinates = withRaw
      ? `${k} principal components and ${reference.cols} raw dimensions`
      : `${k} principal components`;
    label = withRaw
      ? `KS on ${k} PCs + ${reference.cols} dimensions (max-KS permutation)`
      : `KS on ${k} principal components (max-KS permutation)`;
    method =
      `largest two-sample KS D over ${coordinates} (PCA fitted on the pooled sample), calibrated by ` +
      `${design.permutations} ${design.clusters ? 'permutations of whole groups' : 'permutations'}, (1+b)/(1+P)`;
    Object.assign(details, {
      permutations: design.permutations,
      rawDimensionsTested: withRaw ? reference.cols : 0,
      permutationsAtLeastObserved: atLeast,
    });
    if (withRaw) {
      let best = 0;
      let bestIndex = 0;
      for (let c = 0; c < reference.cols; c++) {
        const r = ksFromSorted(sortedColumn(reference, c), sortedColumn(target, c), opts.mode);
        if (r.statistic > best) {
          best = r.statistic;
          bestIndex = c;
        }
      }
      details.largestRawDimension = { index: bestIndex, statistic: best };
    }
  } else if (opts.correction === 'permutation') {
    details.permutationFallback =
      opts.fitOn === 'pooled' ? 'over the work budget: Bonferroni over the components' : 'reference fit: Bonferroni';
  }
  const correctionUsed = permutationFits ? 'permutation' : opts.correction === 'bh' ? 'bh' : 'bonferroni';
  return {
    label,
    statistic: maxD,
    pValue,
    effectSize: maxD,
    effectSizeName: 'largest KS D over the tested coordinates (0 = same marginals, 1 = disjoint)',
    minDetectableEffect,
    method,
    details: {
      components: k,
      fitOn: opts.fitOn,
      fitRows,
      fitRowsAvailable,
      correction: correctionUsed,
      ksPValueMethod: pMethod,
      meanStatistic: statistics.reduce((s, v) => s + v, 0) / k,
      ...details,
      perComponent: statistics.map((d, c) => ({
        index: c,
        explainedVarianceRatio: pca.explainedVarianceRatio[c],
        statistic: d,
        pValue: pValues[c],
        pValueAdjusted: adjusted[c],
      })),
    },
  };
}

function sortedColumn(m: Matrix, c: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + c];
  return out.sort();
}

function pooledColumn(a: Matrix, b: Matrix, c: number): Float64Array {
  const out = new Float64Array(a.rows + b.rows);
  for (let i = 0; i < a.rows; i++) out[i] = a.data[i * a.cols + c];
  for (let i = 0; i < b.rows; i++) out[a.rows + i] = b.data[i * b.cols + c];
  return out;
}

/**
 * max over columns of √(n₁n₂/N)·D for every labelling of the design (observed first). Each column is sorted once;
 * a labelling's D is one walk over the sorted order, read at the ends of tie runs.
 */
export function maxKsOverLabellings(columns: Float64Array[], design: PermutationDesign): Float64Array {
  const n = design.n1 + design.n2;
  const orders: Uint32Array[] = [];
  const runEnds: Uint8Array[] = [];
  for (const col of columns) {
    const order = Uint32Array.from({ length: n }, (_, i) => i).sort((x, y) => col[x] - col[y]);
    const ends = new Uint8Array(n);
    for (let i = 0; i < n; i++) ends[i] = i === n - 1 || col[order[i + 1]] !== col[order[i]] ? 1 : 0;
    orders.push(order);
    runEnds.push(ends);
  }
  const out = new Float64Array(design.permutations + 1);
  for (let p = 0; p <= design.permutations; p++) {
    const member = membershipOf(design, p);
    const nx = design.referenceCount[p];
    const ny = n - nx;
    let best = 0;
    for (let c = 0; c < orders.length; c++) {
      const order = orders[c];
      const ends = runEnds[c];
      let cx = 0;
      let worst = 0;
      for (let i = 0; i < n; i++) {
        cx += member[order[i]];
        if (ends[i] === 1) {
          // |cx/nx − cy/ny| · nx·ny = |cx·ny − cy·nx| with cy = i + 1 − cx.
          const gap = Math.abs(cx * ny - (i + 1 - cx) * nx);
          if (gap > worst) worst = gap;
        }
      }
      if (worst > best) best = worst;
    }
    // D = best / (nx·ny); scaled by √(nx·ny/N).
    out[p] = best / Math.sqrt(nx * ny * n);
  }
  return out;
}
