/**
 * JSON Lines with texts: one object per line, text in --text-column (default "text"), labels in
 * --label-column. Blank lines are skipped; a missing or null text counts as empty. Origins "data.jsonl line 4".
 */
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { InputError } from '../core/errors.js';
import { TextCollector } from './collector.js';
import { requireColumn, resolveTextColumn } from './columns.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { readLines } from './lines.js';
import { displayName, requireNonEmptyFile } from './sourceFile.js';

/** Parse one JSONL line into an object, or an InputError naming the line. */
export function parseJsonObjectLine(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (/(^|[\s,:[])(-?Infinity|NaN)([\s,\]}]|$)/.test(text)) {
      throw new InputError(
        `${where}: contains NaN or Infinity, which are not finite numbers (and not valid JSON); fix or drop that row`,
      );
    }
    throw new InputError(`${where}: malformed JSON (${(error as Error).message}); each line must be one JSON object`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(
      `${where}: expected a JSON object like {"text": "..."}, got ${Array.isArray(value) ? 'an array' : String(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

/** A JSON field as text: strings as is, numbers/booleans printed, missing/null as ''. */
export function fieldAsText(value: unknown, where: string, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InputError(
    `${where}: field "${field}" holds ${Array.isArray(value) ? 'an array' : 'an object'}, expected text`,
  );
}

export async function loadJsonl(
  file: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  const size = await requireNonEmptyFile(file);
  const task = progress.start(`reading ${displayName(file)}`, size);
  let textField: string | null = null;
  let labelField: string | null = null;
  let idField: string | null = null;
  let groupField: string | null = null;
  let collector: TextCollector | null = null;
  for await (const { text, line } of readLines(file, options.encoding ?? 'utf8', task)) {
    if (text.trim() === '') continue;
    const where = `${file} line ${line}`;
    const record = parseJsonObjectLine(text, where);
    if (collector === null) {
      // The first record defines the fields; later records may leave them out (counted as empty / '').
      const keys = Object.keys(record);
      textField = keys[resolveTextColumn(keys, options.textColumn, where)];
      labelField =
        options.labelColumn !== undefined
          ? keys[requireColumn(keys, options.labelColumn, '--label-column', where)]
          : null;
      idField =
        options.idColumn !== undefined ? keys[requireColumn(keys, options.idColumn, '--id-column', where)] : null;
      groupField =
        options.groupColumn !== undefined
          ? keys[requireColumn(keys, options.groupColumn, '--group-column', where)]
          : null;
      collector = new TextCollector(labelField !== null, options);
    }
    const label = labelField !== null ? fieldAsText(record[labelField], where, labelField) : null;
    const id = idField !== null ? fieldAsText(record[idField], where, idField) : null;
    const group = groupField !== null ? fieldAsText(record[groupField], where, groupField) : null;
    collector.add(fieldAsText(record[textField as string], where, textField as string), label, line, id, group);
  }
  task.done();
  if (collector === null) throw new InputError(`${file}: no JSON records (only blank lines)`);
  const name = displayName(file);
  return collector.finish(file, (line) => `${name} line ${line}`);
}
