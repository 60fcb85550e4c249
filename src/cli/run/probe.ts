/** `shiftlens probe` run (../commands/probeCommand.ts): the linear probe alone, its transfer gap and separability. */
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { createProgress } from '../../core/progress.js';
import { createRng } from '../../core/random.js';
import { probeOptions } from '../../pipeline/compareOptions.js';
import type { ProbeCliFlags } from '../commands/probeCommand.js';
import { preflight } from '../preflight.js';
import { toInputOptions } from '../sharedFlags.js';

export async function executeProbe(flags: ProbeCliFlags): Promise<number> {
  const progress = createProgress({ quiet: flags.quiet });
  const input = toInputOptions(flags);
  if (!input.reference.labelColumn) {
    throw new InputError('probe needs reference labels: give --label-column (or --reference-label-column)');
  }
  await preflight(flags, 'folder', [input.reference, input.target]);
  // The pipeline loads only once the options and folders passed (--help and bad options answer at once).
  const { loadAndEmbed } = await import('../../pipeline/prepareEmbeddings.js');
  const { runProbe } = await import('../../probe/runProbe.js');
  const { writeOutputsAtomically } = await import('../../result/writeOutputs.js');
  const { findNonFinite } = await import('../../result/schema.js');
  const { reference, target, embedded } = await loadAndEmbed(input, progress);
  const probe = await runProbe({
    reference: embedded.referenceVectors,
    referenceLabels: reference.labels as string[],
    target: embedded.targetVectors,
    targetLabels: target.labels,
    labelMap: flags.labelMap ?? reference.defaultLabelMap ?? null,
    rng: createRng(flags.seed).fork('probe'),
    progress,
    options: probeOptions(flags),
  });
  const document = { model: embedded.info, seed: flags.seed, reference: flags.reference, target: flags.target, probe };
  const bad = findNonFinite(document);
  if (bad) throw new Error(`internal error: non-finite number at ${bad} in probe.json`);
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const [written] = await writeOutputsAtomically(flags.out, [{ name: 'probe.json', contents: json }]);
  // The answer on stdout whatever --quiet says (it hides progress only); with --json, the JSON alone.
  if (flags.json) process.stdout.write(json);
  else {
    const ref = probe.reference.accuracy;
    const lines = [`reference held-out accuracy ${pct(ref.estimate)} [${pct(ref.lower)}, ${pct(ref.upper)}]`];
    if (probe.transfer) {
      const t = probe.transfer;
      lines.push(
        `target accuracy of the reference probe ${pct(t.accuracy.estimate)}; transfer gap ${pts(t.gap.estimate)} points [${pts(t.gap.lower)}, ${pts(t.gap.upper)}]`,
      );
    }
    if (probe.targetOnly) {
      lines.push(
        `target-only probe accuracy ${pct(probe.targetOnly.accuracy.estimate)} (majority baseline ${pct(probe.targetOnly.majorityBaseline)})`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\nwrote ${path.relative(process.cwd(), written) || written}\n`);
  }
  return 0;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function pts(x: number): string {
  return (100 * x).toFixed(1);
}
