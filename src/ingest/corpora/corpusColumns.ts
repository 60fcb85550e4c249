/**
 * The columns of a bundled corpus are fixed: its text is always "text", and --label-column / --group-column must
 * name one of its columns. One check for every corpus loader, and for the CLI's preflight, which runs it before
 * any side is read.
 */
import { InputError } from '../../core/errors.js';
import { listColumns, requireColumn } from '../columns.js';
import type { LoadOptions } from '../dataset.js';

/** Indices of the label column (-1: none) and the group column (-1: none) in `columns`. */
export function corpusColumnIndices(
  spec: string,
  columns: readonly string[],
  options: Pick<LoadOptions, 'textColumn' | 'labelColumn' | 'groupColumn'>,
  defaultLabel: string | null,
): { labelIndex: number; groupIndex: number } {
  if (options.textColumn !== undefined && options.textColumn !== 'text') {
    throw new InputError(
      `${spec}: no column "${options.textColumn}" (--text-column); columns: ${listColumns(columns)}`,
    );
  }
  const label = options.labelColumn ?? defaultLabel;
  return {
    labelIndex: label !== null ? requireColumn(columns, label, '--label-column', spec) : -1,
    groupIndex:
      options.groupColumn !== undefined ? requireColumn(columns, options.groupColumn, '--group-column', spec) : -1,
  };
}
