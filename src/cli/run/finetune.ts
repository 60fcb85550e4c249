/** `shiftlens finetune-vs-probe` run (../commands/finetuneCommand.ts). */
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { createProgress } from '../../core/progress.js';
import { createRng } from '../../core/random.js';
import type { FinetuneComparison } from '../../finetune/finetuneTypes.js';
import { FINETUNE_FILE, type FinetuneCliFlags } from '../commands/finetuneCommand.js';
import { preflight } from '../preflight.js';
import { toInputOptions } from '../sharedFlags.js';

export async function executeFinetune(flags: FinetuneCliFlags): Promise<number> {
  const progress = createProgress({ quiet: flags.quiet });
  const input = toInputOptions(flags);
  const lexicon = flags.referenceLabels === 'lexicon';
  if (!lexicon && !input.reference.labelColumn) {
    throw new InputError(
      'finetune-vs-probe needs reference labels: give --label-column (or --reference-label-column), or --reference-labels lexicon',
    );
  }
  if (flags.normalize) {
    throw new InputError(
      'finetune-vs-probe does not take --normalize: the compared models see unnormalised embeddings',
    );
  }
  await preflight(flags, 'folder', [input.reference, input.target]);
  // The pipeline loads only once the options and folders passed (--help and bad options answer at once).
  const { createFinetuner } = await import('../../finetune/createFinetuner.js');
  const { finetuneComparisonSchema } = await import('../../finetune/finetuneSchema.js');
  const { lexiconLabelReport } = await import('../../finetune/lexiconLabels.js');
  const { runFinetuneVsProbe } = await import('../../finetune/runFinetuneVsProbe.js');
  const { loadAndEmbed } = await import('../../pipeline/prepareEmbeddings.js');
  const { findNonFinite } = await import('../../result/schema.js');
  const { writeOutputsAtomically } = await import('../../result/writeOutputs.js');
  const { reference, target, embedded } = await loadAndEmbed(input, progress);
  const labelMap = flags.labelMap ?? reference.defaultLabelMap ?? target.defaultLabelMap ?? null;
  let referenceLabels = reference.labels;
  let lexiconReport: FinetuneComparison['lexiconLabels'];
  if (lexicon) {
    if (!reference.texts) {
      throw new InputError('--reference-labels lexicon needs texts on the reference side, not precomputed vectors');
    }
    const labelled = lexiconLabelReport(
      reference.texts,
      reference.labels,
      labelMap,
      createRng(flags.seed).fork('lexicon'),
    );
    referenceLabels = labelled.labels;
    lexiconReport = labelled.report;
  }
  const finetuner = await createFinetuner({
    info: embedded.info,
    referenceTexts: reference.texts,
    targetTexts: target.texts,
    cacheDir: input.artifactsDir ?? input.cacheDir,
    iterative: { maxEpochs: flags.maxEpochs, patience: flags.patience, batchSize: flags.trainBatchSize },
    layers: flags.finetuneLayers,
    learningRates: flags.finetuneLr,
    progress,
  });
  const comparison = await runFinetuneVsProbe({
    model: embedded.info.id,
    seed: flags.seed,
    reference: embedded.referenceVectors,
    referenceLabels: referenceLabels as string[],
    target: embedded.targetVectors,
    targetLabels: target.labels,
    // Lexicon labels are already "positive"/"negative"; the map still renames the target's human labels.
    labelMap,
    finetuner,
    lexiconLabels: lexiconReport,
    rng: createRng(flags.seed).fork('finetune-vs-probe'),
    progress,
    options: { mlp: { maxEpochs: flags.maxEpochs, patience: flags.patience, batchSize: flags.trainBatchSize } },
  });
  const document = {
    model: embedded.info,
    seed: flags.seed,
    reference: flags.reference,
    target: flags.target,
    referenceLabels: lexicon ? 'lexicon' : 'column',
    finetune: comparison,
  };
  const bad = findNonFinite(document);
  if (bad) throw new Error(`internal error: non-finite number at ${bad} in ${FINETUNE_FILE}`);
  finetuneComparisonSchema.parse(comparison);
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const [written] = await writeOutputsAtomically(flags.out, [{ name: FINETUNE_FILE, contents: json }]);
  if (flags.json) process.stdout.write(json);
  if (!flags.quiet) {
    process.stderr.write(
      `${formatTable(comparison)}\n${comparison.summary}\nwrote ${path.relative(process.cwd(), written) || written}\n`,
    );
  }
  return 0;
}

/** A small side-by-side table for the terminal. */
export function formatTable(c: FinetuneComparison): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}`;
  const iv = (i: { estimate: number; lower: number; upper: number } | null) =>
    i ? `${pct(i.estimate)} [${pct(i.lower)}, ${pct(i.upper)}]` : '–';
  const rows = c.methods.map((m) => [
    m.method,
    iv(m.referenceAccuracy),
    iv(m.targetAccuracy),
    iv(m.gap),
    m.representation.cka.toFixed(3),
    `${m.representation.before.domainAuc.toFixed(3)} → ${m.representation.after.domainAuc.toFixed(3)}`,
    `${(m.training.totalMs / 1000).toFixed(1)} s`,
  ]);
  const header = ['method', 'reference acc %', 'target acc %', 'gap (points)', 'CKA', 'domain AUC', 'time'];
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((cell, j) => cell.padEnd(widths[j])).join('  ');
  const lexicon = c.lexiconLabels
    ? `\nlexicon labels: ${c.lexiconLabels.nLabelled} labelled, ${c.lexiconLabels.nAbstained} abstained` +
      (c.lexiconLabels.agreementWithHuman
        ? `; agreement with human labels ${iv(c.lexiconLabels.agreementWithHuman)} %`
        : '')
    : '';
  return [line(header), ...rows.map(line)].join('\n') + lexicon;
}
