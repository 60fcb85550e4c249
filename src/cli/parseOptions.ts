/** Parsers for CLI option values: each rejects bad values with an InputError naming the option. */
import { InputError } from '../core/errors.js';
import { DEFAULT_TESTS, type TestName } from '../pipeline/compareOptions.js';

export function parseIntegerOption(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InputError(`${name} must be an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}

export function parseNumberOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InputError(`${name} must be a number in [${min}, ${max}], got "${value}"`);
    return n;
  };
}

/** "0=negative,4=positive" → {"0": "negative", "4": "positive"} */
export function parseLabelMap(value: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) {
      throw new InputError(`--label-map expects "from=to,from=to" (e.g. "0=negative,4=positive"), got "${value}"`);
    }
    map[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return map;
}

export function parseTests(value: string): TestName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!(DEFAULT_TESTS as string[]).includes(name)) {
      throw new InputError(`--tests: unknown test "${name}"; choose from ${DEFAULT_TESTS.join(', ')}`);
    }
  }
  if (names.length === 0) throw new InputError('--tests needs at least one test name');
  return names as TestName[];
}

export function parseChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InputError(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
    }
    return value as T;
  };
}
