/** The openai backend's pure parts: request planning within input and token limits, Retry-After parsing, backoff. */
import { describe, expect, it } from 'vitest';
import { normalizeBaseUrl } from '../../src/embed/openai/endpointOptions.js';
import { approximateTokens, planRequests } from '../../src/embed/openai/requestPlan.js';
import { retryAfterMs, retryDelayMs } from '../../src/embed/openai/retryPolicy.js';

describe('planRequests', () => {
  it('cuts consecutive ranges at the input cap and the token budget; a lone oversize text gets its own request', () => {
    const texts = ['a'.repeat(30), 'b'.repeat(30), 'c'.repeat(3000), 'd', 'e', 'f', 'g'];
    // approximate tokens: 11, 11, 1001, 2, 2, 2, 2
    expect(texts.map(approximateTokens)).toEqual([11, 11, 1001, 2, 2, 2, 2]);
    expect(planRequests(texts, { maxInputs: 3, maxTokens: 100 })).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 7 },
    ]);
    expect(planRequests([], { maxInputs: 3, maxTokens: 100 })).toEqual([]);
  });

  it('counts UTF-8 bytes, so CJK text gets about one token per character', () => {
    expect(approximateTokens('日本語のテキスト')).toBe(Math.ceil(24 / 3) + 1);
  });
});

describe('Retry-After and backoff', () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it('reads retry-after-ms, delta-seconds and an HTTP date; ignores junk', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });

  it('caps the server’s wait; backs off exponentially with equal jitter, capped', () => {
    const policy = { retryBaseMs: 100, maxRetryWaitMs: 1000 };
    expect(retryDelayMs(1, policy, 5000)).toEqual({ delayMs: 1000, fromRetryAfter: true });
    expect(retryDelayMs(1, policy, null, () => 0)).toEqual({ delayMs: 50, fromRetryAfter: false });
    expect(retryDelayMs(3, policy, null, () => 0.999).delayMs).toBeCloseTo(399.8, 5);
    expect(retryDelayMs(9, policy, null, () => 0).delayMs).toBe(500);
  });
});

describe('normalizeBaseUrl', () => {
  it('drops a trailing slash, query and fragment; refuses credentials and other schemes', () => {
    expect(normalizeBaseUrl('http://127.0.0.1:11434/v1/')).toBe('http://127.0.0.1:11434/v1');
    expect(normalizeBaseUrl('https://host/v1?x=1#y')).toBe('https://host/v1');
    expect(() => normalizeBaseUrl('https://user:secret@host/v1')).toThrow(/must not carry credentials/);
    expect(() => normalizeBaseUrl('ftp://host/v1')).toThrow(/must be http/);
  });
});
