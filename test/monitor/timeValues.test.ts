import { describe, expect, it } from 'vitest';
import { detectTimeFormat, formatTime, parseTime, parseTimeColumn } from '../../src/monitor/timeValues.js';

describe('parseTime', () => {
  it('reads ISO dates and date-times, with and without zones, as UTC ms', () => {
    expect(parseTime('2024-03-01', 'iso')).toBe(Date.UTC(2024, 2, 1));
    expect(parseTime('2024-03-01T12:30Z', 'iso')).toBe(Date.UTC(2024, 2, 1, 12, 30));
    expect(parseTime('2024-03-01 12:30:15', 'iso')).toBe(Date.UTC(2024, 2, 1, 12, 30, 15));
    expect(parseTime('2024-03-01T12:30:15.250+02:00', 'iso')).toBe(Date.UTC(2024, 2, 1, 10, 30, 15, 250));
    expect(parseTime('2024-03-01T00:30:00-0130', 'iso')).toBe(Date.UTC(2024, 2, 1, 2, 0));
    expect(parseTime('2024-02-29', 'iso')).toBe(Date.UTC(2024, 1, 29));
  });

  it('refuses impossible or loose dates with the reason', () => {
    expect(parseTime('2023-02-29', 'iso')).toMatch(/day 29, but 2023-02 has 28 days/);
    expect(parseTime('2024-13-01', 'iso')).toMatch(/month 13/);
    expect(parseTime('2024-03-01T24:00', 'iso')).toMatch(/impossible time/);
    expect(parseTime('03/01/2024', 'iso')).toMatch(/not an ISO 8601/);
    expect(parseTime('2024-3-1', 'iso')).toMatch(/not an ISO 8601/);
    expect(parseTime('2024-03-01T12:00+15:00', 'iso')).toMatch(/UTC offset/);
    expect(parseTime('', 'iso')).toMatch(/empty/);
  });

  it('reads epoch seconds and milliseconds, and refuses non-numbers', () => {
    expect(parseTime('1709251200', 'epoch-s')).toBe(Date.UTC(2024, 2, 1));
    expect(parseTime('1709251200.5', 'epoch-s')).toBe(Date.UTC(2024, 2, 1) + 500);
    expect(parseTime('1709251200000', 'epoch-ms')).toBe(Date.UTC(2024, 2, 1));
    expect(parseTime('17e8', 'epoch-s')).toMatch(/not a number of seconds/);
    expect(parseTime('1709251200000', 'epoch-s')).toMatch(/outside the years/);
  });

  it('auto takes the format from the first cell', () => {
    expect(detectTimeFormat('2024-03-01')).toBe('iso');
    expect(detectTimeFormat('1709251200')).toBe('epoch-s');
    expect(detectTimeFormat('1709251200000')).toBe('epoch-ms');
    expect(detectTimeFormat('yesterday')).toBeNull();
  });
});

describe('parseTimeColumn', () => {
  it('names the file, row and column of the first bad cell, in one line', () => {
    const origins = ['s.csv row 1', 's.csv row 2', 's.csv row 3'];
    expect(() => parseTimeColumn(['2024-03-01', '2024-03-02', '1709251200'], origins, 'ts', 'auto')).toThrow(
      /^s\.csv row 3, column "ts" \(--time-column\): "1709251200" is not an ISO 8601 .* \(the column's format, iso, was taken from its first row\); fix the cell or drop the row$/,
    );
    expect(() => parseTimeColumn(['soon'], ['s.csv row 1'], 'ts', 'auto')).toThrow(/s\.csv row 1, column "ts"/);
    const ok = parseTimeColumn(['1709251200', '1709337600'], origins.slice(0, 2), 'ts', 'auto');
    expect(ok.format).toBe('epoch-s');
    expect(Array.from(ok.times)).toEqual([Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 2)]);
  });

  it('formats times compactly', () => {
    expect(formatTime(Date.UTC(2024, 2, 1), true)).toBe('2024-03-01');
    expect(formatTime(Date.UTC(2024, 2, 1, 6), false)).toBe('2024-03-01T06:00Z');
    expect(formatTime(Date.UTC(2024, 2, 1, 6, 0, 5), false)).toBe('2024-03-01T06:00:05Z');
  });
});
