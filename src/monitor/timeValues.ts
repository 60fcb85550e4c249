/**
 * Strict parsing of a --time-column: ISO 8601 dates and date-times, or Unix epoch seconds / milliseconds. The
 * format is fixed for the whole column (given, or taken from the first row with `auto`); a cell that does not parse
 * in it is an error naming the file, row and column, never a silently dropped or guessed row.
 */
import { InputError } from '../core/errors.js';

export const TIME_FORMATS = ['auto', 'iso', 'epoch-s', 'epoch-ms'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];
export type ResolvedTimeFormat = Exclude<TimeFormat, 'auto'>;

/** YYYY-MM-DD, optionally [T or space]HH:MM[:SS[.fraction]] and Z or ±HH:MM / ±HHMM; no zone means UTC. */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const EPOCH = /^[+-]?\d+(?:\.\d+)?$/;
/** An epoch number this large in seconds would be past the year 5000: auto reads it as milliseconds. */
const EPOCH_MS_FROM = 1e11;
/** Dates outside 1000–9999 are almost certainly an error in a deployment log (and outside ISO's 4-digit years). */
const MIN_MS = Date.UTC(1000, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A time in ms since the epoch, or the reason the text is not one in `format`. */
export function parseTime(text: string, format: ResolvedTimeFormat): number | string {
  const s = text.trim();
  if (s === '') return 'the cell is empty';
  if (format === 'iso') return parseIso(s);
  if (!EPOCH.test(s)) return `"${s}" is not a number of ${format === 'epoch-s' ? 'seconds' : 'milliseconds'}`;
  const ms = format === 'epoch-s' ? Number(s) * 1000 : Number(s);
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return `"${s}" is outside the years 1000–9999`;
  return ms;
}

function parseIso(s: string): number | string {
  const m = ISO.exec(s);
  if (!m) return `"${s}" is not an ISO 8601 date or date-time (e.g. 2024-03-01 or 2024-03-01T12:30:00Z)`;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  if (month < 1 || month > 12) return `"${s}" has month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `"${s}" has day ${day}, but ${year}-${m[2]} has ${days} days`;
  if (hour > 23 || minute > 59 || second > 59) return `"${s}" has an impossible time of day`;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 14 || om > 59) return `"${s}" has the impossible UTC offset ${zone}`;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(fraction * 1000);
  // Date.UTC maps years 0–99 to 1900–1999; the regex has 4-digit years and the range check below refuses those.
  const ms = utc - offsetMinutes * 60_000;
  if (ms < MIN_MS || ms > MAX_MS) return `"${s}" is outside the years 1000–9999`;
  return ms;
}

/** The format `auto` settles on, from the first cell: ISO if it looks like a date, else epoch s or ms by size. */
export function detectTimeFormat(first: string): ResolvedTimeFormat | null {
  const s = first.trim();
  if (ISO.test(s)) return 'iso';
  if (EPOCH.test(s)) return Math.abs(Number(s)) >= EPOCH_MS_FROM ? 'epoch-ms' : 'epoch-s';
  return null;
}

export interface ParsedTimes {
  times: Float64Array;
  format: ResolvedTimeFormat;
}

/**
 * Every cell of the column as ms since the epoch. `origins[i]` names row i ("stream.csv row 17"); the first
 * cell that does not parse is an InputError naming it and the column.
 */
export function parseTimeColumn(
  cells: readonly string[],
  origins: readonly string[],
  column: string,
  format: TimeFormat,
): ParsedTimes {
  if (cells.length === 0) return { times: new Float64Array(0), format: format === 'auto' ? 'iso' : format };
  let resolved: ResolvedTimeFormat;
  if (format === 'auto') {
    const detected = detectTimeFormat(cells[0]);
    if (!detected) {
      throw new InputError(
        `${origins[0]}, column "${column}" (--time-column): "${cells[0].trim()}" is neither an ISO 8601 date-time nor an epoch number; fix the cell or give --time-format`,
      );
    }
    resolved = detected;
  } else {
    resolved = format;
  }
  const times = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const t = parseTime(cells[i], resolved);
    if (typeof t === 'string') {
      const how = format === 'auto' ? ` (the column's format, ${resolved}, was taken from its first row)` : '';
      throw new InputError(
        `${origins[i]}, column "${column}" (--time-column): ${t}, expected ${FORMAT_WORDS[resolved]}${how}; fix the cell or drop the row`,
      );
    }
    times[i] = t;
  }
  return { times, format: resolved };
}

const FORMAT_WORDS: Record<ResolvedTimeFormat, string> = {
  iso: 'an ISO 8601 date or date-time',
  'epoch-s': 'Unix epoch seconds',
  'epoch-ms': 'Unix epoch milliseconds',
};

/** "2024-03-01" for whole days, else "2024-03-01T12:30Z" (seconds when they are not zero). */
export function formatTime(ms: number, wholeDays: boolean): string {
  const iso = new Date(ms).toISOString();
  if (wholeDays) return iso.slice(0, 10);
  if (iso.endsWith(':00.000Z')) return `${iso.slice(0, 16)}Z`;
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}
