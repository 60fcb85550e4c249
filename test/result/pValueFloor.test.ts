/** The p-value floor: every p-value field in (0, 1], nothing else touched; text shows a floored p as "< 1e-300". */
import { describe, expect, it } from 'vitest';
import { P_VALUE_FLOOR, withPValueFloor } from '../../src/result/pValueFloor.js';
import { formatPValue } from '../../src/report/format.js';
import { resultSchema } from '../../src/result/schema.js';

describe('p-value floor', () => {
  it('floors zero and subnormal p-values in every p-value field, deep; leaves other numbers and valid p alone', () => {
    const input = {
      tests: [
        { name: 'c2st', pValue: 0, pValueAdjusted: 0, statistic: 0, details: { perComponentPValues: [0, 0.5] } },
        { name: 'mmd-rff', pValue: 4.9e-324, pValueAdjusted: 1e-310, effectSize: 0 },
        { name: 'mmd', pValue: 0.001, pValueAdjusted: 0.003, effectSize: 1e-320 },
        { name: 'centroid', pValue: null, pValueAdjusted: null },
      ],
      length: { ksStatistic: 0, pValue: 0 },
      samples: { top: [{ knnPValue: 0.02, knnDistance: 0 }] },
      seed: 0,
    };
    const out = withPValueFloor(input);
    expect(out.tests[0]).toEqual({
      name: 'c2st',
      pValue: P_VALUE_FLOOR,
      pValueAdjusted: P_VALUE_FLOOR,
      statistic: 0,
      details: { perComponentPValues: [P_VALUE_FLOOR, 0.5] },
    });
    expect(out.tests[1]).toMatchObject({ pValue: 1e-300, pValueAdjusted: 1e-300, effectSize: 0 });
    expect(out.tests[2]).toEqual(input.tests[2]);
    expect(out.tests[3]).toEqual(input.tests[3]);
    expect(out.length).toEqual({ ksStatistic: 0, pValue: 1e-300 });
    expect(out.samples).toEqual(input.samples);
    expect(input.tests[0].pValue).toBe(0); // a copy: the input is not changed
  });

  it('the schema refuses p = 0 and accepts the floor', () => {
    const shape = resultSchema.shape.length.unwrap();
    const length = { meanWordsReference: 1, meanWordsTarget: 2, ksStatistic: 0.5 };
    expect(shape.safeParse({ ...length, pValue: 0 }).success).toBe(false);
    expect(shape.safeParse({ ...length, pValue: P_VALUE_FLOOR }).success).toBe(true);
  });

  it('text shows the floor as "< 1e-300", other small p-values as they are', () => {
    expect(formatPValue(P_VALUE_FLOOR)).toBe('< 1e-300');
    expect(formatPValue(2e-300)).toBe('2.0e-300');
    expect(formatPValue(0.0004)).toBe('4.0e-4');
    expect(formatPValue(0.05)).toBe('0.050');
  });
});
