/**
 * The round trip of issue 11: build a reference bundle, write it, read it back, check a target against it — and
 * get exactly what compare gives on the same data and seed (result.json apart from timings and the bundle block,
 * and every target score). Also: the vector-source path, a sampled bundle, and the model checks at check time.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createMatrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { BUNDLE_FORMAT_VERSION, BUNDLE_MAGIC } from '../../src/bundle/bundleContainer.js';
import { readBundle, writeBundle } from '../../src/bundle/bundleFile.js';
import type { ReferenceBundle } from '../../src/bundle/referenceBundle.js';
import { buildReference } from '../../src/pipeline/buildReference.js';
import { checkTarget } from '../../src/pipeline/check.js';
import { runCompare, type CompareRun } from '../../src/pipeline/compare.js';
import { defaultCompareOptions, type CompareOptions } from '../../src/pipeline/compareOptions.js';
import { writeCompareOutputs } from '../../src/pipeline/writeCompareOutputs.js';
import type { ShiftlensResult } from '../../src/result/resultTypes.js';
import { sharedTableCacheDir } from '../embed/testCache.js';
import { float32Npy, tempFolder } from '../ingest/tempFiles.js';

const write = tempFolder();

/** Everything but wall-clock times and the bundle block must be identical. */
function comparable(result: ShiftlensResult) {
  const { createdAt: _c, timings: _t, bundle: _b, tests, ...rest } = result;
  return { ...rest, tests: tests.map(({ timingMs: _ms, ...t }) => t) };
}

async function outputsOf(run: CompareRun, name: string, seed: number): Promise<string> {
  const dir = path.join(path.dirname(write(`${name}.keep`, '')), name);
  await writeCompareOutputs(run, { outDir: dir, seed });
  return readFileSync(path.join(dir, 'target-scores.csv'), 'utf8');
}

async function buildCheckCompare(options: CompareOptions, name: string, expectModel = true) {
  const compared = await runCompare(options, silentProgress);
  const built = await buildReference(options, silentProgress);
  const file = path.join(path.dirname(write(`${name}.x`, '')), `${name}.shiftlens`);
  await writeBundle(file, built.bundle);
  const loaded = await readBundle(file, expectModel ? { model: options.model } : undefined);
  const { reference: _r, ...checkOptions } = options;
  const checked = await checkTarget(loaded, checkOptions, silentProgress);
  return { compared, checked, loaded, file, built };
}

