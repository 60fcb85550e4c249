/**
 * The `compare` pipeline: ingest both sides → embed with one model → PCA on the pooled sample with per-component
 * densities → two-sample tests with a family-wise decision → per-sample shift scores → linear probe (when labels
 * exist) → verdict. Returns the result.json object plus the raw arrays the report draws; writes nothing.
 */
import { columnOf, concatRows, sampleRows, type Matrix } from '../core/matrix.js';
import { classCounts } from '../probe/labels.js';
import { mean } from '../core/arrayStats.js';
import type { Progress } from '../core/progress.js';
import { createRng, type Rng } from '../core/random.js';
import { sampleCount, type Dataset } from '../ingest/dataset.js';
import type { EmbeddingResult } from '../embed/embedder.js';
import { fitPca } from '../analysis/pca.js';
import { compareDensities, type DensityComparison } from '../analysis/kde.js';
import { centroidDistances } from '../analysis/centroid.js';
import type { SampleShiftScores, TwoSampleTestResult } from '../twosample/detector.js';
import { knnConformalScores } from '../twosample/sampleScores/knnConformal.js';
import { mmdWitness } from '../twosample/sampleScores/mmdWitness.js';
import { fittedMaxFitRows, probeTarget, runProbe, type ProbeInput } from '../probe/runProbe.js';
import { compareFinetune } from '../finetune/compareFinetune.js';
import { compareLabelDistributions } from '../probe/labelShift.js';
import { decideVerdict } from '../verdict/decide.js';
import {
  SCHEMA_VERSION,
  type DatasetSummaryJson,
  type SampleScoreRow,
  type ShiftlensResult,
} from '../result/resultTypes.js';
import { withPValueFloor } from '../result/pValueFloor.js';
import { combineSampleScores, topIndices } from './sampleRanking.js';
import { compareLengths } from './lengthShift.js';
import { wordCount } from './wordCount.js';
import { probeOptions, type CompareOptions } from './compareOptions.js';
import { TOOL_VERSION } from './toolVersion.js';
import { loadAndEmbed, type DatasetPair, type EmbeddedPair } from './prepareEmbeddings.js';
import { rowGroupsFromIds } from './testSuite.js';
import { testWindow } from './referenceSuite.js';
import { referenceFromEmbedded } from './buildReference.js';
import type { ReferenceBundle } from '../bundle/referenceBundle.js';
import { wordShiftBlock } from './wordShiftBlock.js';

export interface CompareRun {
  result: ShiftlensResult;
  /** Raw material for the report and the per-sample score file. */
  raw: {
    referenceTexts: string[] | null;
    targetTexts: string[] | null;
    referenceProjection: Matrix;
    targetProjection: Matrix;
    densities: DensityComparison[];
    referenceProbability: Float64Array | null;
    targetProbability: Float64Array | null;
    sampleScores: SampleShiftScores;
    combinedScore: Float64Array | null;
    targetOrigins: string[];
    /** The users' own ids (--id-column) and the labels, per side, or null. */
    referenceIds: string[] | null;
    targetIds: string[] | null;
    referenceLabels: string[] | null;
    targetLabels: string[] | null;
  };
}

/**
 * Per-sample scores compare every target sample with (a seeded subsample of) the reference: at most 20,000
 * reference rows, fewer when the target is huge so that target × reference pairs stay ≤ 2·10⁹ (≈ 1 min on 2
 * cores), but never fewer than 1,000. The MMD witness runs only up to 20,000 target samples.
 */
const SCORE_REFERENCE_MAX = 20000;
const SCORE_REFERENCE_MIN = 1000;
const SCORE_PAIR_BUDGET = 2e9;

/**
 * `given`: both sides as Datasets built in memory (src/api) instead of read from options.reference/target's
 * sources; everything after loading is the same code, so the same rows and seed give the same numbers.
 */
export async function runCompare(
  options: CompareOptions,
  progress: Progress,
  given?: DatasetPair,
): Promise<CompareRun> {
  const clock = createClock();
  const { reference, target, embedded } = await loadAndEmbed(options, progress, clock.time, given);
  // Compare is a reference build and a check in memory: the same code from the embeddings on (pipeline/check.ts).
  const bundle = await clock.time('referenceFitMs', () =>
    referenceFromEmbedded(
      {
        dataset: reference,
        vectors: embedded.referenceVectors,
        embedding: embedded.reference,
        info: embedded.info,
        fingerprint: null,
        warnings: [],
      },
      options,
      progress,
    ),
  );
  return compareWithReference(
    bundle,
    { dataset: target, vectors: embedded.targetVectors, embedding: embedded.target },
    options,
    progress,
    { clock, warnings: [...(embedded.warnings ?? [])] },
  );
}

