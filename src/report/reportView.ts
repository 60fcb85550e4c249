/**
 * The report's view model: only what the page draws, subsampled and rounded so report.html stays well under
 * 2 MB whatever the input size, with the subsampling stated so the page can say so.
 *
 * The pipeline passes raw data (projections on the top principal components, texts, KDE curves, classifier
 * out-of-fold probabilities); everything else the page shows comes from result.json (ShiftlensResult).
 */
import { columnOf, type Matrix } from '../core/matrix.js';
import type { Rng } from '../core/random.js';
import { formatCount } from './format.js';
import { jsonStringBytes } from './html/jsonScript.js';
import { clipTextsToBudget } from './view/hoverTexts.js';
import { checkCurves } from './view/densityResample.js';
import { evenGrid, interpolateAt, robustDomain } from './view/robustRange.js';
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
  /** Labels aligned with projection rows ('' = none), or null/absent without labels. */
  labels?: string[] | null;
  /** What the tooltips call each sample: the user's ids (--id-column) or the origins, or null/absent. */
  ids?: string[] | null;
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
  /** Most label panels in the scatter faceted by label (the most frequent labels; more are left out and said). */
  labelPanels: number;
  /** Longest id shown in a tooltip, in characters (ids are cut from the start: their end is what differs). */
  idChars: number;
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
  labelPanels: 6,
  idChars: 48,
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
  /** Labels of the plotted samples, or null without labels. */
  label: string[] | null;
  /** Ids (or origins) of the plotted samples, cut to limits.idChars, or null. */
  id: string[] | null;
}

export interface HighlightedPoint {
  /** 1 = most shifted. */
  rank: number;
  index: number;
  x: number;
  y: number;
  text: string | null;
  label: string | null;
  id: string | null;
}

/** An axis range that follows the bulk of the data (see view/robustRange.ts). */
export interface AxisRange {
  lo: number;
  hi: number;
  /** Samples of both sides beyond the range, drawn at its edge. */
  nOutside: number;
}

export interface ScatterView {
  /** 0-based components on the axes (0 and 1: PC1 × PC2). */
  xComponent: number;
  yComponent: number;
  reference: ScatterSideView;
  target: ScatterSideView;
  highlighted: HighlightedPoint[];
  /** Axis ranges: the 0.5th–99.5th percentiles of the plotted points (outliers drawn clamped to the edge). */
  xRange: AxisRange;
  yRange: AxisRange;
  /** Labels shown as panels of the by-label scatter, most frequent first; empty without labels. */
  labelPanels: string[];
  /** Distinct labels in all, when more than labelPanels. */
  nLabels: number;
}

export interface DensityView {
  index: number;
  grid: number[];
  reference: number[];
  target: number[];
  overlap: number;
  jsDivergence: number;
  /** The x range drawn (1st–99th percentile of both sides' scores, or the curve's extent when nothing lies beyond). */
  lo: number;
  hi: number;
  /** Samples per side beyond the range on each end (marked at the edge). */
  below: { reference: number; target: number };
  above: { reference: number; target: number };
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
  const densities = input.components
    .slice(0, limits.densityComponents)
    .map((c) => buildDensity(c, limits, reference.projection, target.projection));
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
  if (side.labels && side.labels.length !== rows) {
    throw new RangeError(`${name}: ${side.labels.length} labels for ${rows} samples`);
  }
  if (side.ids && side.ids.length !== rows) {
    throw new RangeError(`${name}: ${side.ids.length} ids for ${rows} samples`);
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
      label: input.target.labels ? input.target.labels[index] : null,
      id: input.target.ids ? clipId(input.target.ids[index], limits.idChars) : null,
    };
  });

  // Ids and labels travel beside the texts: what they take comes off the texts' byte budget.
  let sideBytes = 0;
  for (const [s, from] of [
    [ref, input.reference],
    [tgt, input.target],
  ] as const) {
    for (const i of s.index) {
      if (from.ids) sideBytes += jsonStringBytes(clipId(from.ids[i], limits.idChars));
      if (from.labels) sideBytes += jsonStringBytes(from.labels[i]);
    }
  }
  const clipped = clipTextsToBudget(
    [ref.text, tgt.text, highlightedRaw.map((h) => h.text ?? '')],
    limits.textChars,
    Math.max(limits.textBytes / 4, limits.textBytes - sideBytes),
  );
  // One rounding for both axes' data so the two sides stay comparable.
  const dx = decimalsFor(Math.max(maxAbs(ref.x), maxAbs(tgt.x)));
  const dy = decimalsFor(Math.max(maxAbs(ref.y), maxAbs(tgt.y)));
  const side = (s: typeof ref, text: string[] | null, from: ReportSideInput): ScatterSideView => ({
    nTotal: s.nTotal,
    index: s.index,
    x: s.x.map((v) => roundTo(v, dx)),
    y: s.y.map((v) => roundTo(v, dy)),
    text,
    label: from.labels ? s.index.map((i) => (from.labels as string[])[i]) : null,
    id: from.ids ? s.index.map((i) => clipId((from.ids as string[])[i], limits.idChars)) : null,
  });
  const range = (a: number[], b: number[], d: number): AxisRange => {
    const r = robustDomain(a, b, 0.005, 0.04);
    const nOutside = r.below.reference + r.below.target + r.above.reference + r.above.target;
    return { lo: roundTo(r.lo, d), hi: roundTo(r.hi, d), nOutside };
  };
  const panels = labelPanels(input.reference.labels ?? null, input.target.labels ?? null, limits.labelPanels);
  const highlightedTexts = clipped.texts[2] ?? [];
  return {
    textChars: clipped.maxChars,
    view: {
      xComponent: 0,
      yComponent: 1,
      reference: side(ref, clipped.texts[0], input.reference),
      target: side(tgt, clipped.texts[1], input.target),
      highlighted: highlightedRaw.map((h, i) => ({
        ...h,
        x: roundTo(h.x, dx),
        y: roundTo(h.y, dy),
        text: h.text === null ? null : highlightedTexts[i],
      })),
      xRange: range(ref.x, tgt.x, dx),
      yRange: range(ref.y, tgt.y, dy),
      labelPanels: panels.shown,
      nLabels: panels.total,
    },
  };
}

