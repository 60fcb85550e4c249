import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createMatrix, fromRows } from '../../src/core/matrix.js';
import { embedPrecomputed, precomputedInfo } from '../../src/embed/precomputed.js';

describe('precomputed vectors', () => {
  it('passes vectors through unchanged (as a copy), or L2-normalised on request', () => {
    const m = fromRows([
      [3, 4],
      [0, 0],
      [-1, 0],
    ]);
    const out = embedPrecomputed(m, 'ref.npy');
    expect(Array.from(out.vectors.data)).toEqual([3, 4, 0, 0, -1, 0]);
    expect(out.vectors.data).not.toBe(m.data);
    expect(out).toMatchObject({ nTruncated: 0, oovRate: null, nNoKnownToken: 0, nCached: 0 });
    const unit = embedPrecomputed(m, 'ref.npy', { normalize: true });
    expect(Array.from(unit.vectors.data)).toEqual([0.6000000238418579, 0.800000011920929, 0, 0, -1, 0]);
    expect(Array.from(m.data)).toEqual([3, 4, 0, 0, -1, 0]);
    expect(precomputedInfo(2, true)).toMatchObject({
      id: 'precomputed',
      backend: 'precomputed',
      dim: 2,
      pooling: 'precomputed',
    });
  });

  it('names the row and dimension of a non-finite value', () => {
    const m = fromRows([
      [1, 2],
      [3, Number.NaN],
    ]);
    expect(() => embedPrecomputed(m, 'target.jsonl')).toThrow(InputError);
    expect(() => embedPrecomputed(m, 'target.jsonl')).toThrow(
      /target\.jsonl: row 2 has a non-finite value \(NaN\) in dimension 2/,
    );
    expect(() => embedPrecomputed(fromRows([[Infinity, 0]]), 'x.npy', { origins: ['x.npy row 7'] })).toThrow(
      /x\.npy row 7/,
    );
  });

  it('rejects mismatched dimensions and empty input', () => {
    expect(() => embedPrecomputed(fromRows([[1, 2, 3]]), 'target.npy', { expectedDim: 2 })).toThrow(
      /3-d but the other side's are 2-d/,
    );
    expect(() => embedPrecomputed(createMatrix(0, 4), 'ref.npy')).toThrow(/no vectors/);
  });
});
