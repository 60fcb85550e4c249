/**
 * One trial of the detection grid (bench/detectionGrid.ts): draw a reference and a target sample of n rows for a
 * scenario, run the shiftlens suite (every default test and the combined decision) and the anchors' default rules
 * on the same two embedding matrices, and say which of them flagged a shift. Every trial has its own seeded stream
 * (scenario, n, trial index), so a cell's outcome does not depend on how the grid's trials are split over workers.
 */
import { selectRows, type Matrix } from '../../src/core/matrix.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { silentProgress } from '../../src/core/progress.js';
import { DEFAULT_TESTS } from '../../src/pipeline/compareOptions.js';
import { runTestSuite, type SuiteOptions } from '../../src/pipeline/testSuite.js';
import { ANCHOR_RULES, anchorInput } from '../anchors/index.js';

export const GRID_ALPHA = 0.05;
export const GRID_PERMUTATIONS = 199;
export const COMBINED = 'combined';

/**
 * null: a random split of the texts of one source (no shift). grouped-null: 2n rows drawn from the whole source,
 * then the source's documents (its groups, e.g. SOTU addresses) split at random into two halves, each side the
 * drawn rows of its half (about n each): rows differ by document, the halves do not differ in distribution, and
 * the split is exchangeable at the document level (every document's rows are drawn at one rate, whichever half it
 * lands in), which whole-document permutations need to be exact. Drawing exactly n rows from each half instead
 * samples the two halves at different rates (n / rows of the half), so a document's row count tells its side: only
 * approximately exchangeable (measured at n = 1000, group-aware Fréchet 0.076 ± 0.026 of 105 splits on SOTU
 * 1790–1860 that way, 0.050 ± 0.022 of 100 with rows drawn first; bench/verdictCalibration.ts, docs/BENCHMARKS.md).
 * shift: n rows from each of two sources.
 */
export type Scenario =
  | { kind: 'null'; id: string; title: string; source: string }
  | { kind: 'grouped-null'; id: string; title: string; source: string }
  | { kind: 'shift'; id: string; title: string; reference: string; target: string };

export interface GridCorpus {
  spec: string;
  vectors: Matrix;
  /** Document (0..G−1) of every row, for sources with documents (SOTU: the address); null otherwise. */
  groups: Int32Array | null;
}

export function scenarioSources(s: Scenario): string[] {
  return s.kind === 'shift' ? [s.reference, s.target] : [s.source];
}

/** Largest n per side the scenario can draw without reusing a row within a trial. */
export function maxPerSide(s: Scenario, corpora: Map<string, GridCorpus>): number {
  if (s.kind === 'shift')
    return Math.min(corpusOf(corpora, s.reference).vectors.rows, corpusOf(corpora, s.target).vectors.rows);
  const rows = corpusOf(corpora, s.source).vectors.rows;
  // A grouped null draws 2n rows of the source and each side gets about half of them; the margin keeps the grid's sizes.
  return s.kind === 'null' ? Math.floor(rows / 2) : Math.floor(rows * 0.4);
}

export interface TrialResult {
  /** Method name → shift flagged. Tests: raw p ≤ α; combined: the suite's decision; anchors: their own flag. */
  flags: Map<string, boolean>;
}

export interface TrialOptions {
  anchors: boolean;
}

/**
 * The suite options of the group-aware run on grouped nulls (rows = passages, group = document): the suite's
 * `groups` (permutations move whole documents, classifier folds and bootstraps keep them whole).
 */
export function groupAwareOptions(reference: Int32Array, target: Int32Array): Partial<SuiteOptions> | null {
  return { groups: { reference, target } };
}

