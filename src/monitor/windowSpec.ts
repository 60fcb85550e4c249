/**
 * `--window`: a duration (`90s`, `30min`, `6h`, `1d`, `2w`) cuts the stream by its --time-column into calendar-
 * aligned windows; a row count (`500rows`) cuts it into consecutive runs of that many rows.
 */
import { InputError } from '../core/errors.js';

export type WindowSpec =
  | { kind: 'time'; text: string; widthMs: number; unit: TimeUnit; count: number }
  | { kind: 'rows'; text: string; rows: number };

export type TimeUnit = 's' | 'min' | 'h' | 'd' | 'w';

export const UNIT_MS: Record<TimeUnit, number> = {
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const UNIT_ALIASES: Record<string, TimeUnit> = {
  s: 's',
  sec: 's',
  min: 'min',
  h: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  week: 'w',
  weeks: 'w',
};

/** Windows with fewer rows are reported as too small and not tested (--min-window-rows). */
export const DEFAULT_MIN_WINDOW_ROWS = 20;

export const WINDOW_USAGE = 'a duration (90s, 30min, 6h, 1d, 2w) with --time-column, or a row count (500rows)';

export function parseWindowSpec(value: string): WindowSpec {
  const text = value.trim();
  const rows = /^(\d+)\s*rows?$/i.exec(text);
  if (rows) {
    const n = Number(rows[1]);
    if (!Number.isSafeInteger(n) || n < 1) throw new InputError(`--window ${value}: the row count must be ≥ 1`);
    return { kind: 'rows', text: `${n}rows`, rows: n };
  }
  const time = /^(\d+)\s*([a-z]+)$/i.exec(text);
  if (time) {
    const count = Number(time[1]);
    const raw = time[2].toLowerCase();
    if (raw === 'm') {
      throw new InputError(`--window ${value}: "m" is ambiguous; write min for minutes (months are not a fixed width)`);
    }
    const unit = UNIT_ALIASES[raw];
    if (unit && Number.isSafeInteger(count) && count >= 1) {
      return { kind: 'time', text: `${count}${unit}`, widthMs: count * UNIT_MS[unit], unit, count };
    }
  }
  throw new InputError(`--window must be ${WINDOW_USAGE}, got "${value}"`);
}
