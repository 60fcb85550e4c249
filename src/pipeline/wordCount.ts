/** Whitespace-separated words in a text: the length unit the report and result.json use. */
export function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}
