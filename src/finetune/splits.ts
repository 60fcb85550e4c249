/**
 * The one reference split every method shares: stratified train / validation / test. Training uses train only;
 * early stopping and hyper-parameters use validation only; the reference accuracy is measured on test. The
 * target is never used for fitting or for any choice: it is only scored.
 */
import { InputError } from '../core/errors.js';
import type { Rng } from '../core/random.js';

export interface ReferenceSplit {
  train: number[];
  validation: number[];
  test: number[];
}

export interface SplitShares {
  validation: number;
  test: number;
}

export const DEFAULT_SPLIT_SHARES: SplitShares = { validation: 0.15, test: 0.15 };

/** Per class: shuffle its rows, give round(share × n) to test and validation (at least one each when n ≥ 3). */
export function stratifiedSplit(labels: ArrayLike<number>, shares: SplitShares, rng: Rng): ReferenceSplit {
  if (!(shares.validation > 0 && shares.test > 0 && shares.validation + shares.test < 1)) {
    throw new InputError(
      `validation and test shares must be positive and sum below 1, got ${shares.validation} and ${shares.test}`,
    );
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const split: ReferenceSplit = { train: [], validation: [], test: [] };
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle([...(byClass.get(key) as number[])]);
    const n = rows.length;
    const nTest = n >= 3 ? Math.max(1, Math.round(shares.test * n)) : 0;
    const nValidation = n >= 3 ? Math.max(1, Math.round(shares.validation * n)) : 0;
    split.test.push(...rows.slice(0, nTest));
    split.validation.push(...rows.slice(nTest, nTest + nValidation));
    split.train.push(...rows.slice(nTest + nValidation));
  }
  for (const part of [split.train, split.validation, split.test]) part.sort((a, b) => a - b);
  if (split.validation.length === 0 || split.test.length === 0 || split.train.length < 2) {
    throw new InputError(
      `the reference has ${labels.length} labelled rows: too few to split into train, validation and test (need at least 3 per class)`,
    );
  }
  return split;
}
