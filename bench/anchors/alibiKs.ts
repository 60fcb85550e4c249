/**
 * alibi-detect `KSDrift` at its defaults (alibi_detect/cd/ks.py): one two-sided two-sample KS test per feature,
 * scipy `ks_2samp(..., mode='asymp')`, and batch drift when any feature's p < 0.05 / d (`correction='bonferroni'`).
 * scipy's asymptotic two-sided p-value is kstwo.sf(D, round(nm/(n+m))); here Stephens' approximation of that same
 * distribution (src/twosample/pvalues/ks.ts, exact in N = nm/(n+m), which is an integer for the grid's equal even
 * sizes). The statistic itself is exact.
 */
import { columnOf } from '../../src/core/matrix.js';
import { ksTwoSample } from '../../src/twosample/pvalues/ks.js';
import type { AnchorRule } from './anchorRule.js';

const P_VAL = 0.05;

export const alibiKs: AnchorRule = {
  name: 'alibi KS',
  tool: 'alibi-detect',
  rule: 'KSDrift: per-dimension two-sided KS (asymptotic p), drift when min p < 0.05 / d (Bonferroni)',
  async detect(input) {
    const { reference, target } = input;
    const d = reference.cols;
    let minP = 1;
    for (let f = 0; f < d; f++) {
      minP = Math.min(minP, ksTwoSample(columnOf(reference, f), columnOf(target, f), 'asymptotic').pValue);
    }
    return { drift: minP < P_VAL / d, score: minP };
  },
};