export async function runTrial(
  scenario: Scenario,
  corpora: Map<string, GridCorpus>,
  n: number,
  trial: number,
  options: TrialOptions,
): Promise<TrialResult> {
  const rng = createRng(`detection-grid:${scenario.id}:${n}:${trial}`);
  const sample = drawSample(scenario, corpora, n, rng.fork('sample'));
  const flags = new Map<string, boolean>();
  const base: SuiteOptions = {
    tests: DEFAULT_TESTS,
    permutations: GRID_PERMUTATIONS,
    alpha: GRID_ALPHA,
    correction: 'holm',
    minEffect: null,
    // The clustering check only adds a warning (it never changes a decision), and sampled rows are in random
    // order anyway: skipped to spend the grid's time on trials.
    checkClustering: false,
  };
  const suite = await runTestSuite(sample.reference, sample.target, base, rng.fork('suite'), silentProgress);
  for (const t of suite.tests) flags.set(t.name, t.pValue !== null && t.pValue <= GRID_ALPHA);
  flags.set(COMBINED, suite.decision.shiftDetected);

  const groupAware =
    scenario.kind === 'grouped-null' && sample.referenceGroups && sample.targetGroups
      ? groupAwareOptions(sample.referenceGroups, sample.targetGroups)
      : null;
  if (groupAware) {
    const grouped = await runTestSuite(
      sample.reference,
      sample.target,
      { ...base, ...groupAware },
      rng.fork('suite-grouped'),
      silentProgress,
    );
    for (const t of grouped.tests) flags.set(groupedName(t.name), t.pValue !== null && t.pValue <= GRID_ALPHA);
    flags.set(groupedName(COMBINED), grouped.decision.shiftDetected);
  }

  if (options.anchors) {
    const input = anchorInput(sample.reference, sample.target);
    for (const rule of ANCHOR_RULES) flags.set(rule.name, (await rule.detect(input, rng.fork(rule.name))).drift);
  }
  return { flags };
}

export function groupedName(name: string): string {
  return `${name} (grouped)`;
}

interface Sample {
  reference: Matrix;
  target: Matrix;
  referenceGroups: Int32Array | null;
  targetGroups: Int32Array | null;
}

function drawSample(scenario: Scenario, corpora: Map<string, GridCorpus>, n: number, rng: Rng): Sample {
  if (scenario.kind === 'shift') {
    const ref = corpusOf(corpora, scenario.reference);
    const tgt = corpusOf(corpora, scenario.target);
    return {
      reference: selectRows(ref.vectors, rng.sample(ref.vectors.rows, n)),
      target: selectRows(tgt.vectors, rng.sample(tgt.vectors.rows, n)),
      referenceGroups: null,
      targetGroups: null,
    };
  }
  const corpus = corpusOf(corpora, scenario.source);
  if (scenario.kind === 'null') {
    const idx = rng.sample(corpus.vectors.rows, 2 * n);
    return {
      reference: selectRows(corpus.vectors, idx.subarray(0, n)),
      target: selectRows(corpus.vectors, idx.subarray(n)),
      referenceGroups: corpus.groups ? pick(corpus.groups, idx.subarray(0, n)) : null,
      targetGroups: corpus.groups ? pick(corpus.groups, idx.subarray(n)) : null,
    };
  }
  const groups = corpus.groups;
  if (!groups) throw new Error(`${scenario.source}: a grouped null needs documents (groups)`);
  const nGroups = Math.max(...groups) + 1;
  // Rows first, at one rate for every document; then a random half of the documents is the reference.
  const rows = rng.sample(groups.length, 2 * n);
  const order = rng.permutation(nGroups);
  const firstHalf = new Uint8Array(nGroups);
  for (let k = 0; k < nGroups >> 1; k++) firstHalf[order[k]] = 1;
  const a: number[] = [];
  const b: number[] = [];
  for (const r of rows) (firstHalf[groups[r]] ? a : b).push(r);
  if (a.length < 2 || b.length < 2)
    throw new Error(`${scenario.source}: a split of its documents left ${a.length} / ${b.length} rows`);
  const refIdx = Uint32Array.from(a);
  const tgtIdx = Uint32Array.from(b);
  return {
    reference: selectRows(corpus.vectors, refIdx),
    target: selectRows(corpus.vectors, tgtIdx),
    referenceGroups: pick(groups, refIdx),
    targetGroups: pick(groups, tgtIdx),
  };
}

function pick(values: Int32Array, idx: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: idx.length }, (_, k) => values[idx[k]]);
}

function corpusOf(corpora: Map<string, GridCorpus>, spec: string): GridCorpus {
  const c = corpora.get(spec);
  if (!c) throw new Error(`detection grid: corpus ${spec} not loaded`);
  return c;
}
