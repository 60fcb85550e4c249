/**
 * Option parsing for detectors: every spec's options are a strict zod object with every field defaulted, so
 * `parse({})` gives the defaults, an unknown option and an invalid value are both one-line InputErrors naming the
 * detector and the option. Small builders keep the common fields' bounds and messages alike across detectors.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';

/** An integer ≥ min (default 1), defaulted. */
export function integerOption(defaultValue: number, min = 1) {
  return z
    .number({ error: `must be an integer ≥ ${min}` })
    .int({ error: `must be an integer ≥ ${min}` })
    .min(min, { error: `must be an integer ≥ ${min}` })
    .default(defaultValue);
}

/** A finite number > 0, defaulted. */
export function positiveOption(defaultValue: number) {
  return z
    .number({ error: 'must be a positive number' })
    .positive({ error: 'must be a positive number' })
    .refine(Number.isFinite, { error: 'must be a positive number' })
    .default(defaultValue);
}

/** A level in (0, 1), defaulted. */
export function levelOption(defaultValue: number) {
  return z
    .number({ error: 'must be a number between 0 and 1' })
    .gt(0, { error: 'must be a number between 0 and 1' })
    .lt(1, { error: 'must be a number between 0 and 1' })
    .default(defaultValue);
}

/** One of the given strings, defaulted. */
export function choiceOption<const T extends readonly [string, ...string[]]>(choices: T, defaultValue: T[number]) {
  return z.enum(choices, { error: `must be one of ${choices.join(', ')}` }).default(defaultValue);
}

/** The Gaussian-kernel bandwidth fields shared by the MMD tests (kernels/gaussianBandwidth.ts). */
export const bandwidthFields = {
  bandwidth: z
    .union([z.literal('median'), z.number().positive().refine(Number.isFinite)], {
      error: "must be 'median' or a positive number",
    })
    .default('median'),
  bandwidthMultiplier: positiveOption(1),
};

/**
 * Options parsed against a detector's schema: the defaults for anything not given; an unknown option or a bad
 * value → InputError "<detector>: option "<name>" …; options: a, b, c".
 */
export function parseOptionsFor<O>(detector: string, schema: z.ZodType<O>, options: unknown): O {
  const parsed = schema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const known = optionNames(schema);
  const list = known.length > 0 ? `; options: ${known.join(', ')}` : '';
  const issue = parsed.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    throw new InputError(`${detector}: unknown option${issue.keys.length > 1 ? 's' : ''} ${keys}${list}`);
  }
  if (issue.path.length === 0) throw new InputError(`${detector}: options must be an object${list}`);
  const path = issue.path.map(String).join('.');
  const given = valueAt(options, issue.path);
  throw new InputError(`${detector}: option "${path}" ${plainMessage(issue.message)}, got ${show(given)}`);
}

/** The option names of an object schema (empty for other schemas). */
export function optionNames(schema: z.ZodType): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

function plainMessage(message: string): string {
  // zod's own messages ("Invalid input: expected number, received string") read as sentences of their own.
  return /^must /.test(message) ? message : `is invalid (${message})`;
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const key of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  try {
    return JSON.stringify(value).slice(0, 60);
  } catch {
    return typeof value;
  }
}
