/**
 * One set of random relabellings of the pooled sample (reference rows first, then target rows), shared by every
 * permutation test of a suite run, so that their permutation nulls are JOINT: the suite can then calibrate the
 * smallest p-value over them against its own permutation distribution (Westfall–Young, pvalues/westfallYoung.ts).
 *
 * Labelling 0 is the observed one. With `clusters` (rows that belong together: passages of one document, mails of
 * one thread), whole clusters are relabelled: a draw puts a uniformly random set of g₁ of the G clusters on the
 * reference side, where g₁ is the number of reference clusters observed. Group sizes differ, so the number of
 * reference rows varies between labellings; every statistic is computed for the sizes of its own labelling. Under
 * the null that the clusters are exchangeable (each cluster drawn from one distribution, whichever side it is on),
 * every labelling is as likely as the observed one, so (1 + #{T_b ≥ T_0}) / (1 + P) is exact.
 *
 * Tests record their statistic for every labelling in `ledger` (observed first); the suite reads it.
 */
import { InputError } from '../core/errors.js';
import type { Rng } from '../core/random.js';

/** Cluster id per row of each side (any integers; ids are per side: equal ids on both sides are different clusters). */
export interface RowGroups {
  reference: ArrayLike<number>;
  target: ArrayLike<number>;
}

export interface RecordedNull {
  /** Statistic for labelling 0 (observed) … P, larger = more evidence of a shift. */
  statistics: Float64Array;
  /** Differences below this count as ties (float rounding), in the statistic's units. */
  tolerance: number;
}

export interface PermutationDesign {
  /** Pooled rows: n1 reference rows (0..n1−1) then n2 target rows. */
  n1: number;
  n2: number;
  /** Labellings drawn besides the observed one. */
  permutations: number;
  /** Cluster (0..G−1) of every pooled row, or null when every row is its own cluster. */
  clusters: Int32Array | null;
  nClusters: number;
  /** Reference-side clusters (ids 0..g1−1 are the reference's, g1..G−1 the target's). */
  referenceClusters: number;
  /** 1 where pooled row i is labelled "reference" in labelling p (row-major (P+1)×N). */
  membership: Uint8Array;
  /** Number of rows labelled "reference" in each labelling. */
  referenceCount: Uint32Array;
  ledger: Map<string, RecordedNull>;
}

/** Rows labelled "reference" in labelling p, ascending. */
export function referenceRowsOf(design: PermutationDesign, p: number): Uint32Array {
  const n = design.n1 + design.n2;
  const out = new Uint32Array(design.referenceCount[p]);
  const off = p * n;
  let k = 0;
  for (let i = 0; i < n; i++) if (design.membership[off + i] === 1) out[k++] = i;
  return out;
}

/** Membership of labelling p (a view: do not modify). */
export function membershipOf(design: PermutationDesign, p: number): Uint8Array {
  const n = design.n1 + design.n2;
  return design.membership.subarray(p * n, (p + 1) * n);
}

/**
 * Renumbers per-side cluster ids to 0..G−1 (reference clusters first) over the pooled rows; an InputError when a side
 * has fewer than 2 clusters (a group permutation then has nothing to exchange).
 */
export function pooledClusters(groups: RowGroups): { clusters: Int32Array; referenceClusters: number; total: number } {
  const n1 = groups.reference.length;
  const clusters = new Int32Array(n1 + groups.target.length);
  let next = 0;
  const number = (ids: ArrayLike<number>, offset: number): number => {
    const seen = new Map<number, number>();
    for (let i = 0; i < ids.length; i++) {
      let c = seen.get(ids[i]);
      if (c === undefined) {
        c = next++;
        seen.set(ids[i], c);
      }
      clusters[offset + i] = c;
    }
    return seen.size;
  };
  const referenceClusters = number(groups.reference, 0);
  const targetClusters = number(groups.target, n1);
  if (referenceClusters < 2 || targetClusters < 2) {
    throw new InputError(
      `group-aware tests need at least 2 groups per side (reference ${referenceClusters}, target ${targetClusters}): they move whole groups between the sides; give data with more groups, or leave --group-column out if the rows are independent`,
    );
  }
  return { clusters, referenceClusters, total: next };
}

