/**
 * Splitting a batch of texts into requests a server accepts: at most `maxInputs` inputs and about `maxTokens`
 * tokens each, in order. Tokens are estimated without the server's tokenizer as UTF-8 bytes / 3 (BPE averages
 * about 4 bytes a token on English and about 3 on CJK, so the estimate errs on the side of smaller requests).
 */
export function approximateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 3) + 1;
}

/** Consecutive index ranges [start, end) of `texts`, each within both limits (a lone oversize text gets its own). */
export function planRequests(
  texts: readonly string[],
  limits: { maxInputs: number; maxTokens: number },
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  let tokens = 0;
  for (let i = 0; i < texts.length; i++) {
    const t = approximateTokens(texts[i]);
    const full = i - start >= limits.maxInputs || (i > start && tokens + t > limits.maxTokens);
    if (full) {
      out.push({ start, end: i });
      start = i;
      tokens = 0;
    }
    tokens += t;
  }
  if (start < texts.length) out.push({ start, end: texts.length });
  return out;
}
