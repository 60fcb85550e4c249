/**
 * `shiftlens probe`: the linear probe alone (no two-sample tests): transfer gap and target separability. Its flags;
 * the run is ../run/probe.ts, loaded only when the command runs.
 */
import type { Command } from 'commander';
import {
  addEmbeddingOptions,
  addInputOptions,
  addProbeMaxFitRowsOption,
  type EmbeddingCliFlags,
  type InputCliFlags,
} from '../sharedFlags.js';

export interface ProbeCliFlags extends InputCliFlags, EmbeddingCliFlags {
  out: string;
  json?: boolean;
  quiet?: boolean;
  probeMaxFitRows?: number;
}

export function addProbeCommand(program: Command, setExitCode: (code: number) => void): void {
  addProbeMaxFitRowsOption(
    addEmbeddingOptions(
      addInputOptions(
        program
          .command('probe')
          .description('train a linear probe on frozen reference embeddings and measure the transfer gap on the target')
          .requiredOption('--reference <source>', 'labelled reference data (same forms as compare)')
          .requiredOption('--target <source>', 'target data (labelled for the transfer gap)'),
      ),
    ),
  )
    .option('--out <dir>', 'output folder', 'shiftlens-out')
    .option('--json', 'print probe.json to stdout')
    .option('--quiet', 'no progress on stderr')
    .action(async (flags: ProbeCliFlags) => setExitCode(await (await import('../run/probe.js')).executeProbe(flags)));
}
