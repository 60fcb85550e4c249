/** Exact-duplicate counting: texts that repeat an earlier text of the same dataset (kept, only counted). */
export function countDuplicates(texts: readonly string[]): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const text of texts) {
    if (seen.has(text)) duplicates++;
    else seen.add(text);
  }
  return duplicates;
}
