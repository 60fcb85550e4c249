/**
 * Walk a MIME entity tree and collect its readable text: text/plain and text/html parts (HTML stripped),
 * multipart/alternative resolved to one alternative, forwarded messages (message/rfc822) descended into,
 * attachments of other types ignored.
 */
import { decodeCharset } from './charset.js';
import type { ContentType } from './headers.js';
import { firstHeader, parseContentType, parseMessage } from './headers.js';
import { htmlToText, looksLikeHtml } from './html.js';
import { decodeTransferEncoding } from './transferEncoding.js';

export type PartText = { ok: true; text: string } | { ok: false; reason: string };

/** Nesting deeper than this is treated as malformed (and its inner parts ignored). */
const MAX_DEPTH = 20;

/** Text of an entity given as headers + body (binary strings). */
export function entityText(
  headers: Map<string, string[]>,
  body: string,
  hints: readonly string[] = [],
  depth = 0,
): PartText {
  const declared = firstHeader(headers, 'content-type');
  const contentType =
    declared === undefined ? (inferMultipart(body) ?? parseContentType(undefined)) : parseContentType(declared);
  const { mimeType, params } = contentType;
  if (mimeType.startsWith('multipart/') && depth < MAX_DEPTH) {
    const boundary = params.get('boundary');
    // A declared boundary that never occurs (broken spam) falls back to the one the body actually uses.
    const inferred = inferMultipart(body)?.params.get('boundary');
    const parts =
      (boundary ? splitMultipart(body, boundary) : null) ?? (inferred ? splitMultipart(body, inferred) : null);
    // A multipart without a usable boundary is read as one plain body (what a mail client would show).
    if (!parts || parts.length === 0)
      return leafText(
        body,
        'text/plain',
        params.get('charset'),
        firstHeader(headers, 'content-transfer-encoding'),
        hints,
      );
    const children = parts.map((part) => {
      const parsed = parseMessage(part);
      return {
        mimeType: parseContentType(firstHeader(parsed.headers, 'content-type')).mimeType,
        result: entityText(parsed.headers, parsed.body, hints, depth + 1),
      };
    });
    if (mimeType === 'multipart/alternative') return chooseAlternative(children);
    return joinParts(children.map((c) => c.result));
  }
  if (mimeType === 'message/rfc822' && depth < MAX_DEPTH) {
    // A forwarded mail: its headers are dropped like the outer ones, its body kept.
    const inner = parseMessage(
      decodeTransferEncoding(body, firstHeader(headers, 'content-transfer-encoding')).toString('latin1'),
    );
    return entityText(inner.headers, inner.body, hints, depth + 1);
  }
  const disposition = (firstHeader(headers, 'content-disposition') ?? '').toLowerCase();
  if (
    !mimeType.startsWith('text/') ||
    (disposition.startsWith('attachment') && mimeType !== 'text/plain' && mimeType !== 'text/html')
  ) {
    return { ok: true, text: '' };
  }
  if (
    mimeType !== 'text/plain' &&
    mimeType !== 'text/html' &&
    mimeType !== 'text/enriched' &&
    mimeType !== 'text/richtext'
  ) {
    return { ok: true, text: '' };
  }
  return leafText(body, mimeType, params.get('charset'), firstHeader(headers, 'content-transfer-encoding'), hints);
}

function leafText(
  body: string,
  mimeType: string,
  charset: string | undefined,
  transferEncoding: string | undefined,
  hints: readonly string[],
): PartText {
  const bytes = decodeTransferEncoding(body, transferEncoding);
  const decoded = decodeCharset(bytes, charset, hints);
  if (!decoded.ok) return decoded;
  const text = decoded.text;
  if (mimeType === 'text/html' || looksLikeHtml(text)) return { ok: true, text: htmlToText(text) };
  if (mimeType === 'text/enriched' || mimeType === 'text/richtext')
    return { ok: true, text: text.replace(/<\/?[a-zA-Z][^>]*>/g, '') };
  return { ok: true, text };
}

/**
 * Prefer the plain-text alternative (less markup residue) unless it is a stub much shorter than the richest
 * alternative (some senders put a placeholder there); else the last (richest) one with text.
 */
function chooseAlternative(children: { mimeType: string; result: PartText }[]): PartText {
  let richest: PartText | null = null;
  for (let i = children.length - 1; i >= 0 && richest === null; i--) {
    const r = children[i].result;
    if (r.ok && r.text.trim() !== '') richest = r;
  }
  if (richest === null || !richest.ok) return children.find((c) => !c.result.ok)?.result ?? { ok: true, text: '' };
  const richestLength = richest.text.trim().length;
  const plain = children.find(
    (c) => c.mimeType === 'text/plain' && c.result.ok && c.result.text.trim().length * 2 >= richestLength,
  );
  return plain ? plain.result : richest;
}

/** Readable parts joined; one undecodable part makes the whole message undecodable only if nothing else is readable. */
function joinParts(results: PartText[]): PartText {
  const texts = results
    .filter((r): r is { ok: true; text: string } => r.ok)
    .map((r) => r.text.trim())
    .filter((t) => t !== '');
  if (texts.length > 0) return { ok: true, text: texts.join('\n\n') };
  return results.find((r) => !r.ok) ?? { ok: true, text: '' };
}

/**
 * Broken spam sometimes omits the top-level Content-Type yet carries MIME parts: a `--boundary` line followed
 * directly by a Content-* header gives the boundary away, and a mail client would show the parts.
 */
function inferMultipart(body: string): ContentType | null {
  const match = /^--([^\r\n]+?)[ \t]*\r?\n(?=Content-[\w-]+:)/im.exec(body);
  if (!match) return null;
  return { mimeType: 'multipart/mixed', params: new Map([['boundary', match[1]]]) };
}

/** Body parts between `--boundary` lines (preamble and epilogue dropped). Null if the boundary never occurs. */
export function splitMultipart(body: string, boundary: string): string[] | null {
  const lines = body.split('\n');
  const open = '--' + boundary;
  const parts: string[] = [];
  let current: string[] | null = null;
  let seen = false;
  for (const rawLine of lines) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.startsWith(open)) {
      const rest = line.slice(open.length).trim();
      if (rest === '--') {
        if (current) parts.push(current.join('\n'));
        current = null;
        seen = true;
        break;
      }
      if (rest === '') {
        if (current) parts.push(current.join('\n'));
        current = [];
        seen = true;
        continue;
      }
    }
    if (current) current.push(rawLine);
  }
  if (current) parts.push(current.join('\n'));
  return seen ? parts : null;
}
