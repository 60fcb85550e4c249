/** Column lookup shared by tabular sources, with the one-line errors users need (the columns actually found). */
import { InputError } from '../core/errors.js';

export function listColumns(columns: readonly string[]): string {
  return columns.length === 0 ? '(none)' : columns.map((c) => JSON.stringify(c)).join(', ');
}

/** Index of `wanted` in `columns`, or an InputError naming the file, the flag and the columns found. */
export function requireColumn(
  columns: readonly string[],
  wanted: string,
  flag: '--text-column' | '--label-column' | '--vector-field' | '--id-column' | '--group-column' | '--time-column',
  where: string,
): number {
  const index = columns.indexOf(wanted);
  if (index < 0) {
    throw new InputError(`${where}: no column "${wanted}" (${flag}); columns found: ${listColumns(columns)}`);
  }
  return index;
}

/** The text column: the one asked for, else "text" if present, else an error that lists the columns. */
export function resolveTextColumn(columns: readonly string[], wanted: string | undefined, where: string): number {
  if (wanted !== undefined) return requireColumn(columns, wanted, '--text-column', where);
  const index = columns.indexOf('text');
  if (index < 0) {
    throw new InputError(
      `${where}: no "text" column; pass --text-column with one of the columns found: ${listColumns(columns)}`,
    );
  }
  return index;
}
