/**
 * RFC 822 header blocks: split a raw message into header text and body, unfold header lines, and read
 * structured values (Content-Type parameters). Everything here works on "binary strings" (one char per byte,
 * i.e. Buffer#toString('latin1')) so that byte-exact bodies survive until their charset is known.
 */

export interface MessageParts {
  /** Header lines (unfolded), keyed by lower-case name; a name can repeat. */
  headers: Map<string, string[]>;
  /** Everything after the first blank line, still as a binary string. */
  body: string;
}

/** Split at the first blank line; a message without one is all headers. */
export function splitHeadersAndBody(binary: string): { headerText: string; body: string } {
  // A part that starts with a blank line has no headers at all.
  const leading = /^\r?\n/.exec(binary);
  if (leading) return { headerText: '', body: binary.slice(leading[0].length) };
  const match = /\r?\n\r?\n/.exec(binary);
  if (!match) return { headerText: binary, body: '' };
  return { headerText: binary.slice(0, match.index), body: binary.slice(match.index + match[0].length) };
}

/** Parse a header block. Lines that are neither "Name: value" nor continuations (e.g. the mbox "From " line) are ignored. */
export function parseHeaderBlock(headerText: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let currentName: string | null = null;
  let currentValue = '';
  const flush = (): void => {
    if (currentName === null) return;
    const list = headers.get(currentName);
    if (list) list.push(currentValue.trim());
    else headers.set(currentName, [currentValue.trim()]);
    currentName = null;
  };
  for (const line of headerText.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && currentName !== null) {
      currentValue += ' ' + line.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    // Header names are printable ASCII without spaces.
    if (colon > 0 && /^[!-9;-~]+$/.test(line.slice(0, colon))) {
      currentName = line.slice(0, colon).toLowerCase();
      currentValue = line.slice(colon + 1);
    }
  }
  flush();
  return headers;
}

export function parseMessage(binary: string): MessageParts {
  const { headerText, body } = splitHeadersAndBody(binary);
  return { headers: parseHeaderBlock(headerText), body };
}

export function firstHeader(headers: Map<string, string[]>, name: string): string | undefined {
  return headers.get(name.toLowerCase())?.[0];
}

export interface ContentType {
  /** Lower-case "type/subtype"; "text/plain" when absent or unparseable. */
  mimeType: string;
  /** Lower-case parameter names; values unquoted. */
  params: Map<string, string>;
}

/** Parse `text/html; charset="iso-8859-1"; boundary=...` (tolerant of the sloppy forms spam uses). */
export function parseContentType(value: string | undefined): ContentType {
  const params = new Map<string, string>();
  if (!value) return { mimeType: 'text/plain', params };
  const [typePart, ...rest] = splitParams(value);
  const mimeType = /^[\w.+-]+\/[\w.+-]+$/.test(typePart.trim()) ? typePart.trim().toLowerCase() : 'text/plain';
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let paramValue = part.slice(eq + 1).trim();
    if (paramValue.startsWith('"')) {
      const end = paramValue.indexOf('"', 1);
      paramValue = end > 0 ? paramValue.slice(1, end) : paramValue.slice(1);
    }
    if (!params.has(name)) params.set(name, paramValue);
  }
  return { mimeType, params };
}

/** Split on semicolons that are not inside double quotes. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}
