/**
 * SOTU passages with their address as group, for grouped-null (document-level) splits, and the grouped-null
 * experiment test/stats/groupedCalibration.test.ts and groupedLargeN.test.ts share (runGroupedNull).
 */
import { selectRows, type Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng, type Rng } from '../../src/core/random.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import type { TestName } from '../../src/pipeline/compareOptions.js';
import { runTestSuite, type SuiteOptions, type SuiteOutcome } from '../../src/pipeline/testSuite.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

export interface GroupedCorpus {
  vectors: Matrix;
  /** Row indices of every address. */
  addresses: number[][];
}

export async function loadSotuAddresses(range: string): Promise<GroupedCorpus> {
  const spec = `sotu:${range}`;
  const vectors = await loadRealEmbeddings(spec);
  const dataset = await loadDataset(spec, { seed: 0, groupColumn: 'address' });
  const groups = dataset.groups as string[];
  if (groups.length !== vectors.rows) throw new Error(`${spec}: ${groups.length} groups for ${vectors.rows} rows`);
  const byAddress = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = byAddress.get(g);
    if (list) list.push(i);
    else byAddress.set(g, [i]);
  });
  return { vectors, addresses: [...byAddress.values()] };
}

/**
 * A document-level null split: `perSide` random addresses on each side, at most `passages` random passages of
 * each; returns both sides and their group ids (address number).
 */
export function addressSplit(
  corpus: GroupedCorpus,
  perSide: number,
  passages: number,
  rng: Rng,
): { reference: Matrix; target: Matrix; groups: { reference: number[]; target: number[] } } {
  const chosen = rng.sample(corpus.addresses.length, 2 * perSide);
  const side = (from: number) => {
    const rows: number[] = [];
    const ids: number[] = [];
    for (let k = from; k < from + perSide; k++) {
      const list = corpus.addresses[chosen[k]];
      const pick = rng.sample(list.length, Math.min(passages, list.length));
      for (const p of Array.from(pick).sort((a, b) => a - b)) {
        rows.push(list[p]);
        ids.push(chosen[k]);
      }
    }
    return { matrix: selectRows(corpus.vectors, rows), ids };
  };
  const a = side(0);
  const b = side(perSide);
  return { reference: a.matrix, target: b.matrix, groups: { reference: a.ids, target: b.ids } };
}

export interface GroupedNullOptions {
  /** SOTU years, e.g. '1790-1860'. */
  range: string;
  perSide: number;
  passages: number;
  splits: number;
  /** createRng label; split s draws from fork `split-s`, its grouped suite from `g-s`, its row-level MMD from `r-s`. */
  seed: string;
  tests: TestName[];
  permutations: number;
  alpha: number;
  /** Row-level MMD (no groups) on every k-th split (0: never). */
  rowLevelEvery: number;
  /** Extra suite options of the grouped run (e.g. an exact-test budget). */
  suite?: Partial<SuiteOptions>;
  /** Called after each split with its grouped outcome (for tests that look at more than the p-values). */
  onSplit?: (split: AddressSplit, outcome: SuiteOutcome, s: number) => Promise<void> | void;
}

export interface GroupedNullRun {
  splits: number;
  /** p-value of every grouped test, in split order. */
  pValues: Map<string, number[]>;
  /** Splits where the grouped suite's combined decision rejected. */
  combined: number;
  /** Row-level MMD runs and rejections at α. */
  rowLevel: { runs: number; rejected: number };
}

export type AddressSplit = ReturnType<typeof addressSplit>;

/**
 * The grouped-null experiment both stats tests run: `splits` seeded address-level splits of one SOTU range, the
 * suite with the address as group on each (Holm outside the joint Westfall–Young family), and the row-level MMD on
 * every `rowLevelEvery`-th split to show the splits really cluster.
 */
export async function runGroupedNull(o: GroupedNullOptions): Promise<GroupedNullRun> {
  const corpus = await loadSotuAddresses(o.range);
  const rng = createRng(o.seed);
  const pValues = new Map<string, number[]>(o.tests.map((t) => [t, []]));
  const run: GroupedNullRun = { splits: o.splits, pValues, combined: 0, rowLevel: { runs: 0, rejected: 0 } };
  const options = {
    tests: o.tests,
    permutations: o.permutations,
    alpha: o.alpha,
    correction: 'holm' as const,
    minEffect: null,
  };
  for (let s = 0; s < o.splits; s++) {
    const split = addressSplit(corpus, o.perSide, o.passages, rng.fork(`split-${s}`));
    const suite = await runTestSuite(
      split.reference,
      split.target,
      { ...options, ...o.suite, groups: split.groups },
      rng.fork(`g-${s}`),
      silentProgress,
    );
    for (const t of suite.tests) pValues.get(t.name)?.push(t.pValue ?? Number.NaN);
    if (suite.decision.shiftDetected) run.combined++;
    await o.onSplit?.(split, suite, s);
    if (o.rowLevelEvery > 0 && s % o.rowLevelEvery === 0) {
      const row = await runTestSuite(
        split.reference,
        split.target,
        { ...options, tests: ['mmd'], checkClustering: false },
        rng.fork(`r-${s}`),
        silentProgress,
      );
      run.rowLevel.runs++;
      if ((row.tests[0].pValue as number) <= o.alpha) run.rowLevel.rejected++;
    }
  }
  return run;
}

/** Share of the p-values at or below a. */
export function shareAtOrBelow(pValues: readonly number[], a: number): number {
  return pValues.filter((p) => p <= a).length / pValues.length;
}

/** Binomial standard error of a rejection rate p over n independent splits. */
export function binomialSe(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}
