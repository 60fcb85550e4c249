/**
 * Upper tail of the F distribution, for the Hotelling T² null of the linear-time MMD test: P(F(d1, d2) > f) =
 * I_{d2/(d2 + d1·f)}(d2/2, d1/2), the regularised incomplete beta function evaluated by its continued fraction
 * (modified Lentz), with the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) to stay in the fast-converging region.
 */

import { regularizedIncompleteBeta } from './incompleteBeta.js';

/** P(F > f) for F ~ F(d1, d2). */
export function fUpperTail(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  if (!Number.isFinite(f)) return 0;
  return regularizedIncompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}
