/**
 * `shiftlens check --bundle ref.shiftlens --target new.csv --out <dir>`: compare's outputs for a target against a
 * saved reference bundle — the target embedded with the bundle's model, the reference neither read nor embedded
 * again. Takes compare's analysis flags; the model flags, when given, must match the bundle's.
 */
import type { Command } from 'commander';
import { addInputOptions } from '../sharedFlags.js';
import { addAnalysisOptions, type CompareCliFlags } from './compareCommand.js';

export interface CheckCliFlags extends Omit<CompareCliFlags, 'reference'> {
  bundle: string;
}

/** Reference-side flags addInputOptions also defines: the reference is in the bundle. */
export const REFERENCE_ONLY_FLAGS = [
  'referenceTextColumn',
  'referenceLabelColumn',
  'referenceIdColumn',
  'referenceGroupColumn',
] as const;

export function addCheckCommand(program: Command, setExitCode: (code: number) => void): void {
  addInputOptions(
    addAnalysisOptions(
      program
        .command('check')
        .description(
          "compare a target dataset with a saved reference bundle (shiftlens reference build): compare's outputs, without re-embedding the reference",
        )
        .requiredOption('--bundle <file>', 'the .shiftlens reference bundle')
        .requiredOption('--target <source>', 'same forms as compare --target'),
    ),
  ).action(async (flags: CheckCliFlags, command: Command) =>
    setExitCode(await (await import('../run/check.js')).executeCheck(flags, command)),
  );
}
