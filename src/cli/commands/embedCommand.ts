/**
 * `shiftlens embed --input <source> --model <spec> --out vectors.parquet|vectors.npy`: embed one dataset, fill the
 * embedding cache, and export the vectors with their ids (Parquet: an id column; .npy: a sidecar
 * <name>.ids.txt, and <name>.labels.txt with --label-column). The export compares like any precomputed input.
 */
import { type Command, Option } from 'commander';
import { INPUT_FORMATS } from '../../ingest/dataset.js';
import { VECTOR_EXPORT_EXTENSIONS } from '../../export/vectorExportFormats.js';
import type { SideOptions } from '../../pipeline/compareOptions.js';
import { parseChoice } from '../parseOptions.js';
import { addEmbeddingOptions, type EmbeddingCliFlags } from '../sharedFlags.js';

export interface EmbedCliFlags extends EmbeddingCliFlags {
  input: string;
  out: string;
  textColumn?: string;
  labelColumn?: string;
  idColumn?: string;
  inputFormat?: SideOptions['format'];
  encoding?: 'utf8' | 'latin1';
  json?: boolean;
  quiet?: boolean;
}

export function addEmbedCommand(program: Command, setExitCode: (code: number) => void): void {
  addEmbeddingOptions(
    program
      .command('embed')
      .description(
        `embed one dataset and export the vectors with their ids (${VECTOR_EXPORT_EXTENSIONS.join(' or ')}); fills the embedding cache`,
      )
      .requiredOption('--input <source>', 'texts to embed (same forms as compare --reference)')
      .requiredOption(
        '--out <file>',
        'vectors.parquet (columns id, embedding, label) or vectors.npy (+ vectors.ids.txt, vectors.labels.txt)',
      )
      .option('--text-column <name>', 'text column/field (default: text)')
      .option('--label-column <name>', 'label column/field, written beside the vectors')
      .option(
        '--id-column <name>',
        "column/field with each row's own id (default: the row's origin, e.g. data.csv row 17)",
      )
      .addOption(
        new Option('--input-format <fmt>', 'force the input format instead of guessing from the extension').choices(
          INPUT_FORMATS,
        ),
      )
      .option(
        '--encoding <enc>',
        'text encoding of CSV/TSV/text files (default: utf8; latin1 for sentiment140)',
        parseChoice('--encoding', ['utf8', 'latin1'] as const),
      ),
  )
    .option('--json', 'print a JSON summary to stdout')
    .option('--quiet', 'no progress on stderr')
    .action(async (flags: EmbedCliFlags) => setExitCode(await (await import('../run/embed.js')).executeEmbed(flags)));
}
