import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addProbeMaxFitRowsOption } from '../../src/cli/sharedFlags.js';
import { InputError } from '../../src/core/errors.js';

/** --probe-max-fit-rows as compare, probe and reference build parse it. */
function parse(...args: string[]): number | undefined {
  const command = addProbeMaxFitRowsOption(new Command().exitOverride());
  command.parse(args, { from: 'user' });
  return command.opts().probeMaxFitRows;
}

describe('--probe-max-fit-rows', () => {
  it('takes a row count, 0 or "all" for no cap, and is absent by default (the probe keeps its 5,000)', () => {
    expect(parse('--probe-max-fit-rows', '2000')).toBe(2000);
    expect(parse('--probe-max-fit-rows', '0')).toBe(Number.POSITIVE_INFINITY);
    expect(parse('--probe-max-fit-rows', 'all')).toBe(Number.POSITIVE_INFINITY);
    expect(parse()).toBeUndefined();
  });

  it('rejects anything else with one line naming the flag', () => {
    for (const bad of ['3', '-5', '1.5', 'lots', '']) {
      expect(() => parse('--probe-max-fit-rows', bad)).toThrow(InputError);
      expect(() => parse('--probe-max-fit-rows', bad)).toThrow(
        /^--probe-max-fit-rows must be an integer ≥ 4 \(or 0 or all: no cap\), got ".*"$/,
      );
    }
  });
});
