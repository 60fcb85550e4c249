/**
 * Cuts a stream into windows. By time: every row goes to the bucket [start, start + width) that holds its time,
 * buckets aligned to multiples of the width since 1970-01-01T00:00Z (weeks start on Mondays), rows in file order
 * within a bucket, buckets in time order; the rows need not be sorted. By row count: consecutive runs of k rows in
 * file order (in time order, stably, when a time column is given); the last run may be shorter.
 */
import type { WindowSpec } from './windowSpec.js';
import { formatTime } from './timeValues.js';

/** 1970-01-05 was the first Monday after the epoch. */
const WEEK_ANCHOR_MS = 4 * 86_400_000;

export interface StreamWindow {
  /** Position among this run's windows, 0-based. */
  index: number;
  /** "2024-03-01" or "2024-03-01T06:00Z" for time windows; "rows 501–1000" for row windows. */
  label: string;
  /** The time bucket [startMs, endMs) of a time window; null for row windows. */
  startMs: number | null;
  endMs: number | null;
  /** Earliest and latest time among the window's rows (null without a time column). */
  firstTimeMs: number | null;
  lastTimeMs: number | null;
  /** Row positions in the stream as loaded (0-based), in the order the window holds them. */
  rows: Uint32Array;
}

export interface WindowCut {
  windows: StreamWindow[];
  /** Time buckets between the first and the last window that hold no row (time windows only). */
  emptyBuckets: number;
}

export function cutWindows(nRows: number, spec: WindowSpec, times: Float64Array | null): WindowCut {
  if (spec.kind === 'time') {
    if (!times) throw new Error('time windows need the rows’ times');
    return cutByTime(
      times,
      spec.widthMs,
      spec.unit === 'w' ? WEEK_ANCHOR_MS : 0,
      spec.unit === 'd' || spec.unit === 'w',
    );
  }
  const order = Array.from({ length: nRows }, (_, i) => i);
  if (times) order.sort((a, b) => times[a] - times[b] || a - b);
  const windows: StreamWindow[] = [];
  for (let start = 0; start < nRows; start += spec.rows) {
    const rows = Uint32Array.from(order.slice(start, Math.min(nRows, start + spec.rows)));
    windows.push({
      index: windows.length,
      label: `rows ${start + 1}–${start + rows.length}`,
      startMs: null,
      endMs: null,
      ...timeRange(rows, times),
      rows,
    });
  }
  return { windows, emptyBuckets: 0 };
}

function cutByTime(times: Float64Array, widthMs: number, anchorMs: number, wholeDays: boolean): WindowCut {
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < times.length; i++) {
    const start = Math.floor((times[i] - anchorMs) / widthMs) * widthMs + anchorMs;
    let rows = buckets.get(start);
    if (!rows) {
      rows = [];
      buckets.set(start, rows);
    }
    rows.push(i);
  }
  const starts = [...buckets.keys()].sort((a, b) => a - b);
  const windows = starts.map((start, index): StreamWindow => {
    const rows = Uint32Array.from(buckets.get(start) as number[]);
    return {
      index,
      label: formatTime(start, wholeDays && start % 86_400_000 === 0),
      startMs: start,
      endMs: start + widthMs,
      ...timeRange(rows, times),
      rows,
    };
  });
  const span = starts.length ? Math.round((starts[starts.length - 1] - starts[0]) / widthMs) + 1 : 0;
  return { windows, emptyBuckets: span - starts.length };
}

function timeRange(
  rows: Uint32Array,
  times: Float64Array | null,
): { firstTimeMs: number | null; lastTimeMs: number | null } {
  if (!times || rows.length === 0) return { firstTimeMs: null, lastTimeMs: null };
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, times[r]);
    hi = Math.max(hi, times[r]);
  }
  return { firstTimeMs: lo, lastTimeMs: hi };
}
