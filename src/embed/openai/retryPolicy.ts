/**
 * When and how long to wait before retrying a request: 408/409/429/5xx, timeouts and dropped connections are
 * retried; the wait is the server's Retry-After (retry-after-ms, delta-seconds or HTTP date) when it sends one,
 * capped, else exponential backoff (base × 2^retry, capped) with equal jitter (half fixed, half uniform), so
 * concurrent requests that failed together do not return together.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 409, 429]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || status >= 500;
}

/** Milliseconds the server asks to wait, or null when it sent no usable header. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

/**
 * The wait before retry number `retry` (1-based). `random` is uniform in [0, 1): jitter only spreads requests in
 * time and never changes a vector, so it need not come from the seeded stream.
 */
export function retryDelayMs(
  retry: number,
  policy: { retryBaseMs: number; maxRetryWaitMs: number },
  serverAsked: number | null,
  random: () => number = Math.random,
): { delayMs: number; fromRetryAfter: boolean } {
  if (serverAsked !== null) return { delayMs: Math.min(serverAsked, policy.maxRetryWaitMs), fromRetryAfter: true };
  const ceiling = Math.min(policy.retryBaseMs * 2 ** (retry - 1), policy.maxRetryWaitMs);
  return { delayMs: ceiling / 2 + random() * (ceiling / 2), fromRetryAfter: false };
}
