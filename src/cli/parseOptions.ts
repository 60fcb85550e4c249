/** Parsers for CLI option values: each rejects bad values with an InputError naming the option. */
import { InputError } from '../core/errors.js';
import { DEFAULT_TESTS, MIN_EFFECT_TEST_NAMES, TEST_NAMES, type TestName } from '../pipeline/compareOptions.js';

/** An integer in [min, max] (max defaults to the largest exactly representable integer). */
export function parseIntegerOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER, why = '') {
  return (value: string): number => {
    const n = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      throw new InputError(`${name} must be an integer ${range}${why}, got "${value}"`);
    }
    return n;
  };
}

/** The bounds live with the options (the library's schema checks the same ones). */
export { MAX_PERMUTATIONS, MAX_SEED } from '../pipeline/compareOptions.js';

export function parseNumberOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InputError(`${name} must be a number in [${min}, ${max}], got "${value}"`);
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
    const from = part.slice(0, eq).trim();
    if (Object.hasOwn(map, from)) {
      throw new InputError(`--label-map names label "${from}" twice ("${value}"): give each label one new name`);
    }
    map[from] = part.slice(eq + 1).trim();
  }
  return map;
}

/** --tests help: the default tests and the other choices (all from the detector registry). */
export const TESTS_HELP = `comma-separated tests (default ${DEFAULT_TESTS.join(',')}; also ${TEST_NAMES.filter((t) => !DEFAULT_TESTS.includes(t)).join(',')})`;

export function parseTests(value: string): TestName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(TEST_NAMES as readonly string[]).includes(name)) {
      throw new InputError(`--tests: unknown test "${name}"; choose from ${TEST_NAMES.join(', ')}`);
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

/** "0.05" → 0.05 for every test; "c2st=0.1,mmd=0.05" → per test (tests not named have no minimum). */
export function parseMinEffect(value: string): number | Record<string, number> {
  const single = Number(value);
  if (value.trim() !== '' && Number.isFinite(single)) {
    if (single < 0) throw new InputError(`--min-effect must be ≥ 0, got "${value}"`);
    return single;
  }
  const map: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [name, raw, extra] = part.split('=').map((x) => x.trim());
    const n = Number(raw);
    if (extra !== undefined || !name || raw === undefined || raw === '' || !Number.isFinite(n) || n < 0) {
      throw new InputError(
        `--min-effect expects a number or "test=value,test=value" (e.g. "c2st=0.1,mmd=0.05"), got "${value}"`,
      );
    }
    if (!MIN_EFFECT_TEST_NAMES.includes(name)) {
      throw new InputError(`--min-effect: unknown test "${name}"; choose from ${MIN_EFFECT_TEST_NAMES.join(', ')}`);
    }
    map[name] = n;
  }
  return map;
}
