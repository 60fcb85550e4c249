/**
 * Label shift as evidence of its own: do the two sides carry the same classes in the same proportions?
 *
 * - Unseen classes: target classes the reference never has, with their row counts and share of the labelled
 *   target rows. A reference-trained model can never predict them, however the embeddings overlap.
 * - A test of homogeneity of the 2 × K table (reference / target × class), Pearson's X² = Σ (O − E)² / E:
 *   the χ²(K − 1) tail when every expected count is ≥ 5 (Cochran's rule), otherwise a Monte-Carlo p-value over
 *   tables with the observed margins (as R's chisq.test(simulate.p.value = TRUE): sequential hypergeometric
 *   draws, p = (1 + #{X²_b ≥ X²}) / (1 + B), B = 9999 by default).
 * - Effect size: Cramér's V of the table as if both sides had equal size, √(½ Σ_k (p_k − q_k)² / (p_k + q_k))
 *   (= Cohen's w, 0 = same proportions, 1 = disjoint classes; bands in src/verdict/effectWords.ts), and the
 *   total-variation distance ½ Σ |p_k − q_k| (the share of target labels that would have to change class).
 * Labels go through the same label map and empty-label rule as the probe (./labels.ts).
 */
import type { Rng } from '../core/random.js';
import { logGamma } from '../twosample/kernels/incompleteBeta.js';
import { chiSquareUpperTail } from './chiSquareTail.js';
import { mapLabel } from './labels.js';

export interface LabelShiftResult {
  /** Union of both sides' classes, sorted. */
  classes: string[];
  referenceCounts: Record<string, number>;
  targetCounts: Record<string, number>;
  nReference: number;
  nTarget: number;
  /** Target classes absent from the reference. */
  unseen: { classes: { label: string; count: number }[]; nRows: number; share: number };
  /** Reference classes absent from the target. */
  missingInTarget: string[];
  test: {
    method: 'chi-square' | 'monte-carlo';
    /** Pearson's X². */
    statistic: number;
    df: number;
    pValue: number;
    /** Monte-Carlo tables drawn (null for the χ² tail). */
    replicates: number | null;
    minExpected: number;
  } | null;
  /** Cramér's V as if both sides had equal size (Cohen's w). */
  effectSize: number;
  totalVariation: number;
}

export interface LabelShiftOptions {
  /** Monte-Carlo tables when an expected count is below minExpected. */
  replicates: number;
  /** Smallest expected count for the χ² approximation. */
  minExpected: number;
}

export const DEFAULT_LABEL_SHIFT_OPTIONS: LabelShiftOptions = { replicates: 9999, minExpected: 5 };

/** Null when either side has no non-empty label. */
export function compareLabelDistributions(
  referenceLabels: string[],
  targetLabels: string[],
  labelMap: Record<string, string> | null,
  rng: Rng,
  options: Partial<LabelShiftOptions> = {},
): LabelShiftResult | null {
  const opts = { ...DEFAULT_LABEL_SHIFT_OPTIONS, ...options };
  const ref = countLabels(referenceLabels, labelMap);
  const tgt = countLabels(targetLabels, labelMap);
  const nReference = sum(ref.values());
  const nTarget = sum(tgt.values());
  if (nReference === 0 || nTarget === 0) return null;
  const classes = [...new Set([...ref.keys(), ...tgt.keys()])].sort();
  const r = classes.map((c) => ref.get(c) ?? 0);
  const t = classes.map((c) => tgt.get(c) ?? 0);
  const unseen = classes.filter((c) => !ref.has(c)).map((label) => ({ label, count: tgt.get(label) as number }));
  const nUnseen = sum(unseen.map((u) => u.count));

  let effect = 0;
  let tv = 0;
  classes.forEach((_, k) => {
    const p = r[k] / nReference;
    const q = t[k] / nTarget;
    if (p + q > 0) effect += (p - q) ** 2 / (p + q);
    tv += Math.abs(p - q);
  });
  return {
    classes,
    referenceCounts: Object.fromEntries(classes.map((c, k) => [c, r[k]]).filter(([, n]) => (n as number) > 0)),
    targetCounts: Object.fromEntries(classes.map((c, k) => [c, t[k]]).filter(([, n]) => (n as number) > 0)),
    nReference,
    nTarget,
    unseen: { classes: unseen, nRows: nUnseen, share: nUnseen / nTarget },
    missingInTarget: classes.filter((c) => !tgt.has(c)),
    test: classes.length < 2 ? null : homogeneityTest(r, t, rng, opts),
    effectSize: Math.sqrt(effect / 2),
    totalVariation: tv / 2,
  };
}

