/**
 * False-positive rates under the null on real data: random splits of individual texts of one source (a no-shift
 * control: texts drawn at random from one source are exchangeable), every test and the Holm-combined suite, at α = 0.05.
 */
import { selectRows } from '../src/core/matrix.js';
import { createRng } from '../src/core/random.js';
import { silentProgress } from '../src/core/progress.js';
import { runTestSuite } from '../src/pipeline/testSuite.js';
import { DEFAULT_TESTS } from '../src/pipeline/compareOptions.js';
import { embedCorpus } from './shared/corpus.js';

const ALPHA = 0.05;

export async function runBench(options: { quick: boolean }): Promise<string> {
  const sources = options.quick
    ? ['spam-assassin:easy-ham-1']
    : ['spam-assassin:easy-ham-1', 'uci-sentiment:yelp', 'sotu:1790-2021'];
  const splits = options.quick ? 100 : 300;
  const n = 100;
  const lines = [
    '## Calibration under the null (random splits of one source)',
    '',
    `${splits} random splits per source, n = ${n} per side, α = ${ALPHA}, wordvec:sg100d embeddings, 199 permutations. ` +
      `A calibrated test rejects in about 5% of splits (binomial standard error ${(100 * Math.sqrt((ALPHA * (1 - ALPHA)) / splits)).toFixed(1)} points).`,
    '',
  ];
  for (const spec of sources) {
    const corpus = await embedCorpus(spec);
    const rng = createRng(`calibration:${spec}`);
    const rejections = new Map<string, number>();
    let suiteRejections = 0;
    for (let s = 0; s < splits; s++) {
      const idx = rng.sample(corpus.vectors.rows, 2 * n);
      const suite = await runTestSuite(
        selectRows(corpus.vectors, idx.subarray(0, n)),
        selectRows(corpus.vectors, idx.subarray(n)),
        { tests: DEFAULT_TESTS, permutations: 199, alpha: ALPHA, correction: 'holm', minEffect: null },
        rng.fork(`split-${s}`),
        silentProgress,
      );
      for (const t of suite.tests) {
        if (t.pValue !== null && t.pValue <= ALPHA) rejections.set(t.name, (rejections.get(t.name) ?? 0) + 1);
        if (!rejections.has(t.name)) rejections.set(t.name, 0);
      }
      if (suite.decision.shiftDetected) suiteRejections++;
    }
    lines.push(`### ${spec} (${corpus.vectors.rows} texts)`, '', '| test | false-positive rate |', '|---|---|');
    for (const [name, count] of rejections) lines.push(`| ${name} | ${(count / splits).toFixed(3)} |`);
    lines.push(`| **suite (Holm)** | **${(suiteRejections / splits).toFixed(3)}** |`, '');
  }
  return lines.join('\n');
}
