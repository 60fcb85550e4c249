/**
 * The exact MMD and energy tests past the in-memory kernel's old 15,000-row cap, on real embeddings
 * (wordvec:sg100d): every cached corpus pooled — SOTU 1790–2021 passages (11,935; grouped by address), UCI
 * sentences (3,000), SpamAssassin easy-ham-1, easy-ham-2, hard-ham-1 and spam-2 (5,542): 20,477 rows.
 *  - a random half/half split of the pooled rows (a null) is not rejected by either test;
 *  - SOTU against everything else (a real shift) gets the smallest possible p-value from both;
 *  - the suite on a whole-group random split (addresses kept whole, every other row its own group) runs the exact
 *    MMD with shared group labellings past the cap (Westfall–Young joint family), and does not reject.
 * One seeded draw each (reproducible); a null draw fails with probability ≤ 0.01 by construction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { concatRows, selectRows, type Matrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { runTestSuite } from '../../src/pipeline/testSuite.js';
import type { TwoSampleDetector } from '../../src/twosample/detector.js';
import { energyDetector } from '../../src/twosample/energy.js';
import { POOLED_MATRIX_MAX_ROWS } from '../../src/twosample/kernels/pooledMatrix.js';
import { mmdDetector } from '../../src/twosample/mmd.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';
import { loadSotuAddresses } from './groupedHelpers.js';

const SOTU = ['1790-1860', '1861-1945', '1946-1989', '1990-2021'];
const OTHERS = [
  'uci-sentiment:amazon+imdb+yelp',
  'spam-assassin:easy-ham-1',
  'spam-assassin:easy-ham-2',
  'spam-assassin:hard-ham-1',
  'spam-assassin:spam-2',
];
const P = 99;

function stack(parts: Matrix[]): Matrix {
  return parts.reduce((a, b) => concatRows(a, b));
}

describe(`exact MMD and energy past ${POOLED_MATRIX_MAX_ROWS} pooled rows on real embeddings`, () => {
  let sotu: Matrix;
  let others: Matrix;
  /** Group id of every SOTU row (its address); others get one group each after them. */
  let sotuGroups: number[];

  beforeAll(async () => {
    const parts = [];
    sotuGroups = [];
    let next = 0;
    for (const range of SOTU) {
      const corpus = await loadSotuAddresses(range);
      const ids = new Array<number>(corpus.vectors.rows);
      for (const rows of corpus.addresses) {
        for (const r of rows) ids[r] = next;
        next++;
      }
      sotuGroups.push(...ids);
      parts.push(corpus.vectors);
    }
    sotu = stack(parts);
    others = stack(await Promise.all(OTHERS.map((spec) => loadRealEmbeddings(spec))));
    expect(sotu.rows + others.rows).toBeGreaterThan(20_000);
  }, 0);

  const run = (detector: TwoSampleDetector, reference: Matrix, target: Matrix, seed: string) =>
    detector.run({ reference, target, rng: createRng(seed), progress: silentProgress }, { permutations: P });

  it('a random half/half split of the pooled rows is not rejected (mmd, energy)', async () => {
    const all = concatRows(sotu, others);
    const order = createRng('past-cap-null').shuffle(Array.from({ length: all.rows }, (_, i) => i));
    const half = Math.floor(all.rows / 2);
    const reference = selectRows(all, order.slice(0, half));
    const target = selectRows(all, order.slice(half));
    for (const detector of [mmdDetector, energyDetector]) {
      const r = await run(detector, reference, target, 'past-cap-null-test');
      expect(r.details.nReference as number).toBeGreaterThan(POOLED_MATRIX_MAX_ROWS / 2);
      expect(r.pValue as number).toBeGreaterThan(0.01);
    }
  });

  it('SOTU passages against mails and reviews: the smallest possible p-value (mmd, energy)', async () => {
    for (const detector of [mmdDetector, energyDetector]) {
      const r = await run(detector, sotu, others, 'past-cap-shift');
      expect(r.pValue).toBe(1 / (P + 1));
      expect(r.effectSize).toBeGreaterThan(0.1);
    }
  });

  it('the suite past the cap: exact MMD on shared whole-group labellings, a group-level null not rejected', async () => {
    const groups = [...sotuGroups, ...Array.from({ length: others.rows }, (_, i) => 100_000 + i)];
    const all = concatRows(sotu, others);
    const ids = [...new Set(groups)];
    const picked = createRng('past-cap-groups').sample(ids.length, Math.floor(ids.length / 2));
    const onReference = new Set(Array.from(picked, (k) => ids[k]));
    const refRows: number[] = [];
    const tgtRows: number[] = [];
    groups.forEach((g, i) => (onReference.has(g) ? refRows : tgtRows).push(i));
    const reference = selectRows(all, refRows);
    const target = selectRows(all, tgtRows);
    expect(reference.rows + target.rows).toBeGreaterThan(POOLED_MATRIX_MAX_ROWS);
    const suite = await runTestSuite(
      reference,
      target,
      {
        tests: ['mmd', 'ks-pca'],
        permutations: P,
        alpha: 0.05,
        correction: 'holm',
        minEffect: null,
        groups: { reference: refRows.map((i) => groups[i]), target: tgtRows.map((i) => groups[i]) },
      },
      createRng('past-cap-suite'),
      silentProgress,
    );
    const mmd = suite.tests.find((t) => t.name === 'mmd');
    expect(mmd?.method).toMatch(/permutations of whole groups/);
    expect([...suite.jointNulls.keys()].sort()).toEqual(['ks-pca', 'mmd']);
    expect(suite.decision.shiftDetected).toBe(false);
  });
});
