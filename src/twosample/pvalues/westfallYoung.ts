/**
 * Westfall–Young step-down min-P adjustment (Westfall & Young 1993, algorithm 2.8) for m tests whose statistics
 * were computed on the SAME B = P + 1 labellings (labelling 0 observed): exact family-wise error control at any
 * dependence between the tests, and little loss when they are correlated (as tests of one shift are).
 *
 * 1. Each test's p-value for every labelling b against that test's own null: p_t(b) = #{b': T_t(b') ≥ T_t(b) −
 *    tol_t} / B (labelling 0 included, so p_t(0) is the usual (1 + #{permuted ≥ observed}) / (1 + P)).
 * 2. Order the tests by observed p-value, p_(1) ≤ … ≤ p_(m). For every labelling, q_b^(j) = min over k ≥ j of
 *    p_(k)(b) (the successive minima from the largest observed p-value down).
 * 3. p̃_(j) = #{b : q_b^(j) ≤ p_(j)(0)} / B, then made monotone: p̃_(j) = max(p̃_(j−1), p̃_(j)).
 *
 * Under the null every labelling (the observed one too) is equally likely, so the observed minimum p-value is one
 * of B exchangeable draws of the minimum: p̃_(1), the single-step min-P p-value of the family, is exact.
 *
 * Weighted form (weights w_t > 0): every p_t(b) is replaced by p_t(b) / w_t before steps 2–3 (tests ordered by
 * p_t(0) / w_t). A test with a larger weight then gets a larger share of α when the tests are unrelated, while
 * the joint permutation distribution keeps the family-wise error exact whatever the weights; equal weights give
 * the unweighted procedure. (Renormalising the weights over the tests left at a step multiplies every score of
 * that step by one constant, which changes nothing.)
 */

export interface JointNull {
  name: string;
  /** Statistics over the shared labellings, observed first; larger = more evidence. */
  statistics: Float64Array;
  tolerance: number;
  /** Prior weight of the test (default 1). */
  weight?: number;
}

/** p_t(b) for every labelling b of one test. */
export function labellingPValues(statistics: Float64Array, tolerance: number): Float64Array {
  const b = statistics.length;
  const sorted = Float64Array.from(statistics).sort(); // ascending
  const out = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    // #{values ≥ T_i − tol} = b − (index of the first value ≥ T_i − tol).
    const threshold = statistics[i] - tolerance;
    let lo = 0;
    let hi = b;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < threshold) lo = mid + 1;
      else hi = mid;
    }
    out[i] = (b - lo) / b;
  }
  return out;
}

/** Adjusted p-values in input order, plus each test's raw p-value (labelling 0). */
export function westfallYoungAdjust(tests: readonly JointNull[]): { raw: number[]; adjusted: number[] } {
  const m = tests.length;
  if (m === 0) return { raw: [], adjusted: [] };
  const b = tests[0].statistics.length;
  for (const t of tests) {
    if (t.statistics.length !== b) throw new RangeError(`${t.name}: ${t.statistics.length} labellings, expected ${b}`);
  }
  for (const t of tests) {
    if (t.weight !== undefined && !(t.weight > 0)) throw new RangeError(`${t.name}: weight must be > 0`);
  }
  const perLabelling = tests.map((t) => labellingPValues(t.statistics, t.tolerance));
  const raw = perLabelling.map((p) => p[0]);
  const weights = tests.map((t) => t.weight ?? 1);
  const scores = perLabelling.map((p, t) => (weights[t] === 1 ? p : p.map((v) => v / weights[t])));
  const observedScore = scores.map((s) => s[0]);
  const order = raw.map((_, i) => i).sort((x, y) => observedScore[x] - observedScore[y] || x - y);
  const successiveMin = new Float64Array(b).fill(Infinity);
  const stepValue = new Array<number>(m);
  for (let rank = m - 1; rank >= 0; rank--) {
    const p = scores[order[rank]];
    const observed = observedScore[order[rank]];
    let count = 0;
    for (let i = 0; i < b; i++) {
      if (p[i] < successiveMin[i]) successiveMin[i] = p[i];
      if (successiveMin[i] <= observed) count++;
    }
    stepValue[rank] = count / b;
  }
  const adjusted = new Array<number>(m);
  let running = 0;
  for (let rank = 0; rank < m; rank++) {
    running = Math.max(running, stepValue[rank]);
    adjusted[order[rank]] = running;
  }
  return { raw, adjusted };
}
