/** Number formatting for verdict sentences: short, unambiguous, never "NaN". */
import type { Interval } from '../probe/probeTypes.js';

export function formatP(p: number): string {
  // Below the result's p-value floor (src/result/pValueFloor.ts) a tail probability carries no more information.
  if (p < 1e-300) return '< 1e-300';
  if (p >= 0.01) return p.toFixed(3);
  if (p >= 1e-3) return p.toPrecision(2);
  return p.toExponential(1);
}

/** Effect sizes and other plain numbers: three decimals, or two significant digits when small. */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  return Math.abs(x) >= 0.01 ? x.toFixed(3) : x.toPrecision(2);
}

export function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

export function percentWithInterval(i: Interval): string {
  return `${percent(i.estimate)} (${Math.round(i.level * 100)}% CI ${percent(i.lower)}–${percent(i.upper)})`;
}

/** Accuracy differences in percentage points. */
export function points(x: number): string {
  return `${(100 * x).toFixed(1)} points`;
}

export function pointsWithInterval(i: Interval): string {
  return `${points(i.estimate)} (${Math.round(i.level * 100)}% CI ${(100 * i.lower).toFixed(1)} to ${(100 * i.upper).toFixed(1)})`;
}

export function listJoin(items: string[]): string {
  // Items contain commas themselves, so they are separated by semicolons.
  return items.join('; ');
}