/** The most frequent labels over both sides (ties by name), at most `max`; none when there is only one. */
function labelPanels(
  reference: string[] | null,
  target: string[] | null,
  max: number,
): { shown: string[]; total: number } {
  if (!reference && !target) return { shown: [], total: 0 };
  const counts = new Map<string, number>();
  for (const labels of [reference, target]) {
    for (const l of labels ?? []) if (l !== '') counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  if (counts.size < 2) return { shown: [], total: counts.size };
  const ordered = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([l]) => l);
  return { shown: ordered.slice(0, max), total: ordered.length };
}

/** Ids are cut from the start ("…/00042.eml"): their end is what tells them apart. */
function clipId(id: string, maxChars: number): string {
  const chars = Array.from(id);
  return chars.length <= maxChars ? id : `…${chars.slice(chars.length - maxChars + 1).join('')}`;
}

function buildDensity(
  c: ComponentDensityInput,
  limits: ReportViewLimits,
  reference: Matrix,
  target: Matrix,
): DensityView {
  checkCurves(c.grid, c.reference, c.target);
  const first = c.grid[0];
  const last = c.grid[c.grid.length - 1];
  let range = { lo: first, hi: last, below: { reference: 0, target: 0 }, above: { reference: 0, target: 0 } };
  if (c.index < reference.cols && c.index < target.cols) {
    const r = robustDomain(columnOf(reference, c.index), columnOf(target, c.index));
    // Nothing beyond an end: draw the curve's own tail there (the KDE reaches past the data).
    const lo = r.below.reference + r.below.target > 0 ? Math.max(first, r.lo) : first;
    const hi = r.above.reference + r.above.target > 0 ? Math.min(last, r.hi) : last;
    if (hi > lo) range = { lo, hi, below: r.below, above: r.above };
  }
  // Resample evenly inside the drawn range, at the resolution the analysis had there (at most densityPoints).
  let inside = 0;
  for (let i = 0; i < c.grid.length; i++) if (c.grid[i] >= range.lo && c.grid[i] <= range.hi) inside++;
  const points = Math.max(32, Math.min(limits.densityPoints, inside + 2));
  const grid = evenGrid(range.lo, range.hi, points);
  const curve = {
    grid,
    reference: interpolateAt(c.grid, c.reference, grid),
    target: interpolateAt(c.grid, c.target, grid),
  };
  const dg = decimalsFor(maxAbs(curve.grid));
  const dd = decimalsFor(Math.max(maxAbs(curve.reference), maxAbs(curve.target)));
  return {
    index: c.index,
    grid: curve.grid.map((v) => roundTo(v, dg)),
    reference: curve.reference.map((v) => roundTo(Math.max(0, v), dd)),
    target: curve.target.map((v) => roundTo(Math.max(0, v), dd)),
    overlap: c.overlap,
    jsDivergence: c.jsDivergence,
    lo: roundTo(range.lo, dg),
    hi: roundTo(range.hi, dg),
    below: range.below,
    above: range.above,
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
