/**
 * The combined decision recomputed for other Westfall–Young weights from stored trials (bench/verdictCalibration.ts
 * keeps, per trial, every joint test's p-value on every shared labelling). When every test is in the joint family
 * (all sizes below the exact tests' limit), the suite's decision is the single-step weighted min-P test: reject
 * when #{b : min_t p_t(b)/w_t ≤ min_t p_t(0)/w_t} / B ≤ α — exactly what this recomputes, for any weights, without
 * rerunning a test.
 */

export type Weights = Readonly<Record<string, number>>;

/** Single-step weighted min-P p-value of one trial. `joint`: per test, B·p_t(b) for every labelling (observed first). */
export function weightedMinP(joint: Readonly<Record<string, readonly number[]>>, weights: Weights): number {
  const names = Object.keys(joint);
  const b = joint[names[0]].length;
  const score = new Float64Array(b).fill(Infinity);
  for (const name of names) {
    const w = weights[name];
    if (!(w > 0)) continue;
    const p = joint[name];
    for (let i = 0; i < b; i++) {
      const s = p[i] / w;
      if (s < score[i]) score[i] = s;
    }
  }
  let atMost = 0;
  // A relative tolerance so that equal scores computed through different weights still tie.
  const observed = score[0] * (1 + 1e-12);
  for (let i = 0; i < b; i++) if (score[i] <= observed) atMost++;
  return atMost / b;
}

export interface PowerCell {
  label: string;
  /** Trials of this cell: joint per-labelling p-values and raw p-values per test. */
  trials: { joint: Readonly<Record<string, readonly number[]>>; p: Readonly<Record<string, number>> }[];
}

/** Rejection rate of the combined decision with these weights, and of the best single test (raw p ≤ α). */
export function cellPower(
  cell: PowerCell,
  weights: Weights,
  alpha: number,
): { combined: number; best: number; bestTest: string; gap: number; gapSe: number } {
  const combined = cell.trials.map((t) => (weightedMinP(t.joint, weights) <= alpha ? 1 : 0));
  const g = gapToBest(combined, cell.trials, alpha);
  return { combined: g.combined, best: g.best, bestTest: g.bestTest, gap: -g.gap, gapSe: g.gapSe };
}

/**
 * A combined decision's flags (1 = rejected) against the best single test of the same trials (raw p ≤ α; the
 * test with the highest rate, chosen after the fact, which favours it): rates, gap = combined − best and its
 * paired standard error √(s²/T) over the per-trial differences.
 */
export function gapToBest(
  combined: readonly number[],
  trials: readonly { p: Readonly<Record<string, number>> }[],
  alpha: number,
): { combined: number; best: number; bestTest: string; gap: number; gapSe: number } {
  const n = trials.length;
  let bestTest = '';
  let bestFlags: number[] = [];
  let best = -1;
  for (const name of Object.keys(trials[0].p)) {
    const flags = trials.map((t) => (t.p[name] <= alpha ? 1 : 0));
    const r = flags.reduce<number>((s, f) => s + f, 0) / n;
    if (r > best) [best, bestTest, bestFlags] = [r, name, flags];
  }
  const diffs = combined.map((c, i) => c - bestFlags[i]);
  const mean = diffs.reduce((s, d) => s + d, 0) / n;
  const variance = diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(n - 1, 1);
  return {
    combined: combined.reduce<number>((s, f) => s + f, 0) / n,
    best,
    bestTest,
    gap: mean,
    gapSe: Math.sqrt(variance / n),
  };
}

/**
 * Candidate weights: c2st, mmd and ks-pca on a grid, energy, Fréchet and centroid sharing what is left equally
 * (they are the tests that never led a cell), every weight ≥ `step` / 2.
 */
export function weightGrid(step = 0.05): Weights[] {
  const out: Weights[] = [];
  const steps = Math.round(1 / step);
  for (let c = 1; c < steps; c++)
    for (let m = 1; m < steps - c; m++)
      for (let k = 1; k < steps - c - m; k++) {
        const rest = (steps - c - m - k) * step;
        if (rest <= 0) continue;
        out.push({
          c2st: c * step,
          mmd: m * step,
          'ks-pca': k * step,
          energy: rest / 3,
          frechet: rest / 3,
          centroid: rest / 3,
        });
      }
  return out;
}

/**
 * Chooses weights on `cells` by the criterion: the smallest largest shortfall of the combined decision
 * below the best single test over the cells; ties (within 0.0025) go to the larger mean power, then to the weights
 * closest to equal (largest entropy), so cells that every rule saturates do not pick an extreme.
 */
export function chooseWeights(cells: PowerCell[], candidates: Weights[], alpha: number): Weights {
  const entropy = (w: Weights) => {
    const values = Object.values(w);
    const total = values.reduce((s, v) => s + v, 0);
    return -values.reduce((s, v) => s + (v / total) * Math.log(v / total), 0);
  };
  let chosen = candidates[0];
  let key = [Infinity, -Infinity, -Infinity];
  for (const w of candidates) {
    let worst = -Infinity;
    let mean = 0;
    for (const cell of cells) {
      const r = cellPower(cell, w, alpha);
      worst = Math.max(worst, r.gap);
      mean += r.combined / cells.length;
    }
    const better =
      worst < key[0] - 0.0025 ||
      (worst <= key[0] + 0.0025 && (mean > key[1] + 1e-9 || (Math.abs(mean - key[1]) <= 1e-9 && entropy(w) > key[2])));
    if (better) [chosen, key] = [w, [Math.min(worst, key[0]), mean, entropy(w)]];
  }
  return chosen;
}
