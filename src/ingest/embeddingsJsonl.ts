/**
 * Precomputed embeddings as JSON Lines: one object per line with a numeric array in --vector-field (default
 * "embedding") and optionally a label field. Every vector must have the file's dimension and finite values.
 */
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { InputError } from '../core/errors.js';
import { listColumns } from './columns.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { fieldAsText, parseJsonObjectLine } from './jsonl.js';
import { readLines } from './lines.js';
import { displayName, requireNonEmptyFile } from './sourceFile.js';
import { VectorCollector } from './vectorCollector.js';

export const DEFAULT_VECTOR_FIELD = 'embedding';

export async function loadEmbeddingsJsonl(
  file: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  const size = await requireNonEmptyFile(file);
  const vectorField = options.vectorField ?? DEFAULT_VECTOR_FIELD;
  const task = progress.start(`reading ${displayName(file)}`, size);
  let collector: VectorCollector | null = null;
  for await (const { text, line } of readLines(file, options.encoding ?? 'utf8', task)) {
    if (text.trim() === '') continue;
    const where = `${file} line ${line}`;
    const record = parseJsonObjectLine(text, where);
    if (collector === null) {
      if (!(vectorField in record)) {
        throw new InputError(
          `${where}: no vector field "${vectorField}" (--vector-field); fields found: ${listColumns(Object.keys(record))}`,
        );
      }
      if (options.labelColumn !== undefined && !(options.labelColumn in record)) {
        throw new InputError(
          `${where}: no column "${options.labelColumn}" (--label-column); fields found: ${listColumns(Object.keys(record))}`,
        );
      }
      if (options.idColumn !== undefined && !(options.idColumn in record)) {
        throw new InputError(
          `${where}: no column "${options.idColumn}" (--id-column); fields found: ${listColumns(Object.keys(record))}`,
        );
      }
      if (options.groupColumn !== undefined && !(options.groupColumn in record)) {
        throw new InputError(
          `${where}: no column "${options.groupColumn}" (--group-column); fields found: ${listColumns(Object.keys(record))}`,
        );
      }
      collector = new VectorCollector(options.labelColumn !== undefined, options);
    }
    const label =
      options.labelColumn !== undefined ? fieldAsText(record[options.labelColumn], where, options.labelColumn) : null;
    const id = options.idColumn !== undefined ? fieldAsText(record[options.idColumn], where, options.idColumn) : null;
    const group =
      options.groupColumn !== undefined ? fieldAsText(record[options.groupColumn], where, options.groupColumn) : null;
    collector.add(toVector(record[vectorField], where, vectorField), label, line, where, id, group);
  }
  task.done();
  if (collector === null) throw new InputError(`${file}: no JSON records (only blank lines)`);
  const name = displayName(file);
  return collector.finish(file, (line) => `${name} line ${line}`);
}

function toVector(value: unknown, where: string, field: string): Float32Array {
  if (!Array.isArray(value)) {
    throw new InputError(
      `${where}: field "${field}" must be an array of numbers, got ${value === null ? 'null' : typeof value}`,
    );
  }
  const out = new Float32Array(value.length);
  for (let k = 0; k < value.length; k++) {
    const v: unknown = value[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InputError(
        `${where}: "${field}"[${k}] is ${JSON.stringify(v) ?? String(v)}; vectors must hold finite numbers (no NaN/Infinity/null)`,
      );
    }
    out[k] = v;
  }
  return out;
}

/**
 * Does this JSONL file hold embeddings? True when its first record has the vector field as an array. Reads only
 * up to the first non-blank line.
 */
export async function looksLikeEmbeddingsJsonl(file: string, options: LoadOptions): Promise<boolean> {
  const vectorField = options.vectorField ?? DEFAULT_VECTOR_FIELD;
  for await (const { text, line } of readLines(file, options.encoding ?? 'utf8')) {
    if (text.trim() === '') continue;
    const record = parseJsonObjectLine(text, `${file} line ${line}`);
    return Array.isArray(record[vectorField]);
  }
  return false;
}
