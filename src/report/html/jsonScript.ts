/**
 * JSON that is safe inside an HTML <script type="application/json"> element: every character that could end the
 * element or open markup ("<", ">", "&") and the two JavaScript line separators are written as \u escapes, which
 * JSON.parse reads back unchanged. User texts travel through here, so this is the report's XSS boundary for data.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** UTF-8 bytes a string takes once serialised by jsonForScript (used to budget hover texts). */
export function jsonStringBytes(text: string): number {
  return Buffer.byteLength(jsonForScript(text), 'utf8');
}
