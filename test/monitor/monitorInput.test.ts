import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/core/progress.js';
import { loadMonitorInput, type MonitorInputOptions } from '../../src/monitor/monitorInput.js';
import { buildReference } from '../../src/pipeline/buildReference.js';
import { testCacheDir } from '../helpers/repoPaths.js';

let dir: string;
let options: MonitorInputOptions;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shiftlens-monitor-input-'));
  const rows = [
    'ts,text',
    '2024-03-01T10:00Z,"great phone, works well"',
    '2024-03-01T11:00Z,',
    '2024-03-02,"battery died fast"',
  ];
  writeFileSync(path.join(dir, 'stream.csv'), `${rows.join('\n')}\n`);
  options = {
    reference: { source: 'uci-sentiment:amazon' },
    target: { source: path.join(dir, 'stream.csv') },
    model: 'wordvec:sg100d',
    normalize: false,
    cacheDir: path.join(testCacheDir, 'model-cache'),
    seed: 0,
    timeColumn: 'ts',
    tests: ['mmd', 'c2st'],
    permutations: 199,
    alpha: 0.05,
    correction: 'holm',
    minEffect: null,
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('monitor input', () => {
  it('gives the same reference checksum and stream from a bundle as from --reference; time cells follow the kept rows', async () => {
    const direct = await loadMonitorInput(options, silentProgress);
    const { reference: _r, ...rest } = options;
    const { bundle } = await buildReference(
      { ...options, reference: { source: 'uci-sentiment:amazon' }, labelMap: null, permutations: 199 },
      silentProgress,
    );
    const fromBundle = await loadMonitorInput({ ...rest, bundle }, silentProgress);
    expect(fromBundle.reference.checksum).toBe(direct.reference.checksum);
    expect(direct.reference.vectors.rows).toBe(1000);
    expect(Array.from(fromBundle.stream.vectors.data)).toEqual(Array.from(direct.stream.vectors.data));
    // The row with an empty text is dropped (and counted); its time cell goes with it.
    expect(direct.stream.timeCells).toEqual(['2024-03-01T10:00Z', '2024-03-02']);
    expect(direct.stream.dataset.counts.nEmpty).toBe(1);
  }, 120_000);

  it('names --time-column when the stream lacks that column', async () => {
    await expect(loadMonitorInput({ ...options, timeColumn: 'when' }, silentProgress)).rejects.toThrow(
      /stream\.csv: no column "when" \(--time-column\); columns found: "ts", "text"/,
    );
  }, 60_000);
});
