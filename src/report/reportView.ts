/**
 * The report's view model: only what the page draws, subsampled and rounded so report.html stays well under
 * 2 MB whatever the input size, with the subsampling stated so the page can say so.
 *
 * The pipeline passes raw data (projections on the top principal components, texts, KDE curves, classifier
 * out-of-fold probabilities); everything else the page shows comes from result.json (ShiftlensResult).
 */
import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import { formatCount } from './format.js';
import { clipTextsToBudget } from './view/hoverTexts.js';
import { resampleCurves } from './view/densityResample.js';
import { decimalsFor, maxAbs, roundTo } from './view/rounding.js';
import { sampleScatterSide } from './view/scatterSample.js';
import { histogramUnit } from './view/scoreHistogram.js';

/** One side of the comparison as the pipeline holds it. */
export interface ReportSideInput {
  /** Projection on the top principal components: rows = samples, cols = components (PC1 first). */
  projection: Matrix;
  /** Texts aligned with projection rows, or null for vector sources. */
  texts: string[] | null;
  /** Out-of-fold domain-classifier probability of "target" per sample, or null when C2ST did not run. */
  classifierProbability: Float64Array | null;
}

/** One component's KDE view (the paper's density overlay). */
export interface ComponentDensityInput {
  /** 0-based principal component index (0 = PC1). */
  index: number;
  /** Evaluation grid, strictly increasing. */
  grid: ArrayLike<number>;
  /** Reference and target densities on the grid. */
  reference: ArrayLike<number>;
  target: ArrayLike<number>;
  /** Overlap coefficient ∫ min(p, q), in [0, 1]. */
  overlap: number;
  /** Jensen–Shannon divergence (base 2), in [0, 1]. */
  jsDivergence: number;
}

export interface ReportViewLimits {
  /** Most points plotted per side in the PCA scatter. */
  scatterPointsPerSide: number;
  /** Longest hover text, in characters (lowered evenly when the byte budget requires it). */
  textChars: number;
  /** Serialised UTF-8 bytes all hover texts together may take. */
  textBytes: number;
  /** Most points per density curve. */
  densityPoints: number;
  /** Most components shown as density overlays. */
  densityComponents: number;
  /** Bins of the classifier-score histogram. */
  histogramBins: number;
  /** Most shifted target samples marked in the scatter. */
  highlighted: number;
}

export const DEFAULT_REPORT_LIMITS: ReportViewLimits = {
  scatterPointsPerSide: 2500,
  textChars: 200,
  // With the inlined Vega runtime (~0.52 MB) and the rest of the page (~0.2 MB), this keeps the file < 2 MB.
  textBytes: 900_000,
  densityPoints: 256,
  densityComponents: 6,
  histogramBins: 25,
  highlighted: 20,
};

export interface ReportViewInput {
  reference: ReportSideInput;
  target: ReportSideInput;
  /** KDE curves per component, in the order to show them (usually PC1, PC2, ...). */
  components: ComponentDensityInput[];
  /** Target row indices of the most shifted samples, most shifted first (result.samples.top order). */
  highlightTargetIndices?: number[];
  /** Stream for subsampling (fork it from the run's seed, e.g. rng.fork('report')). */
  rng: Rng;
  limits?: Partial<ReportViewLimits>;
}

export interface ScatterSideView {
  /** Samples on this side in total. */
  nTotal: number;
  /** Row indices of the plotted samples, ascending. */
  index: number[];
  x: number[];
  y: number[];
  /** Clipped hover texts, or null for vector sources. */
  text: string[] | null;
}

export interface HighlightedPoint {
  /** 1 = most shifted. */
  rank: number;
  index: number;
  x: number;
  y: number;
  text: string | null;
}

export interface ScatterView {
  /** 0-based components on the axes (0 and 1: PC1 × PC2). */
  xComponent: number;
  yComponent: number;
  reference: ScatterSideView;
  target: ScatterSideView;
  highlighted: HighlightedPoint[];
}

export interface DensityView {
  index: number;
  grid: number[];
  reference: number[];
  target: number[];
  overlap: number;
  jsDivergence: number;
}

export interface ScoreHistogramView {
  /** bins + 1 edges over [0, 1]. */
  binEdges: number[];
  /** Counts per bin, or null when that side has no scores. */
  reference: number[] | null;
  target: number[] | null;
  nReference: number;
  nTarget: number;
}

export interface SubsamplingNote {
  scatterReference: { shown: number; total: number };
  scatterTarget: { shown: number; total: number };
  /** Character limit finally applied to hover texts. */
  textChars: number;
  densityPoints: number;
  densityComponentsShown: number;
  densityComponentsTotal: number;
  /** One or two sentences for the page. */
  statement: string;
}

export interface ReportView {
  scatter: ScatterView | null;
  densities: DensityView[];
  classifierHistogram: ScoreHistogramView | null;
  subsampling: SubsamplingNote;
}

export function buildReportView(input: ReportViewInput): ReportView {
  const limits: ReportViewLimits = { ...DEFAULT_REPORT_LIMITS, ...input.limits };
  const { reference, target } = input;
  checkSide('reference', reference);
  checkSide('target', target);
  if (reference.projection.cols !== target.projection.cols) {
    throw new RangeError(
      `reference has ${reference.projection.cols} components, target ${target.projection.cols}: project both on the same PCA`,
    );
  }

  const scatter = buildScatter(input, limits);
  const densities = input.components.slice(0, limits.densityComponents).map((c) => buildDensity(c, limits));
  const classifierHistogram = buildHistogram(reference.classifierProbability, target.classifierProbability, limits);

  const scatterReference = { shown: scatter?.view.reference.index.length ?? 0, total: reference.projection.rows };
  const scatterTarget = { shown: scatter?.view.target.index.length ?? 0, total: target.projection.rows };
  const textChars = scatter?.textChars ?? limits.textChars;
  const subsampling: SubsamplingNote = {
    scatterReference,
    scatterTarget,
    textChars,
    densityPoints: limits.densityPoints,
    densityComponentsShown: densities.length,
    densityComponentsTotal: input.components.length,
    statement: subsamplingStatement(
      scatterReference,
      scatterTarget,
      textChars,
      Boolean(reference.texts || target.texts),
    ),
  };
  return { scatter: scatter?.view ?? null, densities, classifierHistogram, subsampling };
}