describe('check against a bundle equals compare', () => {
  it('on labelled texts (word vectors): every test, score, probe number and the verdict', async () => {
    const options: CompareOptions = {
      ...defaultCompareOptions(
        { source: 'uci-sentiment:amazon', labelColumn: 'class' },
        { source: 'uci-sentiment:yelp', labelColumn: 'class' },
      ),
      cacheDir: sharedTableCacheDir,
      maxRows: 120,
      seed: 11,
      permutations: 199,
    };
    const { compared, checked, loaded } = await buildCheckCompare(options, 'labelled');
    expect(compared.result.tests.length).toBeGreaterThanOrEqual(6);
    expect(compared.result.probe?.transfer).not.toBeNull();
    expect(compared.result.wordShift).not.toBeNull();
    expect(comparable(checked.result)).toEqual(comparable(compared.result));
    expect(await outputsOf(checked, 'checked', 11)).toBe(await outputsOf(compared, 'compared', 11));
    // The check names its bundle; compare has none.
    expect(compared.result.bundle).toBeUndefined();
    expect(checked.result.bundle).toMatchObject({
      sha256: loaded.file.checksum,
      referenceRows: 120,
      referenceRowsEmbedded: 120,
    });
    expect(checked.result.timings.ingestReferenceMs).toBeUndefined();
    // What the bundle records about its model.
    expect(loaded.model).toMatchObject({ spec: 'wordvec:sg100d', normalize: false, info: { dim: 100 } });
    expect(loaded.model.fingerprint?.rows).toBe(3);
    // The suite's fitted states travel in the bundle, decoded from the file (the equality above used them).
    expect(loaded.suite?.permutations).toBe(199);
    expect(loaded.suite?.fitted.tests).toEqual(options.tests);
    expect(Object.keys(loaded.suite?.fitted.states ?? {})).toEqual(expect.arrayContaining(['mmd', 'ks-pca', 'c2st']));
    // The probe's reference side travels in the bundle: classes, weights (binary: one row of 100) and standardisation.
    expect(loaded.probe?.classes).toEqual(['negative', 'positive']); // the corpus's own label map
    expect(loaded.probe?.model.weights).toBeInstanceOf(Float64Array);
    expect(loaded.probe?.model.weights.length).toBe(100);
    expect(loaded.probe?.model.standardizer.scale.length).toBe(100);
    // Another label map at check time: the probe is fitted again on the bundle's rows, under the new names.
    const { reference: _r, ...checkOptions } = options;
    const renamed = await checkTarget(
      loaded,
      { ...checkOptions, labelMap: { '0': 'neg', '1': 'pos' } },
      silentProgress,
    );
    expect(renamed.result.probe?.classes).toEqual(['neg', 'pos']);
    expect(renamed.result.probe?.reference.accuracy).toEqual(compared.result.probe?.reference.accuracy);
  });

  it('on precomputed vectors: the vector path, and texts against a vector bundle refused', async () => {
    const rows = (n: number, shift: number) =>
      Array.from({ length: n }, (_, i) =>
        Array.from({ length: 8 }, (_, k) => Math.sin(i * 1.7 + k * 0.9) + shift * (k === 0 ? 1 : 0)),
      );
    const referenceFile = write('reference.npy', float32Npy(rows(70, 0)));
    const targetFile = write('target.npy', float32Npy(rows(60, 0.4)));
    const options: CompareOptions = {
      ...defaultCompareOptions({ source: referenceFile }, { source: targetFile }),
      seed: 3,
      permutations: 99,
    };
    const { compared, checked, loaded } = await buildCheckCompare(options, 'vectors', false);
    expect(loaded.model.spec).toBe('precomputed');
    expect(loaded.model.fingerprint).toBeNull();
    expect(comparable(checked.result)).toEqual(comparable(compared.result));
    const { reference: _r, ...checkOptions } = options;
    await expect(
      checkTarget(loaded, { ...checkOptions, target: { source: 'uci-sentiment:yelp' } }, silentProgress),
    ).rejects.toThrow(/holds texts but bundle .*vectors\.shiftlens holds precomputed vectors/);
  });

  it('keeps a seeded sample of a large reference and says so; the rows left out are counted', async () => {
    const options: CompareOptions = {
      ...defaultCompareOptions({ source: 'uci-sentiment:amazon' }, { source: 'uci-sentiment:yelp' }),
      cacheDir: sharedTableCacheDir,
      maxRows: 90,
      seed: 5,
      permutations: 99,
    };
    const built = await buildReference({ ...options, maxStoredRows: 40 }, silentProgress);
    const again = await buildReference({ ...options, maxStoredRows: 40 }, silentProgress);
    const ref = built.bundle.reference;
    expect(ref.vectors.rows).toBe(40);
    expect(ref.dataset.texts).toHaveLength(40);
    expect(ref.dataset.texts).toEqual(again.bundle.reference.dataset.texts);
    expect(ref.nEmbedded).toBe(90);
    expect(ref.dataset.counts.nSampledOut).toBe(1000 - 40);
    expect(built.warnings.join(' ')).toMatch(/seeded sample of 40 of the 90 reference rows/);
    const { reference: _r, ...checkOptions } = options;
    const checked = await checkTarget(built.bundle, checkOptions, silentProgress);
    expect(checked.result.reference.n).toBe(40);
    expect(checked.result.warnings.join(' ')).toMatch(/keeps a seeded sample of 40 of the 90 reference rows/);
    // Other permutations than the bundle was fitted for: fitted again on the bundle's rows, then tested.
    const more = await checkTarget(built.bundle, { ...checkOptions, permutations: 199 }, silentProgress);
    expect(more.result.tests.map((t) => t.name)).toEqual(checked.result.tests.map((t) => t.name));
  });

  it('with group ids keeps whole groups (the --max-rows rule); without, the same seeded row sample as before', async () => {
    // 12 threads of 1 … 12 rows (78 rows); each row's vector is [thread, row in thread, row in file].
    const lines: string[] = [];
    for (let g = 0; g < 12; g++)
      for (let r = 0; r <= g; r++)
        lines.push(JSON.stringify({ embedding: [g, r, lines.length], thread: `t${g}`, id: `row${lines.length}` }));
    const file = write('threads.jsonl', `${lines.join('\n')}\n`);
    const build = (groupColumn?: string) =>
      buildReference(
        {
          ...defaultCompareOptions({ source: file, idColumn: 'id', groupColumn }, { source: file }),
          seed: 8,
          permutations: 99,
          maxStoredRows: 20,
        },
        silentProgress,
      );
    const grouped = await build('thread');
    const ref = grouped.bundle.reference;
    const perGroup = new Map<string, number>();
    for (const g of ref.dataset.groups ?? []) perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
    // k = max(2, ⌊20 · 12 / 78⌋) = 3 threads, each with all of its rows (thread tg has g + 1).
    expect(perGroup.size).toBe(3);
    for (const [g, count] of perGroup) expect(count, `thread ${g}`).toBe(Number(g.slice(1)) + 1);
    expect(ref.nEmbedded).toBe(78);
    expect(ref.dataset.counts.nSampledOut).toBe(78 - ref.vectors.rows);
    expect(grouped.warnings.join(' ')).toMatch(
      new RegExp(`seeded sample of ${ref.vectors.rows} of the 78 reference rows, in whole groups`),
    );
    // Vectors, groups, ids and origins stay aligned, in the rows' own order.
    const fileRows = Array.from({ length: ref.vectors.rows }, (_, i) => ref.vectors.data[i * 3 + 2]);
    expect(fileRows).toEqual([...fileRows].sort((a, b) => a - b));
    ref.dataset.groups?.forEach((g, i) => {
      expect(ref.vectors.data[i * 3]).toBe(Number(g.slice(1)));
      expect(ref.dataset.ids?.[i]).toBe(`row${fileRows[i]}`);
      expect(ref.dataset.origins[i]).toMatch(new RegExp(`\\b${fileRows[i] + 1}\\b`));
    });
    expect((await build('thread')).bundle.reference.dataset.ids).toEqual(ref.dataset.ids);
    // The bundle is written and read back with its groups.
    const bundleFile = path.join(path.dirname(write('grouped.x', '')), 'grouped.shiftlens');
    await writeBundle(bundleFile, grouped.bundle);
    expect((await readBundle(bundleFile)).reference.dataset.groups).toEqual(ref.dataset.groups);

    // Without group ids: exactly 20 rows, the seeded row sample of the 'bundle-sample' stream.
    const plain = (await build()).bundle.reference;
    const expected = Array.from(createRng(8).fork('bundle-sample').sample(78, 20).sort());
    expect(Array.from({ length: plain.vectors.rows }, (_, i) => plain.vectors.data[i * 3 + 2])).toEqual(expected);
    expect(plain.dataset.ids).toEqual(expected.map((i) => `row${i}`));
    expect(plain.dataset.groups).toBeUndefined();
    expect(plain.dataset.counts.nSampledOut).toBe(78 - 20);
  });

  it('refuses a model that reports or embeds differently from the one the bundle was built with', async () => {
    const options: CompareOptions = {
      ...defaultCompareOptions({ source: 'uci-sentiment:amazon' }, { source: 'uci-sentiment:yelp' }),
      cacheDir: sharedTableCacheDir,
      maxRows: 30,
      permutations: 99,
    };
    const { bundle } = await buildReference(options, silentProgress);
    const { reference: _r, ...checkOptions } = options;
    const fingerprint = bundle.model.fingerprint as NonNullable<ReferenceBundle['model']['fingerprint']>;
    const changed: ReferenceBundle = {
      ...bundle,
      model: {
        ...bundle.model,
        fingerprint: createMatrix(
          3,
          100,
          fingerprint.data.map((v, i) => (i % 2 ? v : -v)),
        ),
      },
    };
    const error = await checkTarget(changed, checkOptions, silentProgress).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/now embeds fixed test sentences differently \(cosine -?0\.\d+/);
    const repooled: ReferenceBundle = {
      ...bundle,
      model: { ...bundle.model, info: { ...bundle.model.info, pooling: 'sif' } },
    };
    await expect(checkTarget(repooled, checkOptions, silentProgress)).rejects.toThrow(
      /was built with wordvec:sg100d \(pooling sif.*now loads with pooling mean instead of sif/,
    );
  });
});

describe('readBundle', () => {
  it('refuses a model other than the one asked for, in one line naming the file and what to do', async () => {
    const options: CompareOptions = {
      ...defaultCompareOptions({ source: 'uci-sentiment:amazon' }, { source: 'uci-sentiment:yelp' }),
      cacheDir: sharedTableCacheDir,
      maxRows: 20,
    };
    const { bundle } = await buildReference(options, silentProgress);
    const dir = path.dirname(write('m.x', ''));
    const file = path.join(dir, 'model.shiftlens');
    await writeBundle(file, bundle);
    expect(readdirSync(dir).filter((f) => f.includes('shiftlens-tmp'))).toEqual([]);
    for (const [expectation, wording] of [
      [
        { model: 'transformers:Xenova/all-MiniLM-L6-v2' },
        /model wordvec:sg100d, not transformers:Xenova\/all-MiniLM-L6-v2/,
      ],
      [{ pooling: 'cls' as const }, /pooling mean, not cls/],
      [{ normalize: true }, /raw embeddings, not normalised ones/],
    ] as const) {
      const error = await readBundle(file, expectation).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      const message = (error as Error).message;
      expect(message).toMatch(wording);
      expect(message).toContain(file);
      expect(message).toMatch(/leave the model options out .* or rebuild the bundle/);
      expect(message).not.toContain('\n');
    }
    await expect(readBundle(file, { model: ' wordvec:sg100d ', pooling: 'mean' })).resolves.toBeTruthy();
    await expect(readBundle(path.join(dir, 'absent.shiftlens'))).rejects.toThrow(
      /cannot read the bundle .*absent\.shiftlens: no such file/,
    );
    await expect(readBundle(dir)).rejects.toThrow(/is a folder/);
    // A bundle of another format version (checksum intact): refused as from another release, in one line.
    const bytes = readFileSync(file);
    bytes.writeUInt32LE(BUNDLE_FORMAT_VERSION + 1, BUNDLE_MAGIC.length);
    createHash('sha256')
      .update(bytes.subarray(0, bytes.length - 32))
      .digest()
      .copy(bytes, bytes.length - 32);
    const newer = path.join(dir, 'newer.shiftlens');
    writeFileSync(newer, bytes);
    await expect(readBundle(newer)).rejects.toThrow(
      new InputError(
        `bundle ${newer} is written in bundle format version ${BUNDLE_FORMAT_VERSION + 1}; this shiftlens reads version ${BUNDLE_FORMAT_VERSION} only: rebuild it with this shiftlens (\`shiftlens reference build\`), or use the shiftlens release that wrote it`,
      ),
    );
  });
});
