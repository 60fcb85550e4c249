/**
 * HTML to readable text: drop scripts, styles, comments and the head, turn block elements into line breaks,
 * remove every other tag and decode entities (`he`). Good enough for mail bodies; not a renderer.
 */
import he from 'he';

const BLOCK_TAGS =
  'p|div|br|tr|li|ul|ol|table|h[1-6]|blockquote|pre|hr|center|dd|dt|dl|section|article|header|footer|title|form|option';

export function htmlToText(html: string): string {
  let text = html
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
    .replace(/<(script|style|head|object|xml)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, ' ')
    .replace(/<!DOCTYPE[^>]*>/gi, ' ');
  text = text.replace(new RegExp(`<\\/?(${BLOCK_TAGS})\\b[^>]*>`, 'gi'), '\n');
  // Table cells sit side by side: keep them apart with a space.
  text = text.replace(/<\/?(td|th)\b[^>]*>/gi, ' ');
  text = text.replace(/<\/?[a-zA-Z][^>]*>/g, '');
  text = text.replace(/<\/?[a-zA-Z][^<]*$/, '');
  return he.decode(text);
}

/** Does a text/plain body actually hold HTML (common in spam without a Content-Type)? */
export function looksLikeHtml(text: string): boolean {
  if (/<\s*(html|body)\b/i.test(text)) return true;
  const tags = text.match(/<\/?(p|br|div|font|table|tr|td|a|b|i|img|center|span)\b[^>]*>/gi);
  return tags !== null && tags.length >= 3;
}

/** Collapse runs of blanks, trim each line, and keep at most one empty line between paragraphs. */
export function tidyWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0\u200b]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
