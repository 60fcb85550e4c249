/**
 * Bad options end in one line on stderr with the `shiftlens: error:` prefix and exit 2 — commander's own usage
 * errors included — before any work; out-of-range --permutations and --seed are refused with their bounds.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PERMUTATIONS, MAX_SEED, parseIntegerOption, parseLabelMap } from '../../src/cli/parseOptions.js';
import { runCli } from '../cli/runCli.js';
import { lines, tempDirSync } from './faultHelpers.js';

const sides = ['--reference', 'uci-sentiment:amazon', '--target', 'uci-sentiment:yelp'];

describe('bad options through the CLI: one line, exit 2', () => {
  it.each([
    [['compare', ...sides, '--bogus'], "shiftlens: error: unknown option '--bogus' (run with --help for usage)"],
    [
      ['compare', '--reference', 'uci-sentiment:amazon'],
      "shiftlens: error: required option '--target <source>' not specified (run with --help for usage)",
    ],
    [
      ['compare', ...sides, '--seed'],
      "shiftlens: error: option '--seed <n>' argument missing (run with --help for usage)",
    ],
    [
      ['compare', ...sides, '--pooling', 'median'],
      "shiftlens: error: option '--pooling <how>' argument 'median' is invalid. Allowed choices are mean, cls, last, sif, max. (run with --help for usage)",
    ],
    [['compre'], "shiftlens: error: unknown command 'compre' (Did you mean compare?) (run with --help for usage)"],
    [
      ['compare', ...sides, '--permutations', '1e9'],
      `shiftlens: error: --permutations must be an integer from 19 to ${MAX_PERMUTATIONS}`,
    ],
    [
      ['compare', ...sides, '--seed', '99999999999999999999'],
      `shiftlens: error: --seed must be an integer from 0 to ${MAX_SEED}, got "99999999999999999999"`,
    ],
    [['compare', ...sides, '--label-map', '0=neg,4=pos,0=pos'], 'shiftlens: error: --label-map names label "0" twice'],
  ])('%j', async (args, message) => {
    const out = path.join(tempDirSync(), 'out');
    const run = await runCli([args[0], '--out', out, ...args.slice(1)]);
    expect(run.code).toBe(2);
    const got = lines(run.stderr);
    expect(got).toHaveLength(1);
    expect(got[0].startsWith(message)).toBe(true);
    expect(run.stdout).toBe('');
  });
});

describe('option parsers', () => {
  it('integers: whole, in range, no blanks, no lost digits', () => {
    const seed = parseIntegerOption('--seed', 0, MAX_SEED);
    expect(seed('0')).toBe(0);
    expect(seed(String(MAX_SEED))).toBe(4294967295);
    for (const bad of ['', ' ', '-1', '1.5', '4294967296', '99999999999999999999', 'abc', 'NaN', 'Infinity']) {
      expect(() => seed(bad)).toThrow('--seed must be an integer from 0 to 4294967295');
    }
    const permutations = parseIntegerOption('--permutations', 19, MAX_PERMUTATIONS);
    expect(permutations('1e5')).toBe(100000);
    expect(() => permutations('100001')).toThrow(/from 19 to 100000/);
    expect(parseIntegerOption('--top', 0)('12')).toBe(12);
    expect(() => parseIntegerOption('--top', 0)('2e16')).toThrow('--top must be an integer ≥ 0');
  });

  it('--label-map: a label renamed twice is refused; two labels merged into one is allowed', () => {
    expect(() => parseLabelMap('0=negative,0=positive')).toThrow('names label "0" twice');
    expect(() => parseLabelMap(' 0 =a, 0=b')).toThrow('names label "0" twice');
    expect(parseLabelMap('0=negative,1=negative,4=positive')).toEqual({ 0: 'negative', 1: 'negative', 4: 'positive' });
  });
});
