/**
 * A realistic report input built from constructed data: real sentences (UCI Sentiment: Amazon reviews as the
 * reference, IMDb reviews as the target), projections drawn from two Gaussians with a known shift on PC1/PC2,
 * densities from the project's own KDE (src/analysis/kde.ts), and domain-classifier probabilities that follow
 * PC1 through a logistic link. The test numbers in result.json are plausible values for such a shift (they are
 * what the report displays, not what it computes).
 *
 * Used by the report tests and bench/report.ts; imports nothing from vitest.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { columnOf, createMatrix, type Matrix } from '../../src/core/matrix.js';
import { mean } from '../../src/core/arrayStats.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { compareDensities } from '../../src/analysis/kde.js';
import { SCHEMA_VERSION, type SampleScoreRow, type ShiftlensResult } from '../../src/result/resultTypes.js';
import type { ProbeResult } from '../../src/probe/probeTypes.js';
import { densityInputs } from '../../src/report/view/fromAnalysis.js';
import { wordShiftBlock } from '../../src/pipeline/wordShiftBlock.js';
import {
  buildReportView,
  type ComponentDensityInput,
  type ReportView,
  type ReportViewInput,
  type ReportViewLimits,
} from '../../src/report/reportView.js';

export const HOSTILE_TEXT = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> "quoted" & 'single' </td></tr>`;

export interface FixtureOptions {
  nReference: number;
  nTarget: number;
  /** Principal components kept (default 5). */
  components?: number;
  seed?: number;
  /** Mean shift of the target on PC1 (default 1.2; 0 = no shift). */
  shift?: number;
  withTexts?: boolean;
  withProbe?: boolean;
  withClassifier?: boolean;
  /** Put HOSTILE_TEXT at target row 0 and make it the most shifted sample. */
  hostile?: boolean;
  /** Mean words of reference and target texts for the length check (null: no length section). */
  lengthShift?: boolean;
  limits?: Partial<ReportViewLimits>;
}

export interface Fixture {
  result: ShiftlensResult;
  input: ReportViewInput;
  view: ReportView;
}

interface Sentence {
  text: string;
  class: number;
}

function loadSentences(site: 'amazon' | 'imdb'): Sentence[] {
  const entry = createRequire(import.meta.url).resolve('sentiment');
  const root = dirname(entry);
  const path = [join(root, 'test/fixtures', `${site}.json`), join(root, '..', 'test/fixtures', `${site}.json`)].find(
    (p) => {
      try {
        readFileSync(p);
        return true;
      } catch {
        return false;
      }
    },
  );
  if (!path) throw new Error(`sentiment fixtures for ${site} not found near ${root}`);
  const rows = JSON.parse(readFileSync(path, 'utf8')) as Sentence[];
  return rows.filter((r) => typeof r.text === 'string' && r.text.trim() !== '');
}

/** Component standard deviations fall off like a real embedding's spectrum. */
function componentSd(c: number): number {
  return 1.6 / (1 + 0.6 * c);
}

function drawProjection(n: number, k: number, meanShift: number[], rng: Rng): Matrix {
  const m = createMatrix(n, k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) m.data[i * k + c] = meanShift[c] + componentSd(c) * rng.normal();
  }
  return m;
}

function classifierScores(m: Matrix, slope: number, offset: number, rng: Rng): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const z = slope * m.data[i * m.cols] + offset + 0.4 * rng.normal();
    out[i] = 1 / (1 + Math.exp(-z));
  }
  return out;
}

function interval(estimate: number, half: number, level = 0.95) {
  return { estimate, lower: Math.max(0, estimate - half), upper: Math.min(1, estimate + half), level };
}

