/**
 * CSV and TSV files with a header row: text from --text-column (default "text"), labels from --label-column.
 * Origins read "train.csv row 17": data rows counted from 1, the header not counted.
 */
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { TextCollector } from './collector.js';
import { requireColumn, resolveTextColumn } from './columns.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { readDelimited } from './delimited.js';
import { displayName, requireNonEmptyFile } from './sourceFile.js';

export async function loadDelimited(
  file: string,
  delimiter: ',' | '\t',
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  const size = await requireNonEmptyFile(file);
  const task = progress.start(`reading ${displayName(file)}`, size);
  let textIndex = -1;
  let labelIndex = -1;
  let idIndex = -1;
  let groupIndex = -1;
  const collector = new TextCollector(options.labelColumn !== undefined, options);
  await readDelimited(
    file,
    { delimiter, encoding: options.encoding ?? 'utf8' },
    {
      header: (columns) => {
        textIndex = resolveTextColumn(columns, options.textColumn, file);
        labelIndex =
          options.labelColumn !== undefined ? requireColumn(columns, options.labelColumn, '--label-column', file) : -1;
        idIndex = options.idColumn !== undefined ? requireColumn(columns, options.idColumn, '--id-column', file) : -1;
        groupIndex =
          options.groupColumn !== undefined ? requireColumn(columns, options.groupColumn, '--group-column', file) : -1;
      },
      row: (fields, row) =>
        collector.add(
          fields[textIndex],
          labelIndex >= 0 ? fields[labelIndex] : null,
          row,
          idIndex >= 0 ? fields[idIndex] : null,
          groupIndex >= 0 ? fields[groupIndex] : null,
        ),
    },
    task,
  );
  task.done();
  const name = displayName(file);
  return collector.finish(file, (row) => `${name} row ${row}`);
}
