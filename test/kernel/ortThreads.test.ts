/** The onnxruntime intra-op thread count: min(2, cores), or SHIFTLENS_ORT_THREADS when it is a positive integer. */
import { describe, expect, it } from 'vitest';
import { ortThreads } from '../../src/linalg/onnx/sessions.js';

describe('onnxruntime thread count', () => {
  it('defaults to min(2, cores), at least 1', () => {
    expect(ortThreads(undefined, 16)).toBe(2);
    expect(ortThreads(undefined, 1)).toBe(1);
    expect(ortThreads(' ', 8)).toBe(2);
  });

  it('takes a positive integer from the environment', () => {
    expect(ortThreads('1', 16)).toBe(1);
    expect(ortThreads(' 4 ', 2)).toBe(4);
  });

  it('ignores anything else, with a warning naming it', async () => {
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    expect(ortThreads('two', 16)).toBe(2);
    expect(ortThreads('0', 16)).toBe(2);
    expect(ortThreads('1.5', 1)).toBe(1);
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    process.off('warning', listen);
    expect(warnings).toEqual([
      'SHIFTLENS_ORT_THREADS="two" is not a positive integer; using the default, 2',
      'SHIFTLENS_ORT_THREADS="0" is not a positive integer; using the default, 2',
      'SHIFTLENS_ORT_THREADS="1.5" is not a positive integer; using the default, 1',
    ]);
  });
});
