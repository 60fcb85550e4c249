/**
 * Number formatting shared by the HTML report and the markdown summary, so both quote the same digits.
 */
import { P_VALUE_FLOOR } from '../result/pValueFloor.js';

/**
 * p-values: three decimals down to 0.001, then scientific with two significant digits; one at the floor
 * result.json reports (P_VALUE_FLOOR, 1e-300: the test's tail underflowed) as "< 1e-300".
 */
export function formatPValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—';
  if (p <= P_VALUE_FLOOR) return `< ${P_VALUE_FLOOR}`;
  if (p >= 0.001) return p.toFixed(3);
  return p.toExponential(1);
}

/** A general number with `digits` significant digits, switching to scientific for very small or large values. */
export function formatNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  // Counts and other integers read best as they are ("5", not "5.000").
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-3 && magnitude < 1e6) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(magnitude)));
    return x.toFixed(Math.min(decimals, 8));
  }
  return x.toExponential(Math.max(0, digits - 1));
}

/** A share in [0, 1] as a percentage with one decimal ("12.3%"). */
export function formatPercent(share: number | null | undefined, decimals = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(decimals)}%`;
}

/** An accuracy difference in percentage points, one decimal ("14.2 pts"). */
export function formatPoints(share: number): string {
  return `${(share * 100).toFixed(1)} pts`;
}

/** Thousands separators for counts ("100,000"). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "0.812 [0.790, 0.833]" for an estimate with its interval. */
export function formatInterval(estimate: number, lower: number, upper: number, digits = 3): string {
  return `${formatNumber(estimate, digits)} [${formatNumber(lower, digits)}, ${formatNumber(upper, digits)}]`;
}

/** Cut a text to at most `maxChars` characters (code points, so no broken surrogate pairs), adding "…" when cut. */
export function clipText(text: string, maxChars: number): string {
  // Only the head matters; cutting long texts first keeps this cheap for multi-kilobyte emails.
  const head = text.length > maxChars * 8 + 64 ? text.slice(0, maxChars * 8 + 64) : text;
  const flat = head.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars && head === text) return flat;
  const chars = Array.from(flat);
  if (chars.length <= maxChars && head === text) return flat;
  if (chars.length < maxChars) return `${flat}…`;
  return `${chars
    .slice(0, Math.max(0, maxChars - 1))
    .join('')
    .trimEnd()}…`;
}
