/**
 * Library options through zod, and every problem as one InputError line that names the option (and the row and
 * column for data): "compare: alpha must be ≤ 0.5, got 0.7", "compare: reference[3][5] is NaN; …". Only the
 * first problem is reported, as the CLI does: fixing it may make the others moot.
 */
import type { z } from 'zod';
import { InputError } from '../core/errors.js';

type Issue = z.core.$ZodIssue & { input?: unknown };

/** Parses `input` with `schema`; the first problem becomes an InputError `${fn}: …`. */
export function parseApiOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fn: string,
  knownOptions: readonly string[],
): z.output<S> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InputError(`${fn} takes one options object (e.g. ${fn}({ reference, target })), got ${describe(input)}`);
  }
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new InputError(`${fn}: ${formatIssue(parsed.error.issues[0] as Issue, knownOptions)}`);
}

/** ['labels', 'reference', 3] → "labels.reference[3]". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function formatIssue(issue: Issue, knownOptions: readonly string[]): string {
  const where = formatPath(issue.path);
  const subject = where === '' ? 'the options' : where;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${subject} is required`;
      return `${subject} must be ${article(issue.expected)}, got ${describe(issue.input)}`;
    case 'too_big':
    case 'too_small': {
      const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
      if (issue.origin === 'array' || issue.origin === 'set') {
        const most = issue.code === 'too_big' ? 'at most' : 'at least';
        return `${subject} must have ${most} ${String(bound)} entries, got ${lengthOf(issue.input)}`;
      }
      if (issue.origin === 'string') return `${subject} must not be empty`;
      const op = issue.code === 'too_big' ? (issue.inclusive ? '≤' : '<') : issue.inclusive ? '≥' : '>';
      return `${subject} must be ${op} ${String(bound)}, got ${describe(issue.input)}`;
    }
    case 'invalid_value':
      return `${subject} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`;
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      const inside = where === '' ? '' : ` in ${where}`;
      const hint = where === '' ? suggestion(key, knownOptions) : '';
      return `unknown option "${key}"${inside}${hint}`;
    }
    case 'invalid_format':
      return `${subject} must be a valid ${issue.format}, got ${describe(issue.input)}`;
    case 'not_multiple_of':
      return `${subject} must be a multiple of ${String(issue.divisor)}, got ${describe(issue.input)}`;
    case 'invalid_key':
      return `${subject} has an invalid key: ${issue.issues[0]?.message ?? issue.message}`;
    case 'invalid_element':
      return `${subject} has an invalid entry: ${issue.issues[0]?.message ?? issue.message}`;
    default:
      // custom (our own checks) and invalid_union (given a message where the union is declared).
      return `${subject} ${issue.message}`;
  }
}

/** " (did you mean "permutations"?)" for a near miss, else the list of options. */
function suggestion(key: string, known: readonly string[]): string {
  const close = known
    .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
    .filter((c) => c.d <= Math.max(1, Math.floor(c.k.length / 4)))
    .sort((a, b) => a.d - b.d)[0];
  return close ? ` (did you mean "${close.k}"?)` : `; the options are ${known.join(', ')}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function article(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    case 'record':
      return 'an object';
    default:
      return `a ${expected}`;
  }
}

function lengthOf(value: unknown): string {
  return Array.isArray(value) ? String(value.length) : describe(value);
}

/** A value as a message shows it: short, typed, never the whole array. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return 'an object';
}