/** Named durations of a run's stages (result.json's timings). */
export interface Clock {
  timings: Record<string, number>;
  time<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export function createClock(): Clock {
  const timings: Record<string, number> = {};
  return {
    timings,
    async time<T>(name: string, work: () => Promise<T>): Promise<T> {
      const started = performance.now();
      try {
        return await work();
      } finally {
        timings[name] = Math.round(performance.now() - started);
      }
    },
  };
}

/** The target side of a comparison, embedded with the reference's model. */
export interface EmbeddedTarget {
  dataset: Dataset;
  vectors: Matrix;
  embedding: Pick<EmbeddingResult, 'nTruncated' | 'oovRate'>;
}

/**
 * Everything after embedding, shared by compare and check: a target against a reference bundle (fitted in memory
 * or read from a file) → result.json and the report's raw material. `context.warnings`: what came before (the
 * embedder's warnings), continued here.
 */
export async function compareWithReference(
  bundle: ReferenceBundle,
  targetSide: EmbeddedTarget,
  options: CompareOptions,
  progress: Progress,
  context: { clock: Clock; warnings: string[] },
): Promise<CompareRun> {
  const { timings, time } = context.clock;
  const warnings = context.warnings;
  const rng = createRng(options.seed);
  const reference = bundle.reference.dataset;
  const target = targetSide.dataset;
  const embedded: EmbeddedPair = {
    referenceVectors: bundle.reference.vectors,
    targetVectors: targetSide.vectors,
    info: bundle.model.info,
    reference: bundle.reference.embedding,
    target: targetSide.embedding,
  };
  const { referenceVectors, targetVectors, info } = embedded;

  for (const side of ['reference', 'target'] as const) {
    const stats = embedded[side];
    if (stats.nTruncated > 0) {
      warnings.push(
        `${stats.nTruncated} ${side} text(s) were longer than the model's ${info.maxTokens ?? ''} token limit and were truncated: only their beginning was embedded.`,
      );
    }
    if (stats.oovRate !== null && stats.oovRate > 0.2) {
      warnings.push(
        `${(100 * stats.oovRate).toFixed(0)}% of the ${side}'s word tokens are not in ${info.id}'s vocabulary: its embeddings rest on the remaining words only.`,
      );
    }
  }

  // The paper's view: PCA fitted on both sets, densities per component.
  const pooled = concatRows(referenceVectors, targetVectors);
  const nComponents = Math.max(1, Math.min(options.components, pooled.cols, pooled.rows - 1));
  const { pca, referenceProjection, targetProjection, densities } = await time('pcaMs', async () => {
    const model = await fitPca(pooled, Math.max(nComponents, Math.min(2, pooled.cols)));
    const refProj = await model.project(referenceVectors);
    const tgtProj = await model.project(targetVectors);
    const dens: DensityComparison[] = [];
    for (let c = 0; c < nComponents; c++) {
      dens.push(compareDensities(columnOf(refProj, c), columnOf(tgtProj, c), { bandwidth: options.bandwidthRule }));
    }
    return { pca: model, referenceProjection: refProj, targetProjection: tgtProj, densities: dens };
  });
  const centroid = centroidDistances(referenceVectors, targetVectors);

  // Two-sample tests.
  const suite = await time('testsMs', () =>
    testWindow(
      bundle,
      targetVectors,
      {
        ...options,
        groups: rowGroupsFromIds(reference.groups, target.groups, referenceVectors.rows, targetVectors.rows),
      },
      rng.fork('tests'),
      progress,
    ),
  );
  warnings.push(...suite.warnings);
  const { referenceProbability, targetProbability } = suite;

  // Which target samples drove it.
  const sampleScores = await time('sampleScoresMs', () =>
    scoreSamples(referenceVectors, targetVectors, suite.tests, targetProbability, rng.fork('samples'), warnings),
  );
  const combinedScore = combineSampleScores(sampleScores, targetVectors.rows);
  const top: SampleScoreRow[] = combinedScore
    ? topIndices(combinedScore, options.topSamples).map((i) => ({
        index: i,
        origin: target.origins[i],
        id: target.ids ? target.ids[i] : null,
        label: target.labels ? target.labels[i] : null,
        text: target.texts ? target.texts[i] : null,
        classifierProbability: sampleScores.classifierProbability ? sampleScores.classifierProbability[i] : null,
        knnDistance: sampleScores.knnDistance ? sampleScores.knnDistance[i] : null,
        knnPValue: sampleScores.knnPValue ? sampleScores.knnPValue[i] : null,
        mmdWitness: sampleScores.mmdWitness ? sampleScores.mmdWitness[i] : null,
        combinedScore: combinedScore[i],
      }))
    : [];

  // What changed, in words (text sources only).
  const words = await time('wordShiftMs', async () =>
    wordShiftBlock(reference.texts, target.texts, combinedScore, rng.fork('word-shift')),
  );

  // Linear probe when labels exist.
  const labelMap = options.labelMap ?? reference.defaultLabelMap ?? target.defaultLabelMap ?? null;
  const referenceClasses = new Set((reference.labels ?? []).filter((l) => l !== ''));
  const probe =
    reference.labels && referenceClasses.size >= 2
      ? await time('probeMs', () =>
          probeAgainstReference(bundle, {
            reference: referenceVectors,
            referenceLabels: reference.labels as string[],
            target: targetVectors,
            targetLabels: target.labels,
            labelMap,
            rng: rng.fork('probe'),
            progress,
            options: probeOptions(options),
          }),
        )
      : null;
  if (reference.labels && referenceClasses.size < 2) {
    warnings.push(
      `The reference has ${referenceClasses.size} label class(es) (${[...referenceClasses].join(', ') || 'none'}): a probe needs at least two, so no probe was trained.`,
    );
  } else if (!reference.labels && target.labels) {
    warnings.push('Only the target has labels: the probe needs reference labels (--label-column for the reference).');
  }

  // Label shift: unseen target classes and label proportions, whenever both sides are labelled.
  const labelShift =
    reference.labels && target.labels
      ? compareLabelDistributions(reference.labels, target.labels, labelMap, rng.fork('label-shift'))
      : null;
  // Fine-tuning versus probe on one reference split (--finetune; src/finetune).
  const finetune = options.finetune
    ? await time('finetuneMs', () =>
        compareFinetune({
          reference,
          target,
          embedded,
          labelMap,
          cacheDir: options.artifactsDir ?? options.cacheDir,
          seed: options.seed,
          rng: rng.fork('finetune'),
          progress,
          warnings,
        }),
      )
    : null;
  const verdict = decideVerdict({
    tests: suite.tests,
    suite: suite.decision,
    probe,
    thresholds: options.verdictThresholds,
    labelShift,
    finetune,
    // Independent units: rows, or whole groups with --group-column (what the group-aware tests permute).
    sampleSizes: independentUnits(
      rowGroupsFromIds(reference.groups, target.groups, referenceVectors.rows, targetVectors.rows),
      referenceVectors.rows,
      targetVectors.rows,
    ),
  });
  const length = reference.texts && target.texts ? compareLengths(reference.texts, target.texts) : null;

  const result: ShiftlensResult = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'shiftlens', version: TOOL_VERSION },
    createdAt: new Date().toISOString(),
    seed: options.seed,
    reference: summarise(reference, embedded.reference),
    target: summarise(target, embedded.target),
    model: {
      id: info.id,
      backend: info.backend,
      dim: info.dim,
      pooling: info.pooling,
      normalize: info.normalize,
      maxTokens: info.maxTokens,
      description: info.description,
    },
    pca: {
      fittedOn: 'pooled',
      nComponents,
      explainedVarianceRatio: Array.from(pca.explainedVarianceRatio).slice(0, nComponents),
      components: densities.map((d, c) => ({
        index: c,
        explainedVarianceRatio: pca.explainedVarianceRatio[c],
        overlap: clamp01(d.overlap),
        jsDivergence: clamp01(d.jsDivergence),
        bandwidth: { rule: d.bandwidthRule, reference: d.bandwidthA, target: d.bandwidthB },
        meanReference: mean(columnOf(referenceProjection, c)),
        meanTarget: mean(columnOf(targetProjection, c)),
      })),
    },
    centroid,
    length,
    tests: suite.tests,
    suite: suite.decision,
    samples: { top, allScoresFile: combinedScore ? 'target-scores.csv' : null },
    wordShift: words,
    probe,
    labelShift,
    ...(finetune ? { finetune } : {}),
    verdict,
    timings,
    warnings,
  };
  return {
    // p-values in (0, 1]: a tail probability that underflowed is reported at the documented floor.
    result: withPValueFloor(result),
    raw: {
      referenceTexts: reference.texts,
      targetTexts: target.texts,
      referenceProjection,
      targetProjection,
      densities,
      referenceProbability,
      targetProbability,
      sampleScores,
      combinedScore,
      targetOrigins: target.origins,
      referenceIds: reference.ids ?? null,
      targetIds: target.ids ?? null,
      referenceLabels: reference.labels,
      targetLabels: target.labels,
    },
  };
}

