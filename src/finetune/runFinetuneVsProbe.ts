/**
 * Fine-tuning versus linear probe (Vargas et al., arXiv 2310.13836, second half; Kumar et al., ICLR 2022): on
 * one stratified reference split (train / validation / test) and one seed, fit
 *   1. the linear probe on frozen embeddings,
 *   2. an MLP head on frozen embeddings,
 *   3. a fine-tuned representation (the backend's Finetuner: word vectors, or a transformer's top layers),
 * choose every hyper-parameter and early-stopping epoch on the reference validation split only, then score the
 * reference test rows and the labelled target rows. For each: accuracies with percentile bootstrap intervals,
 * the gap (reference − target, both sides resampled independently), the difference to the probe (paired
 * bootstrap over the same rows), training time, and how the representation moved: linear CKA against the
 * frozen embeddings and reference-vs-target separability (domain-classifier AUC, MMD) before and after, on the
 * held-out reference rows (validation + test, never trained on) against the target rows.
 */
import { InputError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { Progress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import { bootstrapInterval } from '../probe/bootstrap.js';
import { meanOf } from '../probe/kFoldProbe.js';
import { mapLabel, sortedClasses } from '../probe/labels.js';
import type { Interval } from '../probe/probeTypes.js';
import { linearCka } from './cka.js';
import type {
  FinetuneComparison,
  FinetuneMethodId,
  FinetuneMethodResult,
  LexiconLabelReport,
} from './finetuneTypes.js';
import { fitLinearProbe, fitMlpHead, selectMatrixRows, type MlpOptions } from './frozenHeads.js';
import type { FittedMethod, Finetuner, Side, TrainingData } from './method.js';
import { separability } from './representation.js';
import { DEFAULT_SPLIT_SHARES, stratifiedSplit, type SplitShares } from './splits.js';

export interface FinetuneVsProbeOptions {
  shares: SplitShares;
  bootstrapReplicates: number;
  level: number;
  /** Most rows per side for the separability and CKA measures (seeded subsample above it). */
  maxRepresentationRows: number;
  mlp: Partial<MlpOptions>;
}

export const DEFAULT_FINETUNE_VS_PROBE: FinetuneVsProbeOptions = {
  shares: DEFAULT_SPLIT_SHARES,
  bootstrapReplicates: 1000,
  level: 0.95,
  maxRepresentationRows: 1000,
  mlp: {},
};

export interface FinetuneVsProbeInput {
  model: string;
  seed: number;
  reference: Matrix;
  referenceLabels: string[];
  target: Matrix;
  targetLabels: string[] | null;
  labelMap: Record<string, string> | null;
  /** null: no fine-tuning for this backend (precomputed vectors); said in the notes. */
  finetuner: Finetuner | null;
  lexiconLabels?: LexiconLabelReport;
  rng: Rng;
  progress: Progress;
  options?: Partial<FinetuneVsProbeOptions>;
}

const METHOD_ORDER: FinetuneMethodId[] = ['linearProbe', 'mlpHead', 'fineTune'];

export async function runFinetuneVsProbe(input: FinetuneVsProbeInput): Promise<FinetuneComparison> {
  const opts = { ...DEFAULT_FINETUNE_VS_PROBE, ...input.options };
  const notes: string[] = [];
  if (input.reference.cols !== input.target.cols) {
    throw new InputError(
      `reference embeddings have ${input.reference.cols} dimensions but target ${input.target.cols}; embed both with the same model`,
    );
  }
  if (input.referenceLabels.length !== input.reference.rows) {
    throw new InputError(`the reference has ${input.referenceLabels.length} labels for ${input.reference.rows} rows`);
  }
  const refMapped = input.referenceLabels.map((l) => mapLabel(l, input.labelMap));
  const classes = sortedClasses(refMapped.filter((l) => l !== ''));
  if (classes.length < 2) {
    throw new InputError(
      `the reference labels have ${classes.length} class${classes.length === 1 ? '' : 'es'}; comparing classifiers needs at least 2 (check --label-column)`,
    );
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const referenceLabels = Int32Array.from(refMapped, (l) => (l === '' ? -1 : (index.get(l) as number)));
  const labelledRows = [...referenceLabels.keys()].filter((i) => referenceLabels[i] >= 0);
  const nEmpty = input.reference.rows - labelledRows.length;
  if (nEmpty > 0) notes.push(`${nEmpty} reference rows have no label and are left out of training and scoring.`);
  const localSplit = stratifiedSplit(
    Int32Array.from(labelledRows, (r) => referenceLabels[r]),
    opts.shares,
    input.rng.fork('split'),
  );
  const split = {
    train: localSplit.train.map((i) => labelledRows[i]),
    validation: localSplit.validation.map((i) => labelledRows[i]),
    test: localSplit.test.map((i) => labelledRows[i]),
  };
  const data: TrainingData = { referenceLabels, nClasses: classes.length, split };

  // Target rows scored: those whose (mapped) label is a reference class.
  const targetRows: number[] = [];
  const targetTruth: number[] = [];
  let nUnseen = 0;
  let nUnlabelled = 0;
  if (input.targetLabels) {
    if (input.targetLabels.length !== input.target.rows) {
      throw new InputError(`the target has ${input.targetLabels.length} labels for ${input.target.rows} rows`);
    }
    input.targetLabels.forEach((raw, i) => {
      const l = mapLabel(raw, input.labelMap);
      if (l === '') nUnlabelled++;
      else if (index.has(l)) {
        targetRows.push(i);
        targetTruth.push(index.get(l) as number);
      } else nUnseen++;
    });
    if (nUnseen > 0) notes.push(`${nUnseen} labelled target rows have a class the reference lacks and are not scored.`);
  } else {
    nUnlabelled = input.target.rows;
    notes.push('The target has no labels: only reference accuracy and the representation measures are reported.');
  }
  if (input.targetLabels && targetRows.length === 0) {
    notes.push('No target row has a reference class: target accuracy cannot be measured.');
  }

  // Held-out reference rows and target rows for separability and CKA.
  const heldOut = [...split.validation, ...split.test].sort((a, b) => a - b);
  const repRng = input.rng.fork('representation-rows');
  const repReference = capRows(heldOut, opts.maxRepresentationRows, repRng.fork('reference'));
  const repTarget = capRows(range(input.target.rows), opts.maxRepresentationRows, repRng.fork('target'));
  const frozenRef = selectMatrixRows(input.reference, repReference);
  const frozenTgt = selectMatrixRows(input.target, repTarget);
  const before = await separability(frozenRef, frozenTgt, input.rng.fork('separability-before'));

  const frozen = { reference: input.reference, target: input.target };
  const fitted = new Map<FinetuneMethodId, FittedMethod>();
  fitted.set('linearProbe', await fitLinearProbe(frozen, data));
  fitted.set('mlpHead', await fitMlpHead(frozen, data, input.rng.fork('mlp'), input.progress, opts.mlp));
  if (input.finetuner) {
    fitted.set('fineTune', await input.finetuner.fit(data, input.rng.fork('fine-tune'), input.progress));
  } else {
    notes.push(
      'These embeddings were supplied precomputed: there is no model to fine-tune, so only the probe and the MLP head are compared.',
    );
  }

  const bootstrap = { replicates: opts.bootstrapReplicates, level: opts.level };
  const testTruth = Int32Array.from(split.test, (r) => referenceLabels[r]);
  const targetTruthArr = Int32Array.from(targetTruth);
  const correctness = new Map<FinetuneMethodId, { reference: Uint8Array; target: Uint8Array }>();
  const methods: FinetuneMethodResult[] = [];
  for (const id of METHOD_ORDER) {
    const method = fitted.get(id);
    if (!method) continue;
    const rng = input.rng.fork(`scores-${id}`);
    const refPred = await method.predict('reference', split.test);
    const tgtPred = await method.predict('target', targetRows);
    const reference = Uint8Array.from(testTruth, (t, i) => (t === refPred[i] ? 1 : 0));
    const target = Uint8Array.from(targetTruthArr, (t, i) => (t === tgtPred[i] ? 1 : 0));
    correctness.set(id, { reference, target });
    const probe = correctness.get('linearProbe');
    const hasTarget = target.length > 0;
    const after =
      id === 'linearProbe'
        ? before
        : await separability(
            await method.features('reference', repReference),
            await method.features('target', repTarget),
            input.rng.fork(`separability-${id}`),
          );
    const cka =
      id === 'linearProbe'
        ? 1
        : linearCka(
            concat(frozenRef, frozenTgt),
            concat(await method.features('reference', repReference), await method.features('target', repTarget)),
          );
    methods.push({
      method: id,
      description: method.description,
      hyperparameters: method.hyperparameters,
      search: method.search,
      referenceAccuracy: meanInterval(reference, rng.fork('reference'), bootstrap),
      targetAccuracy: hasTarget ? meanInterval(target, rng.fork('target'), bootstrap) : null,
      gap: hasTarget
        ? bootstrapInterval(
            [reference.length, target.length],
            ([r, t]) => meanOf(reference, r) - meanOf(target, t),
            rng.fork('gap'),
            bootstrap,
          )
        : null,
      versusProbe:
        id === 'linearProbe' || !probe
          ? null
          : {
              reference: pairedDifference(reference, probe.reference, rng.fork('vs-probe-reference'), bootstrap),
              target: hasTarget ? pairedDifference(target, probe.target, rng.fork('vs-probe-target'), bootstrap) : null,
            },
      training: method.training,
      representation: { features: method.featuresName, cka, before, after },
    });
  }

  const result: FinetuneComparison = {
    model: input.model,
    split: {
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
      seed: input.seed,
    },
    classes,
    target: { nScored: targetRows.length, nExcludedUnseenClass: nUnseen, nUnlabelled },
    representationRows: { reference: repReference.length, target: repTarget.length },
    methods,
    summary: summarize(methods),
    notes,
  };
  if (input.lexiconLabels) result.lexiconLabels = input.lexiconLabels;
  return result;
}

/**
 * One paragraph: the probe's accuracies, then each other method relative to the probe, e.g. "Fine-tuning: +4.3
 * points [−0.3, 8.7] on the reference (not distinguishable from 0), +4.6 points [1.8, 7.3] on the target".
 */
export function summarize(methods: FinetuneMethodResult[]): string {
  const parts: string[] = [];
  const probe = methods.find((m) => m.method === 'linearProbe');
  if (probe) {
    parts.push(
      `Linear probe: reference ${pct(probe.referenceAccuracy.estimate)}` +
        (probe.targetAccuracy ? `, target ${pct(probe.targetAccuracy.estimate)}` : '') +
        '.',
    );
  }
  for (const m of methods) {
    if (!m.versusProbe) continue;
    const name = m.method === 'fineTune' ? 'Fine-tuning' : 'MLP head';
    let sentence = `${name} relative to the probe: ${change(m.versusProbe.reference)} on the reference`;
    if (m.versusProbe.target) sentence += `, ${change(m.versusProbe.target)} on the target`;
    if (m.method === 'fineTune') {
      sentence += `; linear CKA between the tuned and the frozen embeddings ${m.representation.cka.toFixed(3)}`;
    }
    parts.push(`${sentence}.`);
  }
  return parts.join(' ');
}

function change(i: Interval): string {
  const points = (x: number) => `${x >= 0 ? '+' : '−'}${(100 * Math.abs(x)).toFixed(1)}`;
  const range = `[${(100 * i.lower).toFixed(1)}, ${(100 * i.upper).toFixed(1)}]`;
  const verdict = i.lower > 0 ? 'a gain' : i.upper < 0 ? 'a loss' : 'not distinguishable from 0';
  return `${points(i.estimate)} points ${range} (${verdict})`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function meanInterval(correct: Uint8Array, rng: Rng, bootstrap: { replicates: number; level: number }): Interval {
  return bootstrapInterval([correct.length], ([idx]) => meanOf(correct, idx), rng, bootstrap);
}

/** Accuracy of a minus accuracy of b on the same rows, resampling rows jointly. */
function pairedDifference(
  a: Uint8Array,
  b: Uint8Array,
  rng: Rng,
  bootstrap: { replicates: number; level: number },
): Interval {
  return bootstrapInterval([a.length], ([idx]) => meanOf(a, idx) - meanOf(b, idx), rng, bootstrap);
}

function capRows(rows: number[], max: number, rng: Rng): number[] {
  if (rows.length <= max) return rows;
  return Array.from(rng.sample(rows.length, max), (k) => rows[k]).sort((a, b) => a - b);
}

function concat(a: Matrix, b: Matrix): Matrix {
  const data = new Float32Array((a.rows + b.rows) * a.cols);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { rows: a.rows + b.rows, cols: a.cols, data };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export type { Side };
