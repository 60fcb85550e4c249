/** `shiftlens check` run: the bundle read and checked first, then the target against it (../commands/checkCommand.ts). */
import type { Command } from 'commander';
import type { ModelExpectation } from '../../bundle/modelCompatibility.js';
import { InputError } from '../../core/errors.js';
import { createProgress } from '../../core/progress.js';
import { verdictReportsShift } from '../../verdict/decide.js';
import { type CheckCliFlags, REFERENCE_ONLY_FLAGS } from '../commands/checkCommand.js';
import { preflight } from '../preflight.js';
import { toCompareOptions, verdictText } from './compare.js';

export async function executeCheck(flags: CheckCliFlags, command: Command): Promise<number> {
  const given = (key: string) => command.getOptionValueSource(key) === 'cli';
  for (const key of REFERENCE_ONLY_FLAGS) {
    if (given(key)) {
      throw new InputError(
        `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} does not apply to check: the reference is in the bundle (give it to shiftlens reference build)`,
      );
    }
  }
  const expect: ModelExpectation = {
    ...(given('model') ? { model: flags.model } : {}),
    ...(given('pooling') ? { pooling: flags.pooling } : {}),
    ...(given('maxLength') ? { maxLength: flags.maxLength } : {}),
    ...(given('normalize') ? { normalize: Boolean(flags.normalize) } : {}),
  };
  const progress = createProgress({ quiet: flags.quiet });
  // The bundle first (signature, checksum, version, model): a wrong file is refused before anything else.
  const { readBundle } = await import('../../bundle/bundleFile.js');
  const bundle = await readBundle(flags.bundle, expect);
  const seed = given('seed') ? flags.seed : bundle.seed;
  const { reference: _reference, ...compareOptions } = toCompareOptions({ ...flags, reference: flags.bundle, seed });
  // With the model as the check will run it (checkCompareOptions): the bundle's spec, pooling, token limit, server
  // and dimensions, --embed-url overriding the server. (The command line's alone would send a bundle built against
  // a local server to the default one, and ask for its key.)
  const { checkCompareOptions, checkSuiteSettings } = await import('../../pipeline/checkOptions.js');
  const runsWith = checkCompareOptions(bundle, compareOptions);
  const embedWith = {
    model: runsWith.model,
    pooling: runsWith.pooling === 'precomputed' ? undefined : runsWith.pooling,
    maxLength: runsWith.maxLength,
    embedUrl: runsWith.endpoint?.url,
    embedDimensions: runsWith.endpoint?.dimensions,
  };
  await preflight({ ...flags, ...embedWith, reference: flags.target }, 'folder', [compareOptions.target]);
  const { checkTarget } = await import('../../pipeline/check.js');
  // As the library's check(): the bundle's tests and permutations unless --tests / --permutations are given.
  const options = {
    ...compareOptions,
    ...checkSuiteSettings(
      bundle,
      {
        ...(given('tests') ? { tests: compareOptions.tests } : {}),
        ...(given('permutations') ? { permutations: compareOptions.permutations } : {}),
      },
      compareOptions,
    ),
  };
  const { writeCompareOutputs } = await import('../../pipeline/writeCompareOutputs.js');
  const run = await checkTarget(bundle, options, progress);
  const written = await writeCompareOutputs(run, { outDir: flags.out, imageFormat: flags.format, seed });
  if (flags.json) process.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
  else process.stdout.write(verdictText(run.result, written));
  return flags.failOnShift && verdictReportsShift(run.result.verdict.kind) ? 1 : 0;
}