/**
 * The probe against the bundle's fitted reference probe when it was fitted with this label map (the same numbers
 * as fitting it now: same rows, same streams), else fitted now on the bundle's reference rows.
 */
function probeAgainstReference(bundle: ReferenceBundle, input: ProbeInput) {
  const fitted = bundle.probe;
  const asked = input.options?.maxFitRows;
  if (
    fitted &&
    JSON.stringify(sortedEntries(fitted.labelMap)) === JSON.stringify(sortedEntries(input.labelMap)) &&
    (asked === undefined || asked === fittedMaxFitRows(fitted))
  ) {
    // The target side with the cap the bundle's probe was fitted with.
    return probeTarget(fitted, { ...input, options: { ...input.options, maxFitRows: fittedMaxFitRows(fitted) } });
  }
  return runProbe(input);
}

function sortedEntries(map: Record<string, string> | null): [string, string][] | null {
  return map ? Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null;
}

async function scoreSamples(
  reference: Matrix,
  target: Matrix,
  tests: TwoSampleTestResult[],
  targetProbability: Float64Array | null,
  rng: Rng,
  warnings: string[],
): Promise<SampleShiftScores> {
  const referenceMax = Math.max(
    SCORE_REFERENCE_MIN,
    Math.min(SCORE_REFERENCE_MAX, Math.floor(SCORE_PAIR_BUDGET / target.rows)),
  );
  const ref = sampleRows(reference, referenceMax, rng);
  if (ref !== reference) {
    warnings.push(
      `Per-sample kNN scores compare each target sample with a seeded subsample of ${ref.rows} of the ${reference.rows} reference samples.`,
    );
  }
  const knn = await knnConformalScores(ref, target);
  const scores: SampleShiftScores = { knnDistance: knn.distance, knnPValue: knn.pValue };
  if (targetProbability) scores.classifierProbability = targetProbability;
  const sigma = tests.find((t) => t.name === 'mmd')?.details.bandwidth;
  if (typeof sigma === 'number' && sigma > 0 && target.rows <= SCORE_REFERENCE_MAX) {
    scores.mmdWitness = await mmdWitness(ref, target, sigma);
  }
  return scores;
}

function summarise(d: Dataset, e: Pick<EmbeddingResult, 'nTruncated' | 'oovRate'>): DatasetSummaryJson {
  return {
    source: d.source,
    n: sampleCount(d),
    nRead: d.counts.nRead,
    nEmpty: d.counts.nEmpty,
    nDuplicate: d.counts.nDuplicate,
    nSampledOut: d.counts.nSampledOut,
    nTruncated: e.nTruncated,
    skipped: d.counts.skipped,
    meanWords: d.texts ? mean(d.texts.map(wordCount)) : null,
    labels: d.labels ? classCounts(d.labels) : null,
    oovRate: e.oovRate,
  };
}

/** Rows per side, or distinct groups per side when rows are grouped (a row without a group is its own). */
function independentUnits(
  groups: ReturnType<typeof rowGroupsFromIds>,
  nReference: number,
  nTarget: number,
): { reference: number; target: number; unit: 'samples' | 'groups' } {
  if (!groups) return { reference: nReference, target: nTarget, unit: 'samples' };
  return {
    reference: new Set(Array.from(groups.reference)).size,
    target: new Set(Array.from(groups.target)).size,
    unit: 'groups',
  };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
