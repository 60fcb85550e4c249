/**
 * What a Parquet column holds, read from the schema alone (before any data): text, a scalar (integer, float,
 * boolean, date), a list of floats (list<float>, list<double>, Arrow's fixed_size_list, the legacy two-level
 * repeated list), or something else (binary, struct, map, a list of non-floats). Each reader role states the
 * kind it needs and gets a one-line error naming the file, the column and the flag otherwise.
 */
import type { SchemaTree } from 'hyparquet';
import { InputError } from '../core/errors.js';

export type ParquetColumnKind = 'text' | 'scalar' | 'floatList' | 'other';

export interface ParquetColumnType {
  kind: ParquetColumnKind;
  /** For messages: "string", "int64", "list<float>", "list<string>", "struct", … */
  name: string;
}

const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE']);

function leafName(element: SchemaTree['element']): string {
  const logical = element.logical_type?.type;
  if (logical === 'STRING' || element.converted_type === 'UTF8') return 'string';
  if (logical === 'FLOAT16') return 'float16';
  if (logical === 'DATE' || element.converted_type === 'DATE') return 'date';
  if (logical === 'TIMESTAMP' || element.converted_type?.startsWith('TIMESTAMP')) return 'timestamp';
  if (logical === 'JSON' || element.converted_type === 'JSON') return 'json';
  switch (element.type) {
    case 'BYTE_ARRAY':
      return 'string';
    case 'FIXED_LEN_BYTE_ARRAY':
      return `fixed_len_byte_array(${element.type_length ?? '?'})`;
    case 'INT32':
      return 'int32';
    case 'INT64':
      return 'int64';
    case 'INT96':
      return 'int96';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'BOOLEAN':
      return 'bool';
    default:
      return String(element.type ?? 'group').toLowerCase();
  }
}

function isFloatLeaf(element: SchemaTree['element']): boolean {
  return (element.type !== undefined && FLOAT_TYPES.has(element.type)) || element.logical_type?.type === 'FLOAT16';
}

export function parquetColumnType(node: SchemaTree): ParquetColumnType {
  const { element } = node;
  if (node.children.length === 0) {
    const name = leafName(element);
    if (element.repetition_type === 'REPEATED') {
      return { kind: isFloatLeaf(element) ? 'floatList' : 'other', name: `list<${name}>` };
    }
    if (name === 'string' || name === 'json') return { kind: 'text', name };
    if (name.startsWith('fixed_len_byte_array') || name === 'int96') return { kind: 'other', name };
    return { kind: 'scalar', name };
  }
  const isList = element.converted_type === 'LIST' || element.logical_type?.type === 'LIST';
  if (isList && node.children.length === 1) {
    // Three-level list: <name> (LIST) → repeated group "list" → "element"; or two-level: repeated leaf.
    const repeated = node.children[0];
    const item = repeated.children.length === 1 ? repeated.children[0] : repeated;
    if (item.children.length === 0) {
      return { kind: isFloatLeaf(item.element) ? 'floatList' : 'other', name: `list<${leafName(item.element)}>` };
    }
    return { kind: 'other', name: 'list<struct>' };
  }
  if (element.converted_type === 'MAP' || element.logical_type?.type === 'MAP') return { kind: 'other', name: 'map' };
  return { kind: 'other', name: 'struct' };
}

const NEEDS: Record<'text' | 'scalar' | 'floatList', { accepts: ParquetColumnKind[]; expected: string }> = {
  text: { accepts: ['text'], expected: 'text (a string column)' },
  scalar: { accepts: ['text', 'scalar'], expected: 'one value per row (string, integer, float or bool)' },
  floatList: {
    accepts: ['floatList'],
    expected: 'a list of floats per row (list<float>, list<double> or fixed_size_list<float>)',
  },
};

/** InputError unless the column's kind fits the role. */
export function requireColumnKind(
  file: string,
  column: string,
  flag: string,
  type: ParquetColumnType,
  role: keyof typeof NEEDS,
): void {
  const need = NEEDS[role];
  if (need.accepts.includes(type.kind)) return;
  const hint =
    role === 'floatList' && type.name.startsWith('list<')
      ? '; cast it to float32, e.g. pyarrow pa.list_(pa.float32())'
      : role === 'text' && type.kind === 'floatList'
        ? `; for vectors pass --vector-field ${column}`
        : '';
  throw new InputError(`${file}: column "${column}" (${flag}) holds ${type.name}, expected ${need.expected}${hint}`);
}
