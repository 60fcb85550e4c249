import { describe, expect, it } from 'vitest';
import { cutWindows } from '../../src/monitor/windows.js';
import { parseWindowSpec } from '../../src/monitor/windowSpec.js';

const DAY = 86_400_000;

describe('parseWindowSpec', () => {
  it('reads durations and row counts', () => {
    expect(parseWindowSpec('1d')).toMatchObject({ kind: 'time', widthMs: DAY, text: '1d' });
    expect(parseWindowSpec('30min')).toMatchObject({ kind: 'time', widthMs: 30 * 60_000, text: '30min' });
    expect(parseWindowSpec('2w')).toMatchObject({ kind: 'time', widthMs: 14 * DAY });
    expect(parseWindowSpec('6 hours')).toMatchObject({ kind: 'time', widthMs: 6 * 3_600_000, text: '6h' });
    expect(parseWindowSpec('500rows')).toEqual({ kind: 'rows', text: '500rows', rows: 500 });
  });

  it('refuses ambiguous and malformed specs in one line', () => {
    expect(() => parseWindowSpec('5m')).toThrow(/ambiguous; write min/);
    expect(() => parseWindowSpec('0rows')).toThrow(/≥ 1/);
    expect(() => parseWindowSpec('1 month')).toThrow(/--window must be a duration/);
    expect(() => parseWindowSpec('d')).toThrow(/--window must be/);
  });
});

describe('cutWindows', () => {
  it('buckets unsorted times into UTC days, keeping file order inside a day and counting empty days', () => {
    const t0 = Date.UTC(2024, 2, 1);
    const times = Float64Array.from([t0 + DAY + 5, t0 + 10, t0 + 3 * DAY, t0 + 20, t0 + DAY - 1]);
    const cut = cutWindows(5, parseWindowSpec('1d'), times);
    expect(cut.windows.map((w) => w.label)).toEqual(['2024-03-01', '2024-03-02', '2024-03-04']);
    expect(cut.windows.map((w) => Array.from(w.rows))).toEqual([[1, 3, 4], [0], [2]]);
    expect(cut.windows[0]).toMatchObject({
      startMs: t0,
      endMs: t0 + DAY,
      firstTimeMs: t0 + 10,
      lastTimeMs: t0 + DAY - 1,
    });
    expect(cut.emptyBuckets).toBe(1);
  });

  it('starts weeks on Mondays and aligns hours to the epoch', () => {
    const sunday = Date.UTC(2024, 2, 3, 23);
    const monday = Date.UTC(2024, 2, 4, 1);
    const weeks = cutWindows(2, parseWindowSpec('1w'), Float64Array.from([sunday, monday]));
    expect(weeks.windows.map((w) => w.label)).toEqual(['2024-02-26', '2024-03-04']);
    const hours = cutWindows(1, parseWindowSpec('6h'), Float64Array.from([Date.UTC(2024, 2, 4, 13, 59)]));
    expect(hours.windows[0].label).toBe('2024-03-04T12:00Z');
  });

  it('cuts row windows in file order, or in time order when times are given; the last may be short', () => {
    const cut = cutWindows(7, parseWindowSpec('3rows'), null);
    expect(cut.windows.map((w) => Array.from(w.rows))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(cut.windows.map((w) => w.label)).toEqual(['rows 1–3', 'rows 4–6', 'rows 7–7']);
    const timed = cutWindows(4, parseWindowSpec('2rows'), Float64Array.from([40, 10, 30, 10]));
    expect(timed.windows.map((w) => Array.from(w.rows))).toEqual([
      [1, 3],
      [2, 0],
    ]);
    expect(timed.windows[1]).toMatchObject({ firstTimeMs: 30, lastTimeMs: 40, startMs: null });
  });
});
