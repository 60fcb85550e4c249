/**
 * Every way compare()'s options can be wrong gives an InputError (exit code 2 in a CLI wrapper) whose one-line
 * message names the option — and, for data, the row and column — before any work; never a raw TypeError.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compare, type CompareInput } from '../../src/api/index.js';
import { InputError } from '../../src/core/errors.js';
import { createMatrix } from '../../src/core/matrix.js';
import { sharedTableCacheDir } from '../embed/testCache.js';

const texts = ['the food was good', 'slow service and cold soup'];
const others = ['battery died in a day', 'great phone for the price'];
const vectors = [
  [1, 2],
  [3, 4],
];
const scratch = mkdtempSync(path.join(tmpdir(), 'shiftlens-api-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const aFile = path.join(scratch, 'a-file');
writeFileSync(aFile, 'x');

/** [what is wrong, the options, what the message must say]. */
const CASES: [string, unknown, RegExp][] = [
  ['no options at all', undefined, /^compare takes one options object .*got undefined$/],
  ['options not an object', 'reference.csv', /^compare takes one options object .*got "reference\.csv"$/],
  ['reference missing', { target: texts }, /^compare: reference is required: give texts \(string\[\]\) or vectors/],
  ['target missing', { reference: texts }, /^compare: target is required/],
  [
    'reference a file path',
    { reference: 'train.csv', target: texts },
    /^compare: reference must be texts .*got "train\.csv": for a file or corpus, read it with loadDataset\(\)/,
  ],
  ['reference empty', { reference: [], target: texts }, /^compare: reference is empty/],
  [
    'a number among texts',
    { reference: ['a', 5], target: texts },
    /^compare: reference\[1\] must be a string .*got 5$/,
  ],
  [
    'texts on one side, vectors on the other',
    { reference: texts, target: vectors },
    /^compare: target holds vectors but reference holds texts/,
  ],
  [
    'dimensions differ',
    { reference: vectors, target: [[1], [2]] },
    /^compare: target has 1-dimensional vectors but reference has 2-dimensional ones/,
  ],
  [
    'NaN in number[][]',
    {
      reference: [
        [1, 2],
        [3, Number.NaN],
      ],
      target: vectors,
    },
    /^compare: reference\[1\]\[1\] is NaN; .*row 1$/,
  ],
  [
    'Infinity in Float32Array[]',
    { reference: vectors, target: [new Float32Array([1, 2]), new Float32Array([Number.POSITIVE_INFINITY, 0])] },
    /^compare: target\[1\]\[0\] is Infinity; vectors must hold finite numbers/,
  ],
  [
    'NaN in a Matrix',
    { reference: createMatrix(2, 2, new Float32Array([1, 2, 3, Number.NaN])), target: vectors },
    /^compare: reference row 1, column 1 is NaN/,
  ],
  [
    'Matrix data of the wrong length',
    { reference: { rows: 2, cols: 2, data: new Float32Array(3) }, target: vectors },
    /^compare: reference\.data has 3 values but rows × cols = 4$/,
  ],
  [
    'beyond float32',
    {
      reference: [
        [1, 2],
        [3, 1e39],
      ],
      target: vectors,
    },
    /^compare: reference\[1\]\[1\] is 1e\+39, beyond float32/,
  ],
  [
    'a string in a vector',
    {
      reference: [
        [1, 2],
        [3, '4'],
      ],
      target: vectors,
    },
    /^compare: reference\[1\]\[1\] must be a number, got "4"$/,
  ],
  [
    'ragged vectors',
    { reference: [[1, 2], [3]], target: vectors },
    /^compare: reference\[1\] has 1 values but the first vector has 2/,
  ],
  [
    'model with vectors',
    { reference: vectors, target: vectors, model: 'wordvec:sg100d' },
    /^compare: model applies to texts/,
  ],
  [
    'labels of the wrong length',
    { reference: texts, target: others, labels: { reference: ['pos'] } },
    /^compare: labels\.reference has 1 entries but reference has 2 rows/,
  ],
  [
    'a boolean label',
    { reference: texts, target: others, labels: { target: ['a', true] } },
    /^compare: labels\.target\[1\] must be a string, a finite number or null, got true$/,
  ],
  [
    'labels not per side',
    { reference: texts, target: others, labels: ['a', 'b'] },
    /^compare: labels must be an object, got an array of 2$/,
  ],
  [
    'misspelt side',
    { reference: texts, target: others, groups: { refrence: ['a', 'b'] } },
    /^compare: unknown option "refrence" in groups$/,
  ],
  [
    'ids of the wrong length',
    { reference: texts, target: others, ids: { target: ['x', 'y', 'z'] } },
    /^compare: ids\.target has 3 entries but target has 2 rows/,
  ],
  [
    'misspelt option',
    { reference: texts, target: others, permutation: 500 },
    /^compare: unknown option "permutation" \(did you mean "permutations"\?\)$/,
  ],
  [
    'unknown option',
    { reference: texts, target: others, colour: 'red' },
    /^compare: unknown option "colour"; the options are reference, target, /,
  ],
  [
    'alpha as a string',
    { reference: texts, target: others, alpha: '0.05' },
    /^compare: alpha must be a number, got "0\.05"$/,
  ],
  ['alpha too large', { reference: texts, target: others, alpha: 0.7 }, /^compare: alpha must be ≤ 0\.5, got 0\.7$/],
  [
    'too few permutations',
    { reference: texts, target: others, permutations: 10 },
    /^compare: permutations must be ≥ 19, got 10$/,
  ],
  [
    'fractional permutations',
    { reference: texts, target: others, permutations: 99.5 },
    /^compare: permutations must be an integer, got 99\.5$/,
  ],
  ['negative seed', { reference: texts, target: others, seed: -1 }, /^compare: seed must be ≥ 0, got -1$/],
  [
    'seed beyond 32 bits',
    { reference: texts, target: others, seed: 2 ** 32 },
    /^compare: seed must be ≤ 4294967295, got 4294967296$/,
  ],
  [
    'unknown test',
    { reference: texts, target: others, tests: ['mmd', 'ttest'] },
    /^compare: tests\[1\] must be one of (".+", )+".+", got "ttest"$/,
  ],
  ['no tests', { reference: texts, target: others, tests: [] }, /^compare: tests must have at least 1 entries, got 0$/],
  [
    'unknown correction',
    { reference: texts, target: others, correction: 'fdr' },
    /^compare: correction must be one of "holm", "bonferroni", got "fdr"$/,
  ],
  [
    'minEffect as text',
    { reference: texts, target: others, minEffect: 'c2st=0.1' },
    /^compare: minEffect must be a number ≥ 0 \(every test\) or an object/,
  ],
  [
    'verdict threshold out of range',
    { reference: texts, target: others, verdictThresholds: { maxTransferGap: 5 } },
    /^compare: verdictThresholds\.maxTransferGap must be ≤ 1, got 5$/,
  ],
  [
    'unknown verdict threshold',
    { reference: texts, target: others, verdictThresholds: { maxGap: 0.1 } },
    /^compare: unknown option "maxGap" in verdictThresholds$/,
  ],
  ['maxRows below 2', { reference: texts, target: others, maxRows: 1 }, /^compare: maxRows must be ≥ 2, got 1$/],
  [
    'unknown pooling',
    { reference: texts, target: others, pooling: 'avg' },
    /^compare: pooling must be one of "mean", .*got "avg"$/,
  ],
  [
    'embedWorkers wrong',
    { reference: texts, target: others, embedWorkers: 'many' },
    /^compare: embedWorkers must be an integer ≥ 1 or "auto"$/,
  ],
  ['empty model', { reference: texts, target: others, model: '  ' }, /^compare: model must not be empty$/],
  ['model a number', { reference: texts, target: others, model: 3 }, /^compare: model must be a string, got 3$/],
  [
    'labelMap values not strings',
    { reference: texts, target: others, labelMap: { 0: 1 } },
    /^compare: labelMap\.0 must be a string, got 1$/,
  ],
  [
    'progress wrong',
    { reference: texts, target: others, progress: 'yes' },
    /^compare: progress must be true, false or a Progress/,
  ],
  [
    'imageFormat without outDir',
    { reference: texts, target: others, imageFormat: 'svg' },
    /^compare: imageFormat needs outDir/,
  ],
  [
    'outDir is a file',
    { reference: vectors, target: vectors, outDir: aFile },
    /^outDir .*a-file is an existing file, not a folder/,
  ],
  [
    'one usable text',
    { reference: ['only one', '   '], target: others, cacheDir: sharedTableCacheDir },
    /^reference \(in memory\): only 1 usable sample \(2 read; dropped 1 empty\); need at least 2$/,
  ],
];

describe('compare() refuses bad options with one line naming the option', () => {
  it.each(CASES)('%s', async (_what, options, message) => {
    const error = await compare(options as CompareInput).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    const text = (error as InputError).message;
    expect(text).not.toContain('\n');
    expect(text).toMatch(message);
    expect((error as InputError).exitCode).toBe(2);
  });
});
