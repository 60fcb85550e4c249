/**
 * Content-Transfer-Encoding: base64 and quoted-printable bodies back to raw bytes. 7bit/8bit/binary (and
 * unknown values) pass through unchanged.
 */

/** `binary` holds one char per byte; the result is the decoded bytes. */
export function decodeTransferEncoding(binary: string, encoding: string | undefined): Buffer {
  const name = (encoding ?? '').trim().toLowerCase();
  if (name === 'base64') return Buffer.from(binary.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (name === 'quoted-printable') return decodeQuotedPrintable(binary);
  return Buffer.from(binary, 'latin1');
}

export function decodeQuotedPrintable(binary: string): Buffer {
  // Soft line breaks ("=" at end of line, maybe followed by trailing blanks) join lines.
  const joined = binary.replace(/=[ \t]*\r?\n/g, '');
  const out = Buffer.allocUnsafe(joined.length);
  let n = 0;
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (c === 0x3d && i + 2 < joined.length && isHex(joined.charCodeAt(i + 1)) && isHex(joined.charCodeAt(i + 2))) {
      out[n++] = parseInt(joined.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      // A stray "=" not followed by two hex digits is kept literally (common in broken spam).
      out[n++] = c & 0xff;
    }
  }
  return out.subarray(0, n);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
