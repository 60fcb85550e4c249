/**
 * --max-rows when rows come in groups (--group-column): whole groups are kept, by the rule of the suite's own
 * row caps (twosample/permutationDesign.ts wholeGroupSubsample): each side keeps a uniformly random set of
 * k_side = min(G_side, max(2, ⌊maxRows · G / N⌋)) of its groups, whole, with N rows and G groups over the sides
 * read together. A row sample would keep a share of each group's rows that depends on its side's size, which tells
 * the side, and the whole-group permutation tests would no longer be exact; k depends only on each side's number
 * of groups and on (N, G), so the kept groups are a uniformly random split of the kept set again.
 *
 * A side is capped on its own (G, N) when it is read alone (reference build, check, monitor, embed); compare,
 * probe and finetune (CLI and library) read both sides in full and cap them together (readCappedPair). The reference
 * bundle's own row cap (pipeline/buildReference.ts) keeps whole groups by the same rule (wholeGroupRows).
 */
import { selectRows } from '../core/matrix.js';
import { createRng, type Rng } from '../core/random.js';
import { wholeGroupSubsample } from '../twosample/permutationDesign.js';
import type { Dataset } from './dataset.js';
import { countDuplicates } from './dedupe.js';

/** Label of the rng stream that picks the groups kept: fixed so the same seed always keeps the same groups. */
export const WHOLE_GROUPS_STREAM = 'ingest:max-rows:whole-groups';

/**
 * The sides with at most about `maxRows` rows each, in whole groups (a side without group ids, and every row with
 * an empty id, counts each row as its own group). The sides themselves when every group fits.
 */
export function capWholeGroups(sides: Dataset[], maxRows: number, seed: number): Dataset[] {
  if (sides.length < 1 || sides.length > 2) throw new RangeError(`one or two sides, got ${sides.length}`);
  const [reference, target] = sides;
  const kept = wholeGroupSubsample(
    { reference: groupNumbers(reference), target: target ? groupNumbers(target) : [] },
    maxRows,
    createRng(seed).fork(WHOLE_GROUPS_STREAM),
  );
  if (!kept) return sides;
  return target
    ? [keepRows(reference, kept.reference), keepRows(target, kept.target)]
    : [keepRows(reference, kept.reference)];
}

/**
 * The rows of one side kept by the same rule (a uniformly random max(2, ⌊maxRows · G / N⌋) of its groups, whole),
 * ascending, drawn from `rng`; null when every group fits. For a caller that keeps arrays of its own aligned with
 * the rows (the reference bundle's sample: the rows and their embeddings).
 */
export function wholeGroupRows(side: Dataset, maxRows: number, rng: Rng): Uint32Array | null {
  return wholeGroupSubsample({ reference: groupNumbers(side), target: [] }, maxRows, rng)?.reference ?? null;
}

/**
 * Both sides of a comparison, read by `read` with the row cap it should apply while reading: with a cap and a
 * group column on either side, both are read in full (`read(undefined)`) and capped together by whole groups, so
 * that k comes from the pooled N and G; otherwise each side is capped as it is read.
 */
export async function readCappedPair(
  cap: { maxRows?: number; seed: number; grouped: boolean },
  read: (maxRows: number | undefined) => Promise<[Dataset, Dataset]>,
): Promise<{ reference: Dataset; target: Dataset }> {
  const byGroups = cap.maxRows !== undefined && cap.grouped;
  const sides = await read(byGroups ? undefined : cap.maxRows);
  const [reference, target] = byGroups ? capWholeGroups(sides, cap.maxRows as number, cap.seed) : sides;
  return { reference, target };
}

/** Group number per row: equal non-empty ids share one, each empty id (or each row of a side without ids) its own. */
function groupNumbers(d: Dataset): Int32Array {
  const n = d.vectors ? d.vectors.rows : (d.texts as string[]).length;
  const out = new Int32Array(n);
  const seen = new Map<string, number>();
  let next = 0;
  for (let i = 0; i < n; i++) {
    const id = d.groups?.[i] ?? '';
    let g = id === '' ? undefined : seen.get(id);
    if (g === undefined) {
      g = next++;
      if (id !== '') seen.set(id, g);
    }
    out[i] = g;
  }
  return out;
}

/** The dataset restricted to `rows` (ascending), the rows left out counted in nSampledOut. */
function keepRows(d: Dataset, rows: Uint32Array): Dataset {
  const pick = <T>(values: T[]): T[] => Array.from(rows, (i) => values[i]);
  const n = d.origins.length;
  if (rows.length === n) return d;
  const texts = d.texts ? pick(d.texts) : null;
  const out: Dataset = {
    ...d,
    texts,
    vectors: d.vectors ? selectRows(d.vectors, rows) : null,
    labels: d.labels ? pick(d.labels) : null,
    origins: pick(d.origins),
    counts: {
      ...d.counts,
      nDuplicate: texts ? countDuplicates(texts) : d.counts.nDuplicate,
      nSampledOut: d.counts.nSampledOut + n - rows.length,
    },
  };
  if (d.ids) out.ids = pick(d.ids);
  if (d.groups) out.groups = pick(d.groups);
  return out;
}
