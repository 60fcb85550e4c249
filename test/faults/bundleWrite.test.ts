/**
 * A reference bundle is written all-or-nothing: on a full disk the write fails in one line naming the cause and
 * what to do, leaves no partial or temporary file, and a bundle already at that path stays whole and readable.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createMatrix } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { readBundle, writeBundle } from '../../src/bundle/bundleFile.js';
import { buildReference } from '../../src/pipeline/buildReference.js';
import { defaultCompareOptions } from '../../src/pipeline/compareOptions.js';
import type { ReferenceBundle } from '../../src/bundle/referenceBundle.js';
import { mountTmpfs, tempDirSync, unmount } from './faultHelpers.js';

const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted) unmount(dir);
});

describe('writeBundle on a full disk', () => {
  it('fails in one line, leaves no temporary file, and keeps the previous bundle whole', async (ctx) => {
    const disk = path.join(tempDirSync(), 'disk');
    if (!mountTmpfs(disk, 'size=256k')) return ctx.skip();
    mounted.push(disk);
    const rows = (n: number) =>
      createMatrix(
        n,
        16,
        Float32Array.from({ length: n * 16 }, (_, i) => Math.sin(i * 0.37)),
      );
    const small = rows(60);
    const { bundle } = await buildReference(
      {
        ...defaultCompareOptions({ source: 'reference.npy' }, { source: 'target.npy' }),
        tests: ['mmd', 'centroid'],
        permutations: 99,
      },
      silentProgress,
      {
        reference: {
          source: 'reference.npy',
          texts: null,
          vectors: small,
          labels: null,
          origins: Array.from({ length: 60 }, (_, i) => `reference.npy row ${i}`),
          counts: { nRead: 60, nEmpty: 0, nDuplicate: 0, nSampledOut: 0, skipped: [] },
        },
      },
    );
    const file = path.join(disk, 'ref.shiftlens');
    const first = await writeBundle(file, bundle);
    // A bundle far larger than what is left on the disk (4,000 × 16 float32 plus texts).
    const big = rows(4000);
    const huge: ReferenceBundle = {
      ...bundle,
      reference: {
        ...bundle.reference,
        vectors: big,
        dataset: {
          ...bundle.reference.dataset,
          vectors: big,
          origins: Array.from({ length: 4000 }, (_, i) => `reference.npy row ${i} ${'x'.repeat(40)}`),
        },
      },
    };
    const error = await writeBundle(file, huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/no space left on the device \(ENOSPC\); choose another --out$/);
    expect((error as Error).message).not.toContain('\n');
    expect(readdirSync(disk)).toEqual(['ref.shiftlens']);
    const kept = await readBundle(file);
    expect(kept.file.checksum).toBe(first.checksum);
    expect(kept.reference.vectors.rows).toBe(60);
  });
});