function checkSide(name: string, side: ReportSideInput): void {
  const rows = side.projection.rows;
  if (side.texts && side.texts.length !== rows) {
    throw new RangeError(`${name}: ${side.texts.length} texts for ${rows} projected samples`);
  }
  if (side.classifierProbability && side.classifierProbability.length !== rows) {
    throw new RangeError(`${name}: ${side.classifierProbability.length} classifier scores for ${rows} samples`);
  }
}

function buildScatter(
  input: ReportViewInput,
  limits: ReportViewLimits,
): { view: ScatterView; textChars: number } | null {
  const k = input.reference.projection.cols;
  if (k < 2) return null;
  const rng = input.rng;
  const ref = sampleScatterSide(
    input.reference.projection,
    0,
    1,
    input.reference.texts,
    limits.scatterPointsPerSide,
    rng.fork('report-scatter-reference'),
  );
  const tgt = sampleScatterSide(
    input.target.projection,
    0,
    1,
    input.target.texts,
    limits.scatterPointsPerSide,
    rng.fork('report-scatter-target'),
  );

  const tcols = input.target.projection.cols;
  const highlightedRaw = (input.highlightTargetIndices ?? []).slice(0, limits.highlighted).map((index, r) => {
    if (!Number.isInteger(index) || index < 0 || index >= input.target.projection.rows) {
      throw new RangeError(`highlighted target index ${index} is outside 0..${input.target.projection.rows - 1}`);
    }
    return {
      rank: r + 1,
      index,
      x: input.target.projection.data[index * tcols],
      y: input.target.projection.data[index * tcols + 1],
      text: input.target.texts ? input.target.texts[index] : null,
    };
  });

  const clipped = clipTextsToBudget(
    [ref.text, tgt.text, highlightedRaw.map((h) => h.text ?? '')],
    limits.textChars,
    limits.textBytes,
  );
  // One rounding for both axes' data so the two sides stay comparable.
  const dx = decimalsFor(Math.max(maxAbs(ref.x), maxAbs(tgt.x)));
  const dy = decimalsFor(Math.max(maxAbs(ref.y), maxAbs(tgt.y)));
  const side = (s: typeof ref, text: string[] | null): ScatterSideView => ({
    nTotal: s.nTotal,
    index: s.index,
    x: s.x.map((v) => roundTo(v, dx)),
    y: s.y.map((v) => roundTo(v, dy)),
    text,
  });
  const highlightedTexts = clipped.texts[2] ?? [];
  return {
    textChars: clipped.maxChars,
    view: {
      xComponent: 0,
      yComponent: 1,
      reference: side(ref, clipped.texts[0]),
      target: side(tgt, clipped.texts[1]),
      highlighted: highlightedRaw.map((h, i) => ({
        ...h,
        x: roundTo(h.x, dx),
        y: roundTo(h.y, dy),
        text: h.text === null ? null : highlightedTexts[i],
      })),
    },
  };
}

function buildDensity(c: ComponentDensityInput, limits: ReportViewLimits): DensityView {
  const curve = resampleCurves(c.grid, c.reference, c.target, limits.densityPoints);
  const dg = decimalsFor(maxAbs(curve.grid));
  const dd = decimalsFor(Math.max(maxAbs(curve.reference), maxAbs(curve.target)));
  return {
    index: c.index,
    grid: curve.grid.map((v) => roundTo(v, dg)),
    reference: curve.reference.map((v) => roundTo(Math.max(0, v), dd)),
    target: curve.target.map((v) => roundTo(Math.max(0, v), dd)),
    overlap: c.overlap,
    jsDivergence: c.jsDivergence,
  };
}

function buildHistogram(
  reference: Float64Array | null,
  target: Float64Array | null,
  limits: ReportViewLimits,
): ScoreHistogramView | null {
  if (!reference && !target) return null;
  const bins = limits.histogramBins;
  return {
    binEdges: Array.from({ length: bins + 1 }, (_, i) => roundTo(i / bins, 6)),
    reference: reference ? histogramUnit(reference, bins) : null,
    target: target ? histogramUnit(target, bins) : null,
    nReference: reference?.length ?? 0,
    nTarget: target?.length ?? 0,
  };
}

function subsamplingStatement(
  ref: { shown: number; total: number },
  tgt: { shown: number; total: number },
  textChars: number,
  hasTexts: boolean,
): string {
  const part = (s: { shown: number; total: number }) =>
    s.shown === s.total ? `all ${formatCount(s.total)}` : `${formatCount(s.shown)} of ${formatCount(s.total)}`;
  const subsampled = ref.shown < ref.total || tgt.shown < tgt.total;
  const scatter = `The scatter shows ${subsampled ? 'a seeded random subsample: ' : ''}${part(ref)} reference and ${part(tgt)} target samples`;
  const texts = hasTexts ? `; hover texts are cut to ${textChars} characters` : '';
  return `${scatter}${texts}. The tests and the classifier histogram use every analysed sample.`;
}
