/**
 * `shiftlens finetune-vs-probe`: on one reference split and seed, the linear probe and an MLP head on frozen
 * embeddings against fine-tuning the representation itself; accuracies, gaps, intervals, times, CKA and
 * separability before/after (src/finetune/runFinetuneVsProbe.ts). With --reference-labels lexicon the
 * reference is labelled by the AFINN lexicon (distant supervision) and its human labels, if given, are only
 * used to say how noisy the lexicon's labels are.
 */
import { type Command, Option } from 'commander';
import { InputError } from '../../core/errors.js';
import { parseIntegerOption } from '../parseOptions.js';
import { addEmbeddingOptions, addInputOptions, type EmbeddingCliFlags, type InputCliFlags } from '../sharedFlags.js';

export interface FinetuneCliFlags extends InputCliFlags, EmbeddingCliFlags {
  out: string;
  json?: boolean;
  quiet?: boolean;
  referenceLabels: 'column' | 'lexicon';
  finetuneLayers: number;
  maxEpochs: number;
  patience: number;
  trainBatchSize: number;
  finetuneLr?: number[];
}

export const FINETUNE_FILE = 'finetune-vs-probe.json';

export function addFinetuneCommand(program: Command, setExitCode: (code: number) => void): void {
  addFinetuneOptions(
    addEmbeddingOptions(
      addInputOptions(
        program
          .command('finetune-vs-probe')
          .description(
            'compare a linear probe and an MLP head on frozen embeddings with fine-tuning the representation, on one reference split',
          )
          .requiredOption('--reference <source>', 'labelled reference (training) data (same forms as compare)')
          .requiredOption('--target <source>', 'target data, labelled to measure accuracy there'),
      ),
    ),
  ).action(async (flags: FinetuneCliFlags) =>
    setExitCode(await (await import('../run/finetune.js')).executeFinetune(flags)),
  );
}

export function addFinetuneOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--reference-labels <source>',
        'column: the reference label column; lexicon: AFINN lexicon labels (distant supervision; the label column, if given, only measures their agreement)',
      )
        .choices(['column', 'lexicon'])
        .default('column'),
    )
    .option(
      '--finetune-layers <k>',
      'transformers: top encoder layers to fine-tune (lower layers stay frozen, their states computed once)',
      parseIntegerOption('--finetune-layers', 1),
      1,
    )
    .option(
      '--max-epochs <n>',
      'most training epochs (early stopping on reference validation loss)',
      parseIntegerOption('--max-epochs', 1),
      100,
    )
    .option(
      '--patience <n>',
      'epochs without validation improvement before stopping',
      parseIntegerOption('--patience', 1),
      5,
    )
    .option(
      '--finetune-lr <list>',
      'learning rates of the fine-tuned representation to try, comma-separated (chosen on reference validation loss; default: word vectors 0.001,0.01, transformer layers 3e-5,1e-4)',
      parseLearningRates,
    )
    .option('--train-batch-size <n>', 'training minibatch size', parseIntegerOption('--train-batch-size', 1), 32)
    .option('--out <dir>', 'output folder', 'shiftlens-out')
    .option('--json', `print ${FINETUNE_FILE} to stdout`)
    .option('--quiet', 'no progress on stderr');
}

function parseLearningRates(value: string): number[] {
  const rates = value.split(',').map((v) => Number(v.trim()));
  if (rates.length === 0 || rates.some((r) => !(r > 0) || !Number.isFinite(r))) {
    throw new InputError(`--finetune-lr must be positive numbers separated by commas, got "${value}"`);
  }
  return rates;
}
