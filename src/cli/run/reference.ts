/** `shiftlens reference build` and `reference info` runs (../commands/referenceCommand.ts). */
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { createProgress } from '../../core/progress.js';
import { defaultCompareOptions } from '../../pipeline/compareOptions.js';
import { type ReferenceBuildCliFlags, TARGET_ONLY_FLAGS } from '../commands/referenceCommand.js';
import { preflight } from '../preflight.js';
import { toInputOptions } from '../sharedFlags.js';

/** Reads (and so checks) a bundle and prints what it holds. */
export async function executeReferenceInfo(flags: { bundle: string; json?: boolean }): Promise<number> {
  const { readBundle } = await import('../../bundle/bundleFile.js');
  const { describeModel } = await import('../../bundle/modelCompatibility.js');
  const b = await readBundle(flags.bundle);
  const info = {
    bundle: b.file.path,
    sha256: b.file.checksum,
    bytes: b.file.bytes,
    formatVersion: b.file.formatVersion,
    builtBy: `shiftlens ${b.tool.version}`,
    createdAt: b.createdAt,
    seed: b.seed,
    model: describeModel(b.model),
    reference: b.reference.dataset.source,
    referenceRows: b.reference.vectors.rows,
    referenceRowsEmbedded: b.reference.nEmbedded,
    texts: b.reference.dataset.texts !== null,
    probeClasses: b.probe?.classes ?? null,
    labelMap: b.labelMap,
    fittedTests: b.suite?.fitted.tests ?? [],
    fittedPermutations: b.suite?.permutations ?? null,
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return 0;
  }
  const rows =
    info.referenceRows === info.referenceRowsEmbedded
      ? `${info.referenceRows}`
      : `${info.referenceRows} (a seeded sample of ${info.referenceRowsEmbedded})`;
  process.stdout.write(
    [
      `${info.bundle}: shiftlens reference bundle, format ${info.formatVersion}, ${(info.bytes / 2 ** 20).toFixed(2)} MiB, sha256 ${info.sha256}`,
      `built by ${info.builtBy} at ${info.createdAt}, seed ${info.seed}`,
      `model: ${info.model}`,
      `reference: ${info.reference}, ${rows} rows${info.texts ? ' with their texts' : ' (vectors only)'}`,
      `probe: ${info.probeClasses ? `classes ${info.probeClasses.join(', ')}` : 'none (no reference labels)'}`,
      `fitted tests: ${info.fittedTests.join(', ') || 'none'}${info.fittedPermutations ? ` (${info.fittedPermutations} permutations)` : ''}`,
      '',
    ].join('\n'),
  );
  return 0;
}

export async function executeReferenceBuild(flags: ReferenceBuildCliFlags, command?: Command): Promise<number> {
  for (const key of TARGET_ONLY_FLAGS) {
    if (command?.getOptionValueSource(key) === 'cli' || (!command && flags[key] !== undefined)) {
      throw new InputError(
        `--${kebab(key)} does not apply to reference build (it reads only the reference): give the target's options to shiftlens check`,
      );
    }
  }
  if (path.extname(flags.out).toLowerCase() !== '.shiftlens') {
    throw new InputError(`--out ${flags.out} must name a .shiftlens file, e.g. --out reference.shiftlens`);
  }
  const progress = createProgress({ quiet: flags.quiet });
  const input = toInputOptions({ ...flags, target: flags.reference });
  await preflight({ ...flags, target: flags.reference }, 'file', [input.reference]);
  const defaults = defaultCompareOptions(input.reference, input.reference);
  // The pipeline loads only once the options and the output folder passed.
  const { buildReference } = await import('../../pipeline/buildReference.js');
  const { writeBundle } = await import('../../bundle/bundleFile.js');
  const { bundle, warnings } = await buildReference(
    {
      ...defaults,
      ...input,
      labelMap: flags.labelMap ?? null,
      tests: flags.tests ?? defaults.tests,
      probeMaxFitRows: flags.probeMaxFitRows,
    },
    progress,
  );
  const { checksum, bytes } = await writeBundle(flags.out, bundle);
  const summary = {
    bundle: path.resolve(flags.out),
    sha256: checksum,
    bytes,
    model: bundle.model.spec,
    dim: bundle.model.info.dim,
    referenceRows: bundle.reference.vectors.rows,
    referenceRowsEmbedded: bundle.reference.nEmbedded,
    labelled: bundle.reference.dataset.labels !== null,
    warnings,
  };
  if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const rows =
      summary.referenceRows === summary.referenceRowsEmbedded
        ? `${summary.referenceRows} reference rows`
        : `a seeded sample of ${summary.referenceRows} of ${summary.referenceRowsEmbedded} reference rows`;
    process.stdout.write(
      `wrote ${path.relative(process.cwd(), summary.bundle) || summary.bundle}: ${rows}, ${summary.model} (${summary.dim} dimensions)${summary.labelled ? ', labelled' : ''}, ${(bytes / 2 ** 20).toFixed(1)} MiB, sha256 ${checksum.slice(0, 16)}…\n${warnings.map((w) => `warning: ${w}\n`).join('')}`,
    );
  }
  return 0;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
