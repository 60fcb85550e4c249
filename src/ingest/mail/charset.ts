/**
 * Bytes to text by a declared MIME charset, through the WHATWG/ICU TextDecoder (gb2312, big5, euc-kr,
 * iso-2022-jp, koi8-r, windows-125x, ...). Text that cannot be decoded is reported, never guessed at silently:
 * the caller skips it and counts the reason.
 */

export type CharsetDecoding = { ok: true; text: string } | { ok: false; reason: string };

/** Labels mail software writes that mean "no charset declared". */
const UNDECLARED = new Set([
  '',
  'default',
  'default_charset',
  'unknown-8bit',
  'x-unknown',
  'unknown',
  'us-ascii',
  'ascii',
]);

/** Non-standard labels seen in the wild, mapped to what TextDecoder knows. */
const ALIASES: Record<string, string> = {
  gb2312_charset: 'gb2312',
  chinesebig5: 'big5',
  'big5-hkscs': 'big5',
  'x-gbk': 'gbk',
  'iso8859-15': 'iso-8859-15',
  'iso-8859-8-i': 'iso-8859-8',
};

/**
 * Share of U+FFFD replacements (per decoded char) tolerated in a declared multi-byte charset before the text
 * counts as undecodable: a few broken bytes in an otherwise valid GB2312 mail do not make it unreadable.
 */
const MAX_REPLACEMENT_SHARE = 0.01;

export function normalizeCharsetLabel(label: string | undefined): string {
  const clean = (label ?? '')
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  return ALIASES[clean] ?? clean;
}

/**
 * `hints` are other charsets the same message declares (encoded words, HTML meta tags, sibling parts): spam
 * often labels GB2312 or Big5 bytes "us-ascii" or nothing, and the hint is the best evidence of what they are.
 */
export function decodeCharset(
  bytes: Uint8Array,
  label: string | undefined,
  hints: readonly string[] = [],
): CharsetDecoding {
  const name = normalizeCharsetLabel(label);
  if (isAscii(bytes)) {
    // 7-bit stateful encodings (iso-2022-*) still need their decoder; everything else is plain ASCII.
    if (name.startsWith('iso-2022') || name === 'utf-7') return decodeDeclared(bytes, name);
    return { ok: true, text: Buffer.from(bytes).toString('latin1') };
  }
  // "unicode"/"utf-16" labels on bytes without any NUL are mislabelled 8-bit text, not UTF-16.
  if (UNDECLARED.has(name) || ((name === 'unicode' || name.startsWith('utf-16')) && !bytes.includes(0))) {
    return decodeUndeclared(bytes, hints);
  }
  return decodeDeclared(bytes, name, hints);
}

function decodeDeclared(bytes: Uint8Array, name: string, hints: readonly string[] = []): CharsetDecoding {
  let strict: TextDecoder;
  try {
    strict = new TextDecoder(name, { fatal: true });
  } catch {
    // An unknown label on 8-bit bytes: valid UTF-8 or a charset the message declares elsewhere is safe to
    // take; anything else would be a guess.
    const text = decodeStrictly(bytes, ['utf-8', ...hints]);
    return text !== null ? { ok: true, text } : { ok: false, reason: `unknown charset "${name}" on 8-bit text` };
  }
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    const loose = new TextDecoder(name).decode(bytes);
    let replacements = 0;
    for (let i = 0; i < loose.length; i++) if (loose.charCodeAt(i) === 0xfffd) replacements++;
    if (replacements <= MAX_REPLACEMENT_SHARE * loose.length) return { ok: true, text: loose.replace(/\uFFFD/g, '') };
    return { ok: false, reason: `bytes invalid in declared charset ${strict.encoding}` };
  }
}

/**
 * Above this share of 8-bit bytes (among non-blank bytes), undeclared text is not a Western language with a few
 * accents but a multi-byte script (Big5, GB2312, ...) that cannot be identified without guessing.
 */
const MAX_UNDECLARED_HIGH_SHARE = 0.2;

/**
 * No usable declaration: UTF-8 if the bytes are valid UTF-8, else a charset the message declares elsewhere if
 * the bytes are valid in it, else Windows-1252 (the usual 8-bit default) when 8-bit bytes are rare enough for
 * that to be plausible, else undecodable.
 */
function decodeUndeclared(bytes: Uint8Array, hints: readonly string[]): CharsetDecoding {
  const strict = decodeStrictly(bytes, ['utf-8', ...hints]);
  if (strict !== null) return { ok: true, text: strict };
  let high = 0;
  let nonBlank = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b > 0x7f) high++;
    if (b > 0x20) nonBlank++;
  }
  if (high > MAX_UNDECLARED_HIGH_SHARE * nonBlank)
    return { ok: false, reason: 'undeclared charset on mostly 8-bit text' };
  return { ok: true, text: new TextDecoder('windows-1252').decode(bytes) };
}

/** The first charset in which the bytes decode without error, or null. */
function decodeStrictly(bytes: Uint8Array, charsets: readonly string[]): string | null {
  for (const charset of charsets) {
    try {
      return new TextDecoder(normalizeCharsetLabel(charset), { fatal: true }).decode(bytes);
    } catch {
      // Unknown label or invalid bytes: try the next one.
    }
  }
  return null;
}

/**
 * Charsets a raw message declares anywhere (MIME parameters, HTML meta tags, even quoted-printable `=3D`
 * forms, RFC 2047 encoded words), minus the ASCII/Latin-1 family which says nothing about 8-bit bytes.
 */
export function declaredCharsets(binary: string): string[] {
  const found = new Set<string>();
  for (const m of binary.matchAll(/charset\s*=\s*(?:3D)?["']?([A-Za-z0-9_:.-]+)/gi))
    found.add(normalizeCharsetLabel(m[1]));
  for (const m of binary.matchAll(/=\?([A-Za-z0-9_:.-]+)(?:\*[A-Za-z-]+)?\?[bBqQ]\?/g))
    found.add(normalizeCharsetLabel(m[1]));
  return [...found].filter((c) => !UNDECLARED.has(c) && !/^(iso-?8859-1|latin-?1|windows-1252|cp1252|utf-?8)$/.test(c));
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return false;
  return true;
}
