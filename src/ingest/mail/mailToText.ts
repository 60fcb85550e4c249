/**
 * One raw email (bytes) to the text shiftlens analyses: the decoded Subject line, then the readable body.
 * All other headers are dropped: in a public corpus they name the corpus's own hosts and lists and would make
 * every comparison trivially separable.
 */
import { declaredCharsets } from './charset.js';
import { decodeHeaderValue } from './encodedWords.js';
import { firstHeader, parseMessage } from './headers.js';
import { tidyWhitespace } from './html.js';
import { entityText } from './mime.js';

export type MailText = { ok: true; text: string } | { ok: false; reason: string };

export function mailToText(raw: Uint8Array): MailText {
  const binary = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const { headers, body } = parseMessage(binary);
  const hints = declaredCharsets(binary);
  const bodyText = entityText(headers, body, hints);
  if (!bodyText.ok) return bodyText;
  const subjectRaw = firstHeader(headers, 'subject');
  const subject = subjectRaw ? decodeHeaderValue(subjectRaw, hints) : '';
  const tidyBody = tidyWhitespace(bodyText.text);
  const text = subject ? `Subject: ${subject}\n\n${tidyBody}` : tidyBody;
  return { ok: true, text: text.trim() };
}
