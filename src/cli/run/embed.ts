/** `shiftlens embed` run (../commands/embedCommand.ts): folders checked, then the texts embedded and exported. */
import path from 'node:path';
import { createProgress } from '../../core/progress.js';
import type { EmbedCliFlags } from '../commands/embedCommand.js';
import { preflight } from '../preflight.js';
import { toModelOptions } from '../sharedFlags.js';

export async function executeEmbed(flags: EmbedCliFlags): Promise<number> {
  const progress = createProgress({ quiet: flags.quiet });
  // The output file's folder and the cache folder, before reading a row.
  const input = {
    source: flags.input,
    textColumn: flags.textColumn,
    labelColumn: flags.labelColumn,
    idColumn: flags.idColumn,
    format: flags.inputFormat,
  };
  await preflight({ ...flags, reference: flags.input, target: flags.input }, 'file', [input]);
  // The pipeline loads only once the options and folders passed (--help and bad options answer at once).
  const { runEmbedExport } = await import('../../pipeline/embedExport.js');
  const summary = await runEmbedExport(
    {
      input,
      out: flags.out,
      ...toModelOptions(flags),
      encoding: flags.encoding,
      maxRows: flags.maxRows,
      seed: flags.seed,
    },
    progress,
  );
  // The answer on stdout (--quiet hides progress only); with --json, the JSON alone.
  if (flags.json) {
    const { model, ...rest } = summary;
    process.stdout.write(
      `${JSON.stringify({ ...rest, model: { id: model.id, dim: model.dim, normalize: model.normalize } }, null, 2)}\n`,
    );
  } else {
    const files = summary.written.map((f) => path.relative(process.cwd(), f) || f).join(', ');
    process.stdout.write(
      `embedded ${summary.rows} texts with ${summary.model.id} (${summary.model.dim}-d; ${summary.nCached} from the cache); ids from the ${summary.idsFrom}\nwrote ${files}\n`,
    );
  }
  return 0;
}
