/**
 * Hover texts are most of a report's weight. Each is clipped to a character limit, and when all of them together
 * would exceed the byte budget the limit is lowered evenly for everyone (never below a floor), so the page stays
 * small whatever language or length the texts have.
 */
import { clipText } from '../format.js';
import { jsonStringBytes } from '../html/jsonScript.js';

export interface ClippedTexts {
  texts: (string[] | null)[];
  /** The character limit finally applied. */
  maxChars: number;
  /** Serialised bytes of all clipped texts. */
  bytes: number;
}

const MIN_CHARS = 40;

export function clipTextsToBudget(groups: (string[] | null)[], maxChars: number, maxBytes: number): ClippedTexts {
  let limit = Math.max(MIN_CHARS, Math.floor(maxChars));
  for (;;) {
    const texts = groups.map((g) => (g ? g.map((t) => clipText(t, limit)) : null));
    let bytes = 0;
    for (const g of texts) if (g) for (const t of g) bytes += jsonStringBytes(t);
    if (bytes <= maxBytes || limit === MIN_CHARS) return { texts, maxChars: limit, bytes };
    // Shrink in proportion to the overshoot (plus 5% so the next pass usually fits).
    limit = Math.max(MIN_CHARS, Math.min(limit - 1, Math.floor(((limit * maxBytes) / bytes) * 0.95)));
  }
}
