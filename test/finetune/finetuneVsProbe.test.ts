/**
 * The whole comparison on real data (UCI sentences: Amazon reviews as reference, Yelp reviews as target, their
 * human labels; a seeded 500 per site), embedded with the offline word vectors; kept small (few epochs, 200
 * bootstrap replicates).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { createWordvecBackend } from '../../src/embed/wordvec/wordvecBackend.js';
import { loadSg100dTable } from '../../src/embed/wordvec/tableStore.js';
import type { WordTable } from '../../src/embed/wordvec/tableFormat.js';
import type { FinetuneComparison } from '../../src/finetune/finetuneTypes.js';
import { lexiconLabelReport } from '../../src/finetune/lexiconLabels.js';
import { runFinetuneVsProbe } from '../../src/finetune/runFinetuneVsProbe.js';
import { createWordvecFinetuner } from '../../src/finetune/wordvecFinetuner.js';
import type { Dataset } from '../../src/ingest/dataset.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import type { Matrix } from '../../src/core/matrix.js';
import { finetuneSection } from '../../src/report/html/sections/finetuneSection.js';
import type { ShiftlensResult } from '../../src/result/resultTypes.js';
import { testCacheDir } from '../helpers/repoPaths.js';

let table: WordTable;
let amazon: Dataset;
let yelp: Dataset;
let amazonVectors: Matrix;
let yelpVectors: Matrix;

beforeAll(async () => {
  table = await loadSg100dTable(path.join(testCacheDir, 'model-cache'));
  amazon = await loadDataset('uci-sentiment:amazon', { seed: 0, labelColumn: 'class', maxRows: 500 });
  yelp = await loadDataset('uci-sentiment:yelp', { seed: 0, labelColumn: 'class', maxRows: 500 });
  const backend = createWordvecBackend(table, { id: 'wordvec:sg100d', pooling: 'mean', normalize: false });
  amazonVectors = (await backend.embedBatch(amazon.texts as string[])).vectors;
  yelpVectors = (await backend.embedBatch(yelp.texts as string[])).vectors;
});

const ITERATIVE = { maxEpochs: 4, patience: 2, batchSize: 32 };

function run(seed: number, referenceLabels?: string[]): Promise<FinetuneComparison> {
  return runFinetuneVsProbe({
    model: 'wordvec:sg100d',
    seed,
    reference: amazonVectors,
    referenceLabels: referenceLabels ?? (amazon.labels as string[]),
    target: yelpVectors,
    targetLabels: yelp.labels,
    labelMap: amazon.defaultLabelMap ?? null,
    finetuner: createWordvecFinetuner(table, 'mean', amazon.texts as string[], yelp.texts as string[], {
      ...ITERATIVE,
      embeddingLearningRates: [1e-2],
    }),
    rng: createRng(seed).fork('finetune-vs-probe'),
    progress: silentProgress,
    options: {
      bootstrapReplicates: 200,
      maxRepresentationRows: 150,
      mlp: { ...ITERATIVE, hidden: 32, l2Grid: [1e-3] },
    },
  });
}

/** Everything but wall-clock times. */
function withoutTimes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => (/Ms$|^msPer/.test(key) ? undefined : v));
}

describe('finetune-vs-probe on UCI Amazon → Yelp (word vectors)', () => {
  let first: FinetuneComparison;
  beforeAll(async () => {
    first = await run(0);
  });

  it('scores the three methods on one split with intervals, and only fine-tuning moves the embedding', () => {
    expect(first.methods.map((m) => m.method)).toEqual(['linearProbe', 'mlpHead', 'fineTune']);
    expect(first.split.train + first.split.validation + first.split.test).toBe(500);
    expect(first.target.nScored).toBe(500);
    for (const m of first.methods) {
      // Sentiment from GloVe averages is well above chance on both sites (probe: ~78 % / ~75 %).
      expect(m.referenceAccuracy.estimate).toBeGreaterThan(0.6);
      expect(m.targetAccuracy?.estimate).toBeGreaterThan(0.6);
      const gap = m.gap as NonNullable<typeof m.gap>;
      expect(gap.lower).toBeLessThanOrEqual(gap.estimate);
      expect(gap.upper).toBeGreaterThanOrEqual(gap.estimate);
      expect(m.representation.before.domainAuc).toBeGreaterThan(0.8); // Amazon and Yelp are easy to tell apart
    }
    const [probe, mlp, tuned] = first.methods;
    expect(probe.representation.cka).toBe(1);
    expect(probe.versusProbe).toBeNull();
    expect(mlp.versusProbe?.target).not.toBeNull();
    expect(tuned.representation.cka).toBeLessThan(1);
    expect(tuned.representation.cka).toBeGreaterThan(0.5);
    expect(Number(tuned.hyperparameters.wordVectorChangeRms)).toBeGreaterThan(0);
    expect(first.summary).toMatch(
      /Fine-tuning relative to the probe: [+−]\d+\.\d points .* on the reference, .* on the target; linear CKA/,
    );
  });

  it('renders as a report section with one row per method', () => {
    const section = finetuneSection({ finetune: first } as ShiftlensResult);
    const text = String(section);
    for (const name of ['Linear probe (frozen)', 'MLP head (frozen)', 'Fine-tuned representation']) {
      expect(text).toContain(name);
    }
    expect(text.match(/<tr>/g)).toHaveLength(4);
    expect(finetuneSection({ finetune: null } as ShiftlensResult)).toBeNull();
  });

  it('gives identical results for the same seed and a different split for another', async () => {
    const again = await run(0);
    expect(withoutTimes(again)).toEqual(withoutTimes(first));
    const other = await run(1);
    expect(other.methods[0].referenceAccuracy.estimate).not.toBe(first.methods[0].referenceAccuracy.estimate);
  });

  it('trains on lexicon labels and says how often they agree with the human ones', async () => {
    const { labels, report } = lexiconLabelReport(
      amazon.texts as string[],
      amazon.labels,
      amazon.defaultLabelMap ?? null,
      createRng(0),
    );
    // AFINN abstains on sentences without a scored word; where it speaks it mostly agrees with the annotators.
    expect(report.nAbstained).toBeGreaterThan(50);
    expect(report.nLabelled + report.nAbstained).toBe(500);
    expect(report.agreementWithHuman?.estimate).toBeGreaterThan(0.75);
    expect(report.agreementWithHuman?.estimate).toBeLessThan(0.95);
    const result = await run(0, labels);
    expect(result.split.train + result.split.validation + result.split.test).toBe(report.nLabelled);
    expect(result.notes.join(' ')).toMatch(/have no label/);
  });
});
