/**
 * Upper tail of Student's t distribution, P(T_ν ≥ t) = ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, through the regularised
 * incomplete beta function (Lentz's continued fraction, Numerical Recipes §6.4) and a Lanczos log-gamma.
 * Used by the block MMD test, whose null is the mean of independent block statistics.
 */
import { regularizedIncompleteBeta } from './incompleteBeta.js';

export function studentTUpperTail(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`Student t needs df > 0, got ${df}`);
  if (Number.isNaN(t)) throw new RangeError('Student t of NaN');
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const half = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? half : 1 - half;
}