function probeResult(nReference: number, nTarget: number): ProbeResult {
  return {
    classes: ['negative', 'positive'],
    labelMap: { '0': 'negative', '1': 'positive' },
    reference: {
      n: nReference,
      folds: 5,
      accuracy: interval(0.884, 0.021),
      macroF1: interval(0.883, 0.022),
      regularization: 0.01,
      converged: true,
    },
    transfer: {
      n: nTarget,
      nExcludedUnseenClass: 0,
      unseenClasses: [],
      accuracy: interval(0.742, 0.028),
      macroF1: interval(0.737, 0.029),
      gap: { estimate: 0.142, lower: 0.107, upper: 0.177, level: 0.95 },
      confusion: {
        classes: ['negative', 'positive'],
        matrix: [
          [Math.round(nTarget * 0.41), Math.round(nTarget * 0.09)],
          [Math.round(nTarget * 0.168), Math.round(nTarget * 0.332)],
        ],
      },
    },
    targetOnly: {
      n: nTarget,
      folds: 5,
      accuracy: interval(0.861, 0.024),
      macroF1: interval(0.86, 0.025),
      majorityBaseline: 0.5,
      labelEfficiency: [
        { nLabels: 10, accuracy: 0.58, lower: 0.5, upper: 0.67 },
        { nLabels: 25, accuracy: 0.66, lower: 0.59, upper: 0.73 },
        { nLabels: 50, accuracy: 0.73, lower: 0.68, upper: 0.78 },
        { nLabels: 100, accuracy: 0.78, lower: 0.74, upper: 0.82 },
        { nLabels: 200, accuracy: 0.82, lower: 0.79, upper: 0.85 },
        { nLabels: 400, accuracy: 0.85, lower: 0.82, upper: 0.87 },
      ],
    },
  };
}

