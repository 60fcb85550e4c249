/**
 * buildReference() and check() in memory: a check of a bundle built from in-memory rows equals compare() on the
 * same rows and seed — bundle kept in memory or written to a .shiftlens file and read back — for texts and for
 * vectors; wrong bundles and options are refused in one line naming them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReference, check, compare, type CheckInput } from '../../src/api/index.js';
import { InputError } from '../../src/core/errors.js';
import type { ShiftlensResult } from '../../src/result/resultTypes.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { sharedTableCacheDir } from '../embed/testCache.js';

const folder = mkdtempSync(path.join(tmpdir(), 'shiftlens-api-bundle-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const N = 50;
const TESTS = ['mmd', 'energy', 'ks-pca', 'c2st'] as ('mmd' | 'energy' | 'ks-pca' | 'c2st')[];
const common = { cacheDir: sharedTableCacheDir, permutations: 199, tests: TESTS, seed: 5 };
let amazon: { texts: string[]; labels: string[] };
let yelp: { texts: string[]; labels: string[] };

beforeAll(async () => {
  const take = async (spec: string) => {
    const d = await loadDataset(spec, { seed: 0, labelColumn: 'class' });
    return { texts: (d.texts as string[]).slice(0, N), labels: (d.labels as string[]).slice(0, N) };
  };
  amazon = await take('uci-sentiment:amazon');
  yelp = await take('uci-sentiment:yelp');
});

/** Everything but times, the bundle block (a check names its bundle) and the timings of each test. */
function comparable(result: ShiftlensResult) {
  const { createdAt: _c, timings: _t, bundle: _b, tests, ...rest } = result;
  return { ...rest, tests: tests.map(({ timingMs: _ms, ...t }) => t) };
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  const message = (error as InputError).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('buildReference() + check() in memory', () => {
  it('equal compare() on the same texts, labels and seed, with the bundle in memory or in a file', async () => {
    const file = path.join(folder, 'amazon.shiftlens');
    const built = await buildReference({ reference: amazon.texts, labels: amazon.labels, ...common, out: file });
    expect(built.file?.path).toBe(file);
    expect(built.file?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(built.bundle.model.spec).toBe('wordvec:sg100d');
    const target = { target: yelp.texts, labels: yelp.labels, ...common };
    const compared = await compare({
      reference: amazon.texts,
      target: yelp.texts,
      labels: { reference: amazon.labels, target: yelp.labels },
      ...common,
    });
    const inMemory = await check(built.bundle, target);
    const fromFile = await check(file, target);
    expect(inMemory.result.probe).not.toBeNull();
    expect(comparable(inMemory.result)).toEqual(comparable(compared.result));
    expect(comparable(fromFile.result)).toEqual(comparable(compared.result));
    expect(fromFile.result.bundle?.sha256).toBe(built.file?.checksum);
  });

  it('equal compare() on vectors, and take the seed, tests and permutations the bundle was built with', async () => {
    const rows = (n: number, shift: number) =>
      Array.from({ length: n }, (_, i) =>
        Array.from({ length: 8 }, (_, k) => Math.sin(i * 7 + k * 3) + (k === 0 ? shift : 0)),
      );
    const reference = rows(40, 0);
    const target = rows(30, 0.5);
    const built = await buildReference({ reference, seed: 11, tests: ['mmd', 'energy'], permutations: 199 });
    // Seed, tests and permutations default to the bundle's: the suite fitted at build time is used as it is.
    const checked = await check(built.bundle, { target });
    const compared = await compare({ reference, target, seed: 11, tests: ['mmd', 'energy'], permutations: 199 });
    expect(checked.result.seed).toBe(11);
    expect(checked.result.tests.map((t) => t.name).sort()).toEqual(['energy', 'mmd']);
    expect(checked.result.model.id).toBe('precomputed');
    expect(comparable(checked.result)).toEqual(comparable(compared.result));
  });
});

describe('buildReference() and check() refuse bad input in one line naming it', () => {
  let textBundle: Awaited<ReturnType<typeof buildReference>>['bundle'];
  let vectorBundle: Awaited<ReturnType<typeof buildReference>>['bundle'];
  beforeAll(async () => {
    textBundle = (await buildReference({ reference: amazon.texts.slice(0, 10), cacheDir: sharedTableCacheDir })).bundle;
    vectorBundle = (
      await buildReference({
        reference: [
          [1, 2],
          [2, 1],
          [0, 1],
        ],
      })
    ).bundle;
  });

  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['buildReference without a reference', () => buildReference({} as never), /^buildReference: reference is required/],
    [
      'buildReference: labels of the wrong length',
      () => buildReference({ reference: ['a b', 'c d'], labels: ['x'] }),
      /^buildReference: labels has 1 entries but reference has 2 rows/,
    ],
    [
      'buildReference: model with vectors',
      () => buildReference({ reference: [[1], [2]], model: 'wordvec:sg100d' }),
      /^buildReference: model applies to texts/,
    ],
    [
      'buildReference: out not a .shiftlens file',
      () => buildReference({ reference: [[1], [2]], out: path.join(folder, 'ref.json') }),
      /^buildReference: out must name a \.shiftlens file$/,
    ],
    [
      'buildReference: a target option',
      () => buildReference({ reference: [[1], [2]], target: [[1], [2]] } as never),
      /^buildReference: unknown option "target"/,
    ],
    [
      'check: not a bundle',
      () => check({ model: 'x' } as never, { target: ['a', 'b'] }),
      /^check: bundle must be the bundle buildReference\(\) returned or the path of a \.shiftlens file, got an object$/,
    ],
    [
      'check: a missing bundle file',
      () => check(path.join(folder, 'none.shiftlens'), { target: ['a', 'b'] }),
      /none\.shiftlens/,
    ],
    ['check: without a target', () => check(vectorBundle, {} as CheckInput), /^check: target is required/],
    [
      'check: texts against a vector bundle',
      () => check(vectorBundle, { target: ['a b', 'c d'] }),
      /^check: target holds texts but the bundle holds precomputed vectors/,
    ],
    [
      'check: vectors against a text bundle',
      () => check(textBundle, { target: [[1], [2]] }),
      /^check: target holds vectors but the bundle was built by embedding texts with wordvec:sg100d/,
    ],
    [
      'check: vectors of another dimension',
      () => check(vectorBundle, { target: [[1], [2]] }),
      /^check: target has 1-dimensional vectors but the bundle's reference has 2-dimensional ones/,
    ],
    [
      'check: labels of the wrong length',
      () =>
        check(vectorBundle, {
          target: [
            [1, 2],
            [2, 3],
          ],
          labels: ['a'],
        }),
      /^check: labels has 1 entries but target has 2 rows/,
    ],
    [
      'check: another model than the bundle',
      () => check(textBundle, { target: ['a b', 'c d'], model: 'wordvec:other' }),
      /was built with model wordvec:sg100d, not wordvec:other/,
    ],
    [
      'check: a bad option',
      () =>
        check(vectorBundle, {
          target: [
            [1, 2],
            [2, 3],
          ],
          alpha: 2,
        }),
      /^check: alpha must be ≤ 0\.5, got 2$/,
    ],
  ];
  it.each(cases)('%s', async (_what, run, message) => {
    expect(await refusal(run())).toMatch(message);
  });
});
