/** Plain text files: one text per line. Blank lines are empty texts (dropped and counted). Origins "notes.txt line 3". */
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { InputError } from '../core/errors.js';
import { TextCollector } from './collector.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { readLines } from './lines.js';
import { displayName, requireNonEmptyFile } from './sourceFile.js';

export async function loadPlainText(
  file: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  if (options.labelColumn !== undefined) {
    throw new InputError(
      `${file}: a plain text file has no columns, so --label-column "${options.labelColumn}" cannot apply; use CSV or JSONL for labelled data`,
    );
  }
  const size = await requireNonEmptyFile(file);
  const task = progress.start(`reading ${displayName(file)}`, size);
  const collector = new TextCollector(false, options);
  for await (const { text, line } of readLines(file, options.encoding ?? 'utf8', task)) collector.add(text, null, line);
  task.done();
  const name = displayName(file);
  return collector.finish(file, (line) => `${name} line ${line}`);
}
