/**
 * RFC 2047 encoded words in header values (`=?gb2312?B?...?=`, `=?iso-8859-1?Q?...?=`), decoded by charset.
 * Raw 8-bit header bytes (no encoded word) are decoded as undeclared text, helped by the message's other charsets.
 */
import { decodeCharset } from './charset.js';
import { decodeQuotedPrintable } from './transferEncoding.js';

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/** `binary` is the header value as one char per byte. Undecodable words are left out. */
export function decodeHeaderValue(binary: string, hints: readonly string[] = []): string {
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 section 6.2).
  const squeezed = binary.replace(/(\?=)\s+(?==\?)/g, '$1');
  let out = '';
  let last = 0;
  for (const match of squeezed.matchAll(ENCODED_WORD)) {
    out += decodeRaw(squeezed.slice(last, match.index), hints);
    const [, charsetWithLang, kind, payload] = match;
    const charset = charsetWithLang.split('*')[0];
    const bytes =
      kind.toLowerCase() === 'b' ? Buffer.from(payload, 'base64') : decodeQuotedPrintable(payload.replace(/_/g, ' '));
    const decoded = decodeCharset(bytes, charset);
    if (decoded.ok) out += decoded.text;
    last = (match.index ?? 0) + match[0].length;
  }
  out += decodeRaw(squeezed.slice(last), hints);
  return out.replace(/\s+/g, ' ').trim();
}

function decodeRaw(binary: string, hints: readonly string[]): string {
  if (binary.length === 0) return '';
  const decoded = decodeCharset(Buffer.from(binary, 'latin1'), undefined, hints);
  return decoded.ok ? decoded.text : '';
}