/**
 * Draws the shared labellings. Row-level: a partial Fisher–Yates shuffle per draw (uniform over subsets of n1
 * rows). Grouped: the same over clusters.
 */
export function createPermutationDesign(
  n1: number,
  n2: number,
  permutations: number,
  rng: Rng,
  groups?: RowGroups | null,
): PermutationDesign {
  if (!Number.isInteger(permutations) || permutations < 1)
    throw new RangeError(`permutations must be an integer ≥ 1, got ${permutations}`);
  if (n1 < 2 || n2 < 2) throw new RangeError('a permutation design needs ≥ 2 rows per side');
  const n = n1 + n2;
  const labellings = permutations + 1;
  const membership = new Uint8Array(labellings * n);
  const referenceCount = new Uint32Array(labellings);
  for (let i = 0; i < n1; i++) membership[i] = 1;
  referenceCount[0] = n1;

  let clusters: Int32Array | null = null;
  let nClusters = n;
  let referenceClusters = n1;
  if (groups) {
    if (groups.reference.length !== n1 || groups.target.length !== n2)
      throw new RangeError('group ids must have one entry per row of each side');
    const pooled = pooledClusters(groups);
    clusters = pooled.clusters;
    nClusters = pooled.total;
    referenceClusters = pooled.referenceClusters;
  }
  const order = Uint32Array.from({ length: nClusters }, (_, i) => i);
  const chosen = new Uint8Array(nClusters);
  for (let p = 1; p < labellings; p++) {
    for (let i = 0; i < referenceClusters; i++) {
      const j = i + rng.int(nClusters - i);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    chosen.fill(0);
    for (let i = 0; i < referenceClusters; i++) chosen[order[i]] = 1;
    const off = p * n;
    let count = 0;
    for (let r = 0; r < n; r++) {
      const m = chosen[clusters ? clusters[r] : r];
      membership[off + r] = m;
      count += m;
    }
    referenceCount[p] = count;
  }
  return {
    n1,
    n2,
    permutations,
    clusters,
    nClusters,
    referenceClusters,
    membership,
    referenceCount,
    ledger: new Map(),
  };
}

/** Records a test's statistics over the design's labellings (observed first) for the joint calibration. */
export function recordNull(design: PermutationDesign, name: string, statistics: Float64Array, tolerance: number): void {
  if (statistics.length !== design.permutations + 1)
    throw new RangeError(`${name}: ${statistics.length} statistics for ${design.permutations + 1} labellings`);
  design.ledger.set(name, { statistics, tolerance });
}

/** Observed statistic followed by the permuted ones, as the ledger stores them. */
export function withObserved(observed: number, permuted: Float64Array): Float64Array {
  const out = new Float64Array(permuted.length + 1);
  out[0] = observed;
  out.set(permuted, 1);
  return out;
}

/** (1 + #{b ≥ 1: T_b ≥ T_0 − tol}) / (1 + P) from a recorded null. */
export function permutationPValue(statistics: Float64Array, tolerance: number): number {
  const observed = statistics[0];
  let atLeast = 0;
  for (let b = 1; b < statistics.length; b++) if (statistics[b] >= observed - tolerance) atLeast++;
  return (1 + atLeast) / statistics.length;
}

/**
 * Number of distinct labellings a grouped design can draw, C(G, g₁), as a float (Infinity when huge): with fewer
 * than 1/α of them no p-value can fall below α.
 */
export function distinctLabellings(design: PermutationDesign): number {
  const g = design.nClusters;
  const k = Math.min(design.referenceClusters, g - design.referenceClusters);
  let c = 1;
  for (let i = 1; i <= k; i++) {
    c = (c * (g - k + i)) / i;
    if (c > 1e15) return Infinity;
  }
  return Math.round(c);
}

/**
 * Folds (0..k−1) that keep every cluster whole and each side in every fold: each side's clusters are shuffled
 * and dealt round-robin (the reference's first, the target's continuing where it stopped). Without clusters,
 * each row is its own cluster. k is lowered to the smaller side's cluster count when needed (returned).
 */
export function groupedFolds(
  n1: number,
  n2: number,
  clusters: Int32Array | null,
  k: number,
  rng: Rng,
): { folds: Int32Array; k: number } {
  const n = n1 + n2;
  const ids = clusters ?? Int32Array.from({ length: n }, (_, i) => i);
  const sideClusters: number[][] = [[], []];
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (seen.has(ids[i])) continue;
    seen.add(ids[i]);
    sideClusters[i < n1 ? 0 : 1].push(ids[i]);
  }
  const folds = Math.max(2, Math.min(k, sideClusters[0].length, sideClusters[1].length));
  const foldOf = new Map<number, number>();
  let next = 0;
  for (const list of sideClusters) {
    for (const c of rng.shuffle(list)) {
      foldOf.set(c, next);
      next = (next + 1) % folds;
    }
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = foldOf.get(ids[i]) as number;
  return { folds: out, k: folds };
}

/**
 * A bootstrap draw of one side's rows (indices `offset … offset + count − 1` of the pooled sample): whole clusters
 * resampled with replacement when clusters are given (as many clusters as the side has), rows otherwise.
 */
export function bootstrapSide(
  offset: number,
  count: number,
  clusters: Int32Array | null,
  rng: Rng,
  members?: Map<number, number[]>,
): number[] {
  if (!clusters || !members) {
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = offset + rng.int(count);
    return out;
  }
  const ids = [...members.keys()];
  const out: number[] = [];
  for (let c = 0; c < ids.length; c++) out.push(...(members.get(ids[rng.int(ids.length)]) as number[]));
  return out;
}

/**
 * A subsample of grouped rows that keeps the whole-group permutation test exact: each side keeps a uniformly random
 * set of k_side of its own groups, whole, with k_side = min(G_side, max(2, ⌊maxPerSide · G / N⌋)) — as many groups
 * as fill `maxPerSide` rows at the pooled mean group size N/G, so a side holds about `maxPerSide` rows (more when
 * its groups are larger than average). Null when that keeps every group of both sides.
 *
 * Why this rule: k_side depends only on the number of groups of each side and on (N, G), which no relabelling of
 * whole groups changes. So if the observed split is one random assignment of the G groups (g₁ to the reference),
 * the kept groups of the two sides are a uniformly random split of the kept set, and permuting them is exact again.
 * Drawing a fixed number of ROWS per side instead (what a row cap does) samples the sides at different rates when
 * they differ in size: a group then keeps a share of its rows that tells its side, and the permutation null is off.
 *
 * Returns the kept rows of each side (ascending indices into that side) and their group ids.
 */
export function wholeGroupSubsample(
  groups: RowGroups,
  maxPerSide: number,
  rng: Rng,
): { reference: Uint32Array; target: Uint32Array; groups: RowGroups } | null {
  const n = groups.reference.length + groups.target.length;
  const bySide = [groups.reference, groups.target].map((ids) => {
    const rows = new Map<number, number[]>();
    for (let i = 0; i < ids.length; i++) {
      const list = rows.get(ids[i]);
      if (list) list.push(i);
      else rows.set(ids[i], [i]);
    }
    return [...rows.values()];
  });
  const total = bySide[0].length + bySide[1].length;
  const keep = Math.max(2, Math.floor((maxPerSide * total) / n));
  if (keep >= bySide[0].length && keep >= bySide[1].length) return null;
  const [reference, target] = bySide.map((list) => {
    if (keep >= list.length) return Uint32Array.from(list.flat()).sort();
    const chosen = rng.sample(list.length, keep);
    return Uint32Array.from(Array.from(chosen, (g) => list[g]).flat()).sort();
  });
  return {
    reference,
    target,
    groups: {
      reference: Array.from(reference, (i) => groups.reference[i]),
      target: Array.from(target, (i) => groups.target[i]),
    },
  };
}

/** Rows of each cluster within pooled rows offset … offset + count − 1. */
export function clusterMembers(offset: number, count: number, clusters: Int32Array): Map<number, number[]> {
  const members = new Map<number, number[]>();
  for (let i = offset; i < offset + count; i++) {
    const list = members.get(clusters[i]);
    if (list) list.push(i);
    else members.set(clusters[i], [i]);
  }
  return members;
}
