/**
 * The checks every two-sample analysis makes before it starts: at least 2 rows per side, the same dimension, and
 * only finite values. Failures are the user's to fix, so they are InputErrors naming the side and row.
 */
import { InputError } from '../core/errors.js';
import { firstNonFinite, type Matrix } from '../core/matrix.js';

export function checkTwoSamples(reference: Matrix, target: Matrix, what: string): void {
  for (const [side, m] of [
    ['reference', reference],
    ['target', target],
  ] as const) {
    if (m.rows < 2) {
      throw new InputError(`${what}: the ${side} has ${m.rows} sample(s); give at least 2 samples per side`);
    }
    const bad = firstNonFinite(m);
    if (bad >= 0) {
      throw new InputError(
        `${what}: ${side} embedding row ${Math.floor(bad / m.cols)} has a non-finite value (dimension ${bad % m.cols}); fix or drop that sample`,
      );
    }
  }
  if (reference.cols !== target.cols) {
    throw new InputError(
      `${what}: reference embeddings have ${reference.cols} dimensions but target ${target.cols}; embed both with the same model`,
    );
  }
  if (reference.cols < 1) throw new InputError(`${what}: embeddings have no dimensions`);
}