/** Pearson's X² of a 2 × K table given as its two rows. */
export function pearsonStatistic(r: ArrayLike<number>, t: ArrayLike<number>): number {
  const nr = sum(Array.from(r));
  const nt = sum(Array.from(t));
  const n = nr + nt;
  let x2 = 0;
  for (let k = 0; k < r.length; k++) {
    const column = r[k] + t[k];
    if (column === 0) continue;
    const er = (nr * column) / n;
    const et = (nt * column) / n;
    x2 += (r[k] - er) ** 2 / er + (t[k] - et) ** 2 / et;
  }
  return x2;
}

function homogeneityTest(
  r: number[],
  t: number[],
  rng: Rng,
  opts: LabelShiftOptions,
): NonNullable<LabelShiftResult['test']> {
  const nr = sum(r);
  const nt = sum(t);
  const n = nr + nt;
  const columns = r.map((x, k) => x + t[k]);
  const minExpected = Math.min(...columns.map((c) => (Math.min(nr, nt) * c) / n));
  const statistic = pearsonStatistic(r, t);
  const df = r.length - 1;
  if (minExpected >= opts.minExpected) {
    return {
      method: 'chi-square',
      statistic,
      df,
      pValue: chiSquareUpperTail(statistic, df),
      replicates: null,
      minExpected,
    };
  }
  // R's tolerance: a simulated statistic equal to the observed one up to rounding counts as "at least as large".
  const threshold = statistic * (1 - 64 * Number.EPSILON);
  const simulatedTarget = new Array<number>(columns.length);
  const simulatedReference = new Array<number>(columns.length);
  let atLeast = 0;
  for (let b = 0; b < opts.replicates; b++) {
    let remainingRows = n;
    let remainingTarget = nt;
    for (let k = 0; k < columns.length; k++) {
      const x =
        k === columns.length - 1 ? remainingTarget : hypergeometric(remainingRows, columns[k], remainingTarget, rng);
      simulatedTarget[k] = x;
      simulatedReference[k] = columns[k] - x;
      remainingRows -= columns[k];
      remainingTarget -= x;
    }
    if (pearsonStatistic(simulatedReference, simulatedTarget) >= threshold) atLeast++;
  }
  return {
    method: 'monte-carlo',
    statistic,
    df,
    pValue: (1 + atLeast) / (1 + opts.replicates),
    replicates: opts.replicates,
    minExpected,
  };
}

/**
 * Successes among `draws` taken without replacement from `population` items of which `successes` are successes:
 * inversion by chop-down search from the mode (expected steps ~ the standard deviation).
 */
export function hypergeometric(population: number, successes: number, draws: number, rng: Rng): number {
  const low = Math.max(0, draws + successes - population);
  const high = Math.min(draws, successes);
  if (low === high) return low;
  const failures = population - successes;
  const mode = Math.min(high, Math.max(low, Math.floor(((draws + 1) * (successes + 1)) / (population + 2))));
  const logPmf = (x: number) => logChoose(successes, x) + logChoose(failures, draws - x) - logChoose(population, draws);
  const atMode = Math.exp(logPmf(mode));
  // ratio(x) = pmf(x + 1) / pmf(x)
  const ratio = (x: number) => ((successes - x) * (draws - x)) / ((x + 1) * (failures - draws + x + 1));
  let u = rng.next() - atMode;
  if (u < 0) return mode;
  let down = mode;
  let up = mode;
  let pDown = atMode;
  let pUp = atMode;
  while (down > low || up < high) {
    if (up < high) {
      pUp *= ratio(up);
      up++;
      u -= pUp;
      if (u < 0) return up;
    }
    if (down > low) {
      pDown /= ratio(down - 1);
      down--;
      u -= pDown;
      if (u < 0) return down;
    }
  }
  return mode; // rounding left a sliver of mass unassigned
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

function countLabels(labels: string[], labelMap: Record<string, string> | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const raw of labels) {
    const label = mapLabel(raw, labelMap);
    if (label !== '') counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