export function buildFixture(options: FixtureOptions): Fixture {
  const k = options.components ?? 5;
  const seed = options.seed ?? 7;
  const shift = options.shift ?? 1.2;
  const withTexts = options.withTexts ?? true;
  const rng = createRng(seed);

  const meanShift = Array.from({ length: k }, (_, c) => (c === 0 ? shift : c === 1 ? -shift * 0.35 : 0));
  const refProjection = drawProjection(options.nReference, k, new Array(k).fill(0), rng.fork('fixture-ref'));
  const tgtProjection = drawProjection(options.nTarget, k, meanShift, rng.fork('fixture-tgt'));

  const amazon = withTexts ? loadSentences('amazon') : [];
  const imdb = withTexts ? loadSentences('imdb') : [];
  const refTexts = withTexts
    ? Array.from({ length: options.nReference }, (_, i) => amazon[i % amazon.length].text)
    : null;
  const tgtTexts = withTexts ? Array.from({ length: options.nTarget }, (_, i) => imdb[i % imdb.length].text) : null;
  if (tgtTexts && options.hostile) tgtTexts[0] = HOSTILE_TEXT;
  // Labels follow the sentences' sentiment (without texts: alternating).
  const labelOf = (s: Sentence[], i: number) => ((s.length ? s[i % s.length].class : i % 2) ? 'positive' : 'negative');
  const refLabels = Array.from({ length: options.nReference }, (_, i) => labelOf(amazon, i));
  const tgtLabels = Array.from({ length: options.nTarget }, (_, i) => labelOf(imdb, i));

  const withClassifier = options.withClassifier ?? true;
  const refProb = withClassifier ? classifierScores(refProjection, 1.1, -0.6, rng.fork('fixture-c2st-ref')) : null;
  const tgtProb = withClassifier ? classifierScores(tgtProjection, 1.1, -0.6, rng.fork('fixture-c2st-tgt')) : null;
  if (tgtProb && options.hostile) tgtProb[0] = 0.9999;

  const densities = Array.from({ length: k }, (_, c) =>
    compareDensities(columnOf(refProjection, c), columnOf(tgtProjection, c), { bandwidth: 'scott' }),
  );
  const components: ComponentDensityInput[] = densityInputs(densities);

  const variances = Array.from({ length: k }, (_, c) => componentSd(c) ** 2);
  const totalVariance = variances.reduce((a, b) => a + b, 0) * 2.5; // the kept components explain 40%
  const explained = variances.map((v) => v / totalVariance);

  // Most shifted target samples: highest classifier probability (or highest PC1 score without a classifier).
  const score = tgtProb ?? columnOf(tgtProjection, 0);
  const order = Array.from({ length: options.nTarget }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  const top: SampleScoreRow[] = order.slice(0, 30).map((i, r) => ({
    index: i,
    origin: `imdb.json row ${i + 1}`,
    id: `imdb-${i + 1}`,
    label: tgtLabels[i],
    text: tgtTexts ? tgtTexts[i] : null,
    classifierProbability: tgtProb ? tgtProb[i] : null,
    knnDistance: 0.9 - r * 0.01,
    knnPValue: 0.0005 * (r + 1),
    mmdWitness: 0.04 - r * 0.001,
    combinedScore: 1 - r / 60,
  }));

  const shiftDetected = shift > 0;
  const p = (v: number) => (shiftDetected ? v : 0.4 + v);
  const meanWords = (texts: string[] | null) =>
    texts ? mean(texts.slice(0, 2000).map((t) => t.split(/\s+/).filter(Boolean).length)) : null;
  const refWords = meanWords(refTexts);
  const tgtWords = meanWords(tgtTexts);
  const probe = options.withProbe === false ? null : probeResult(options.nReference, options.nTarget);

  const result: ShiftlensResult = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'shiftlens', version: '0.1.0' },
    createdAt: '2026-11-29T10:15:00.000Z',
    seed,
    reference: {
      source: 'sentiment:amazon',
      n: options.nReference,
      nRead: options.nReference + 3,
      nEmpty: 1,
      nDuplicate: 12,
      nSampledOut: 0,
      nTruncated: 0,
      skipped: [{ reason: 'undecodable charset', count: 2 }],
      meanWords: refWords,
      labels: { negative: Math.floor(options.nReference / 2), positive: Math.ceil(options.nReference / 2) },
      oovRate: null,
    },
    target: {
      source: 'sentiment:imdb',
      n: options.nTarget,
      nRead: options.nTarget,
      nEmpty: 0,
      nDuplicate: 4,
      nSampledOut: 0,
      nTruncated: 3,
      skipped: [],
      meanWords: tgtWords,
      labels: { negative: Math.floor(options.nTarget / 2), positive: Math.ceil(options.nTarget / 2) },
      oovRate: null,
    },
    model: {
      id: 'transformers:Xenova/all-MiniLM-L6-v2',
      backend: 'transformers',
      dim: 384,
      pooling: 'mean',
      normalize: true,
      maxTokens: 256,
      description: 'MiniLM-L6 sentence encoder, mean pooling over the attention mask, L2-normalised',
    },
    pca: {
      fittedOn: 'pooled',
      nComponents: k,
      explainedVarianceRatio: explained,
      components: densities.map((d, c) => ({
        index: c,
        explainedVarianceRatio: explained[c],
        overlap: d.overlap,
        jsDivergence: d.jsDivergence,
        bandwidth: { rule: d.bandwidthRule, reference: d.bandwidthA, target: d.bandwidthB },
        meanReference: mean(columnOf(refProjection, c)),
        meanTarget: mean(columnOf(tgtProjection, c)),
      })),
    },
    centroid: { cosineDistance: shiftDetected ? 0.0841 : 0.0012, euclideanDistance: shiftDetected ? 0.412 : 0.049 },
    length: options.lengthShift
      ? {
          meanWordsReference: refWords ?? 10,
          meanWordsTarget: (tgtWords ?? 10) * 1.9,
          ksStatistic: 0.31,
          pValue: 1e-12,
        }
      : { meanWordsReference: refWords ?? 10, meanWordsTarget: refWords ?? 10, ksStatistic: 0.02, pValue: 0.61 },
    tests: [
      test(
        'mmd',
        'MMD (Gaussian kernel, permutation)',
        0.0912,
        p(0.000999),
        0.118,
        'MMD² / mean within-sample kernel',
        '1000 permutations, p = (1 + b) / (1 + P)',
        { bandwidth: 0.83, permutations: 1000, subsample: 4000 },
      ),
      test(
        'mmd-linear',
        'Linear-time MMD',
        0.0874,
        p(2.1e-9),
        0.11,
        'MMD² / mean within-sample kernel',
        'asymptotic normal null of the linear-time statistic',
        { bandwidth: 0.83, pairs: Math.floor(options.nTarget / 2) },
      ),
      test(
        'energy',
        'Energy distance (permutation)',
        0.2031,
        p(0.000999),
        0.061,
        'energy / (2 E|X−Y|)',
        '1000 permutations, p = (1 + b) / (1 + P)',
        { permutations: 1000 },
      ),
      test(
        'ks-pca',
        'KS on principal components (Bonferroni)',
        0.338,
        p(3.4e-40),
        0.338,
        'max KS statistic',
        'exact/asymptotic KS per component, Bonferroni over components',
        { components: k, perComponentP: [1e-40, 1e-5, 0.3, 0.8, 0.5].slice(0, k) },
      ),
      test(
        'c2st',
        'Classifier two-sample test (logistic, 5-fold)',
        0.714,
        p(1e-30),
        0.214,
        'AUC − 0.5',
        'out-of-fold AUC against its permutation-free normal null',
        { folds: 5 },
        { lower: 0.2, upper: 0.228, level: 0.95, of: 'effectSize' },
      ),
      test('frechet', 'Fréchet distance', 0.731, null, 0.731, 'Fréchet distance', 'effect size only (no p-value)', {}),
      test(
        'centroid',
        'Centroid cosine distance',
        0.0841,
        null,
        0.0841,
        'cosine distance',
        'effect size only (no p-value)',
        {},
      ),
    ].map((t) => ({
      ...t,
      shift: shiftDetected && t.pValue !== null,
      pValueAdjusted: t.pValue === null ? null : Math.min(1, t.pValue * 5),
    })),
    suite: {
      alpha: 0.05,
      correction: 'holm',
      minEffect: 0.02,
      shiftDetected,
      statisticallySignificant: shiftDetected,
      practicallySignificant: shiftDetected,
    },
    samples: { top, allScoresFile: 'target-scores.csv' },
    wordShift: wordShiftBlock(refTexts, tgtTexts, Float64Array.from(score), rng.fork('fixture-words')),
    probe,
    verdict: shiftDetected
      ? {
          kind: 'shiftRevisitData',
          headline: 'The target differs from the reference, and a reference-trained probe loses 14 points on it.',
          reasons: [
            '5 of 5 tests reject at α = 0.05 (Holm); the domain classifier reaches AUC 0.714.',
            `PC1 densities overlap only ${densities[0].overlap.toFixed(2)} (1 = identical).`,
            'The reference probe scores 74.2% on the target against 88.4% held-out on the reference (gap 14.2 points [10.7, 17.7]).',
          ],
          recommendation:
            'Label some target data: a target-trained probe reaches 86.1% with all labels and 78% with 100.',
          thresholds: { alpha: 0.05, minEffect: 0.02, maxGap: 0.05 },
          shiftDetected: true,
        }
      : {
          kind: 'sameDistribution',
          headline: 'No shift detected between the reference and the target.',
          reasons: ['0 of 5 tests reject at α = 0.05 (Holm).'],
          recommendation: 'Use the reference-trained model on the target as it is.',
          thresholds: { alpha: 0.05, minEffect: 0.02 },
          shiftDetected: false,
        },
    timings: { ingestMs: 812, embedMs: 23514, pcaMs: 421, testsMs: 9310, probeMs: 2210 },
    warnings: ['3 target texts were cut at 256 tokens.'],
  };

  const input: ReportViewInput = {
    reference: {
      projection: refProjection,
      texts: refTexts,
      classifierProbability: refProb,
      labels: options.withProbe === false ? null : refLabels,
      ids: Array.from({ length: options.nReference }, (_, i) => `amazon-${i + 1}`),
    },
    target: {
      projection: tgtProjection,
      texts: tgtTexts,
      classifierProbability: tgtProb,
      labels: options.withProbe === false ? null : tgtLabels,
      ids: Array.from({ length: options.nTarget }, (_, i) => `imdb-${i + 1}`),
    },
    components,
    highlightTargetIndices: top.map((r) => r.index),
    rng: createRng(seed).fork('report'),
    limits: options.limits,
  };
  return { result, input, view: buildReportView(input) };
}

function test(
  name: string,
  label: string,
  statistic: number,
  pValue: number | null,
  effectSize: number,
  effectSizeName: string,
  method: string,
  details: Record<string, unknown>,
  interval?: { lower: number; upper: number; level: number; of: 'statistic' | 'effectSize' },
) {
  return {
    name,
    label,
    statistic,
    pValue,
    effectSize,
    effectSizeName,
    method,
    details,
    timingMs: 1234,
    ...(interval ? { interval } : {}),
  };
}
