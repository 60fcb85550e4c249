#!/usr/bin/env node
/**
 * The shiftlens command line. Exit codes: 0 no shift (or shift without --fail-on-shift), 1 shift detected with
 * --fail-on-shift, 2 bad input or any error (one line on stderr, no partial output).
 */
import { Command, CommanderError } from 'commander';
import { fsErrorToInputError, isInputError } from '../core/errors.js';
import { TOOL_VERSION } from '../pipeline/toolVersion.js';
import { addCheckCommand } from './commands/checkCommand.js';
import { addCompareCommand, addDemoCommand } from './commands/compareCommand.js';
import { addEmbedCommand } from './commands/embedCommand.js';
import { addFinetuneCommand } from './commands/finetuneCommand.js';
import { addMonitorCommand } from './commands/monitorCommand.js';
import { addProbeCommand } from './commands/probeCommand.js';
import { addReferenceCommand } from './commands/referenceCommand.js';

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command()
    .name('shiftlens')
    .description(
      "Is the data you evaluate or deploy on from the distribution you trained on? Compare two text datasets through a pretrained model's embeddings.",
    )
    .version(TOOL_VERSION)
    .exitOverride()
    // Commander's own usage errors (unknown option, missing argument) as one line like every other error.
    .configureOutput({ outputError: (message, write) => write(commanderErrorLine(message)) });

  addCompareCommand(program, setExitCode);
  addDemoCommand(program, setExitCode);
  addProbeCommand(program, setExitCode);
  addFinetuneCommand(program, setExitCode);
  addEmbedCommand(program, setExitCode);
  addMonitorCommand(program, setExitCode);
  addReferenceCommand(program, setExitCode);
  addCheckCommand(program, setExitCode);

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version end with exit code 0; usage errors are bad input.
      return error.exitCode === 0 ? 0 : 2;
    }
    // Bad input and every file-system error (full disk, permissions, read-only, a file in the way): one line.
    const userError = isInputError(error) ? error : fsErrorToInputError(error);
    if (userError) {
      process.stderr.write(`shiftlens: error: ${oneLine(userError.message)}\n`);
      return 2;
    }
    const message =
      error instanceof Error
        ? process.env.SHIFTLENS_DEBUG
          ? (error.stack ?? error.message)
          : error.message
        : String(error);
    process.stderr.write(
      `shiftlens: internal error: ${message}\n(set SHIFTLENS_DEBUG=1 for the stack trace; please report it)\n`,
    );
    return 2;
  }
}

/** "error: unknown option '--x'\n(Did you mean --y?)" → "shiftlens: error: unknown option '--x' (Did you mean --y?) …". */
function commanderErrorLine(message: string): string {
  const text = oneLine(message.replace(/^error:\s*/, ''));
  return `shiftlens: error: ${text} (run with --help for usage)\n`;
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 2;
  },
);
