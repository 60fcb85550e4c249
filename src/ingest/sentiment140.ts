/**
 * The Sentiment140 training file (`sentiment140:<path>` or --input-format sentiment140): headerless CSV with six
 * columns polarity,id,date,query,user,text, Latin-1 encoded, tweets with HTML entities (&quot; &amp;) decoded.
 * Labels default to polarity (0 negative, 2 neutral, 4 positive). Streams: 1.6M rows never sit in memory twice.
 */
import he from 'he';
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { TextCollector } from './collector.js';
import { requireColumn, resolveTextColumn } from './columns.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { readDelimited } from './delimited.js';
import { displayName, requireNonEmptyFile } from './sourceFile.js';

export const SENTIMENT140_COLUMNS = ['polarity', 'id', 'date', 'query', 'user', 'text'] as const;
export const SENTIMENT140_LABEL_MAP: Record<string, string> = { '0': 'negative', '2': 'neutral', '4': 'positive' };

export async function loadSentiment140(
  spec: string,
  file: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  const size = await requireNonEmptyFile(file);
  const task = progress.start(`reading ${displayName(file)}`, size);
  const columns = [...SENTIMENT140_COLUMNS];
  const textIndex = resolveTextColumn(columns, options.textColumn, file);
  const labelIndex = requireColumn(columns, options.labelColumn ?? 'polarity', '--label-column', file);
  const collector = new TextCollector(true, options);
  await readDelimited(
    file,
    { delimiter: ',', encoding: options.encoding ?? 'latin1', columns },
    { header: () => {}, row: (fields, row) => collector.add(he.decode(fields[textIndex]), fields[labelIndex], row) },
    task,
  );
  task.done();
  const name = displayName(file);
  // The file has no header: row N is line N.
  // The polarity codes only mean negative/neutral/positive when polarity is the label column.
  const extra = columns[labelIndex] === 'polarity' ? { defaultLabelMap: SENTIMENT140_LABEL_MAP } : {};
  return collector.finish(spec, (row) => `${name} row ${row}`, extra);
}
