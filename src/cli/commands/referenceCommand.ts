/**
 * `shiftlens reference build --reference <source> --model <spec> --out ref.shiftlens`: embed the reference once,
 * fit the suite's reference side, and save it all in one checksummed bundle that `shiftlens check` and
 * `shiftlens monitor` test targets against without reading or embedding the reference again.
 */
import type { Command } from 'commander';
import type { CompareOptions } from '../../pipeline/compareOptions.js';
import { parseTests } from '../parseOptions.js';
import {
  addEmbeddingOptions,
  addInputOptions,
  addProbeMaxFitRowsOption,
  type EmbeddingCliFlags,
  type InputCliFlags,
} from '../sharedFlags.js';

export interface ReferenceBuildCliFlags extends Omit<InputCliFlags, 'target'>, EmbeddingCliFlags {
  out: string;
  tests?: CompareOptions['tests'];
  json?: boolean;
  quiet?: boolean;
  probeMaxFitRows?: number;
}

/** Target-side flags addInputOptions also defines: a build reads no target, so naming one is a mistake. */
export const TARGET_ONLY_FLAGS = [
  'targetTextColumn',
  'targetLabelColumn',
  'targetIdColumn',
  'targetGroupColumn',
] as const;

export function addReferenceCommand(program: Command, setExitCode: (code: number) => void): void {
  const reference = program
    .command('reference')
    .description('reference bundles: embed and fit a reference once, check many targets against it');
  addProbeMaxFitRowsOption(
    addEmbeddingOptions(
      addInputOptions(
        reference
          .command('build')
          .description(
            'embed a reference (training) dataset and save it with its fitted test states, model and labels in one .shiftlens file',
          )
          .requiredOption('--reference <source>', 'same forms as compare --reference')
          .requiredOption('--out <file>', 'the bundle to write, e.g. ref.shiftlens'),
      ),
    ),
  )
    .option('--tests <list>', 'tests to fit (default: all); a check runs these or fewer', parseTests)
    .option('--json', 'print a JSON summary to stdout')
    .option('--quiet', 'no progress on stderr')
    .action(async (flags: ReferenceBuildCliFlags, command: Command) =>
      setExitCode(await (await import('../run/reference.js')).executeReferenceBuild(flags, command)),
    );
  reference
    .command('info')
    .description(
      'what a .shiftlens bundle holds: model, rows, labels, fitted tests, checksum (the file is fully checked)',
    )
    .requiredOption('--bundle <file>', 'the .shiftlens reference bundle')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: { bundle: string; json?: boolean }) =>
      setExitCode(await (await import('../run/reference.js')).executeReferenceInfo(flags)),
    );
}
