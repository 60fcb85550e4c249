/**
 * A model spec or model option the run could not use is refused by compare(), buildReference(), check() and
 * runEmbedExport() (with a column its file lacks) before any row is taken in, with the CLI's own line (src/cli/preflight.ts and the library share checkModelSpec). The
 * evidence that nothing was read: a side whose rows are unusable (one usable text: building its Dataset fails on
 * that first), no progress task started, no cache folder and no output folder created.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReference, check, compare } from '../../src/api/index.js';
import type { ReferenceBundle } from '../../src/bundle/referenceBundle.js';
import { InputError } from '../../src/core/errors.js';
import type { Progress } from '../../src/core/progress.js';
import { runEmbedExport } from '../../src/pipeline/embedExport.js';
import { sharedTableCacheDir } from '../embed/testCache.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'shiftlens-api-early-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Reading this side fails ("only 1 usable sample"): an error about the model proves it was not read. */
const unusable = ['only one usable text', '   '];
const fine = ['the food was good', 'slow service and cold soup'];

let fresh = 0;
/** A cache folder, an output folder and a Progress that records every task it is asked to start. */
function witnesses() {
  fresh++;
  const tasks: string[] = [];
  const progress: Progress = {
    start: (label) => {
      tasks.push(label);
      return { increment: () => {}, done: () => {} };
    },
    note: () => {},
  };
  return {
    cacheDir: path.join(scratch, `cache-${fresh}`),
    outDir: path.join(scratch, `out-${fresh}`),
    progress,
    tasks,
  };
}

async function refusal(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(2);
  return (error as InputError).message;
}

/** [what is wrong, the model options, the CLI's line for the same mistake]. */
const CASES: [string, Record<string, unknown>, string][] = [
  [
    'an unknown word-vector model',
    { model: 'wordvec:nope' },
    'unknown word-vector model "nope" in --model wordvec:nope; available: wordvec:sg100d',
  ],
  ['an unknown model kind', { model: 'bogus:x' }, 'unknown model spec "bogus:x"; use '],
  [
    'precomputed for texts',
    { model: 'precomputed' },
    '--model precomputed applies to datasets that carry vectors (.npy, .parquet, embeddings JSONL); for text data choose a model',
  ],
  [
    'pooling for a server model',
    { model: 'openai:text-embedding-3-small', pooling: 'mean' },
    '--pooling does not apply to openai:text-embedding-3-small: the server pools and truncates',
  ],
  [
    'endpoint settings for word vectors',
    { endpoint: { url: 'http://127.0.0.1:11434/v1' } },
    'the --embed-* options apply to openai:<model> only, not to wordvec:sg100d',
  ],
  [
    'an endpoint that is not a URL',
    { model: 'openai:nomic-embed-text', endpoint: { url: 'not a url' } },
    '--embed-url "not a url" is not a URL; give the API base, e.g. http://127.0.0.1:11434/v1',
  ],
];

describe('compare() refuses the model before reading a side', () => {
  it.each(CASES)('%s', async (_what, model, line) => {
    const w = witnesses();
    const message = await refusal(
      compare({
        reference: unusable,
        target: fine,
        cacheDir: w.cacheDir,
        outDir: w.outDir,
        progress: w.progress,
        ...model,
      }),
    );
    expect(message.startsWith(line)).toBe(true);
    expect(message).not.toContain('\n');
    expect(w.tasks).toEqual([]);
    expect(existsSync(w.cacheDir)).toBe(false);
    expect(existsSync(w.outDir)).toBe(false);
  });

  it('still reports the side when the model is usable (the same rows are refused once the model passes)', async () => {
    const w = witnesses();
    const message = await refusal(
      compare({ reference: unusable, target: fine, cacheDir: sharedTableCacheDir, progress: w.progress }),
    );
    expect(message).toMatch(/^reference \(in memory\): only 1 usable sample/);
  });
});

describe('buildReference() refuses the model before reading the reference', () => {
  it.each(CASES)('%s', async (_what, model, line) => {
    const w = witnesses();
    const message = await refusal(
      buildReference({ reference: unusable, cacheDir: w.cacheDir, progress: w.progress, ...model }),
    );
    expect(message.startsWith(line)).toBe(true);
    expect(w.tasks).toEqual([]);
    expect(existsSync(w.cacheDir)).toBe(false);
  });
});

describe("check() checks the bundle's model with the options given before reading the target", () => {
  let bundle: ReferenceBundle;
  beforeAll(async () => {
    bundle = (await buildReference({ reference: fine, cacheDir: sharedTableCacheDir, permutations: 199 })).bundle;
  });

  it('endpoint settings for a word-vector bundle', async () => {
    const w = witnesses();
    const message = await refusal(
      check(bundle, {
        target: unusable,
        endpoint: { url: 'http://127.0.0.1:11434/v1' },
        cacheDir: w.cacheDir,
        outDir: w.outDir,
        progress: w.progress,
      }),
    );
    expect(message).toBe('the --embed-* options apply to openai:<model> only, not to wordvec:sg100d');
    expect(w.tasks).toEqual([]);
    expect(existsSync(w.cacheDir)).toBe(false);
    expect(existsSync(w.outDir)).toBe(false);
  });

  it('a bundle whose model spec this version does not know', async () => {
    const w = witnesses();
    const unknown = { ...bundle, model: { ...bundle.model, spec: 'wordvec:sg300d' } };
    const message = await refusal(check(unknown, { target: unusable, cacheDir: w.cacheDir, progress: w.progress }));
    expect(message).toBe('unknown word-vector model "sg300d" in --model wordvec:sg300d; available: wordvec:sg100d');
    expect(w.tasks).toEqual([]);
  });
});

describe('runEmbedExport (a file source): refused before a row is read', () => {
  // A CSV whose only usable row would be read and embedded if the checks came later.
  const csv = path.join(scratch, 'tickets.csv');
  beforeAll(() => writeFileSync(csv, 'body,ticket\n"where is my order",T-1\n"refund please",T-2\n'));
  /** The run's options; the folder of --out exists (it must), and the vectors would go in it. */
  const base = (w: ReturnType<typeof witnesses>) => {
    mkdirSync(w.outDir, { recursive: true });
    return {
      input: { source: csv, textColumn: 'body' },
      out: path.join(w.outDir, 'vectors.npy'),
      seed: 0,
      normalize: false,
      cacheDir: w.cacheDir,
      artifactsDir: sharedTableCacheDir,
    };
  };

  it('an unknown model: the CLI line, no task, nothing written', async () => {
    const w = witnesses();
    const message = await refusal(runEmbedExport({ ...base(w), model: 'wordvec:nope' }, w.progress));
    expect(message).toBe('unknown word-vector model "nope" in --model wordvec:nope; available: wordvec:sg100d');
    expect(w.tasks).toEqual([]);
    expect(readdirSync(w.outDir)).toEqual([]);
  });

  it('a text column the file does not have: named with the columns it has', async () => {
    const w = witnesses();
    const run = { ...base(w), input: { source: csv, textColumn: 'text' }, model: 'wordvec:sg100d' };
    const message = await refusal(runEmbedExport(run, w.progress));
    expect(message).toMatch(/text/);
    expect(message).toMatch(/body/);
    expect(w.tasks).toEqual([]);
    expect(readdirSync(w.outDir)).toEqual([]);
  });
});
