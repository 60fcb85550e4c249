/**
 * Power on real shifts: how often each test (and the Holm-combined suite) detects a shift between two
 * SpamAssassin groups at growing sample sizes — also with length-matched samples, since hard ham is much longer
 * than easy ham and part of that shift is length alone.
 */
import { selectRows } from '../src/core/matrix.js';
import { createRng, type Rng } from '../src/core/random.js';
import { silentProgress } from '../src/core/progress.js';
import { runTestSuite } from '../src/pipeline/testSuite.js';
import { DEFAULT_TESTS } from '../src/pipeline/compareOptions.js';
import { embedCorpus, type EmbeddedCorpus } from './shared/corpus.js';

const ALPHA = 0.05;
const PAIRS: [string, string][] = [
  ['spam-assassin:easy-ham-1', 'spam-assassin:spam-2'],
  ['spam-assassin:easy-ham-1', 'spam-assassin:hard-ham-1'],
  ['spam-assassin:easy-ham-1', 'spam-assassin:easy-ham-2'],
];

export async function runBench(options: { quick: boolean }): Promise<string> {
  const sizes = options.quick ? [10, 50, 200] : [10, 20, 50, 100, 200, 500, 1000];
  const cache = new Map<string, EmbeddedCorpus>();
  const get = async (spec: string) => cache.get(spec) ?? cache.set(spec, await embedCorpus(spec)).get(spec)!;
  const lines = [
    '## Power on real shifts (SpamAssassin)',
    '',
    `Share of repetitions in which each test rejects at α = ${ALPHA} (suite: Holm over all tests), wordvec:sg100d, ` +
      `199 permutations; n per side, capped by the smaller group. "length-matched": target samples drawn to match the reference's word-count distribution (decile strata).`,
    '',
  ];
  for (const [refSpec, tgtSpec] of PAIRS) {
    const ref = await get(refSpec);
    const tgt = await get(tgtSpec);
    for (const matched of [false, true]) {
      lines.push(`### ${refSpec.split(':')[1]} vs ${tgtSpec.split(':')[1]}${matched ? ' (length-matched)' : ''}`, '');
      lines.push(
        `| n | reps | ${DEFAULT_TESTS.join(' | ')} | suite |`,
        `|---|---|${DEFAULT_TESTS.map(() => '---').join('|')}|---|`,
      );
      for (const n of sizes) {
        const maxN = Math.min(ref.vectors.rows, tgt.vectors.rows);
        if (n > maxN / (matched ? 2 : 1)) continue;
        const reps = options.quick ? 10 : n <= 100 ? 25 : 10;
        const rng = createRng(`power:${refSpec}:${tgtSpec}:${n}:${matched}`);
        const hits = new Map<string, number>(DEFAULT_TESTS.map((t) => [t, 0]));
        let suiteHits = 0;
        for (let r = 0; r < reps; r++) {
          const refIdx = rng.sample(ref.vectors.rows, n);
          const tgtIdx = matched ? lengthMatchedSample(ref, refIdx, tgt, rng) : rng.sample(tgt.vectors.rows, n);
          const suite = await runTestSuite(
            selectRows(ref.vectors, refIdx),
            selectRows(tgt.vectors, tgtIdx),
            { tests: DEFAULT_TESTS, permutations: 199, alpha: ALPHA, correction: 'holm', minEffect: null },
            rng.fork(`rep-${r}`),
            silentProgress,
          );
          for (const t of suite.tests)
            if (t.pValue !== null && t.pValue <= ALPHA) hits.set(t.name, (hits.get(t.name) ?? 0) + 1);
          if (suite.decision.shiftDetected) suiteHits++;
        }
        lines.push(
          `| ${n} | ${reps} | ${DEFAULT_TESTS.map((t) => ((hits.get(t) ?? 0) / reps).toFixed(2)).join(' | ')} | ${(suiteHits / reps).toFixed(2)} |`,
        );
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}

/** Target indices whose word counts follow the reference sample's word-count deciles. */
function lengthMatchedSample(ref: EmbeddedCorpus, refIdx: Uint32Array, tgt: EmbeddedCorpus, rng: Rng): Uint32Array {
  const refWords = Array.from(refIdx, (i) => ref.words[i]).sort((a, b) => a - b);
  const edges = Array.from({ length: 9 }, (_, k) => refWords[Math.floor(((k + 1) * refWords.length) / 10)]);
  const stratum = (w: number) => edges.filter((e) => w > e).length;
  const pools: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < tgt.words.length; i++) pools[stratum(tgt.words[i])].push(i);
  const wanted = new Array<number>(10).fill(0);
  for (const w of refWords) wanted[stratum(w)]++;
  const out: number[] = [];
  for (let s = 0; s < 10; s++) {
    const pool = pools[s];
    for (let k = 0; k < wanted[s]; k++) out.push(pool.length ? pool[rng.int(pool.length)] : rng.int(tgt.words.length));
  }
  return Uint32Array.from(out);
}
