/**
 * The peers' default drift rules, re-created from their documented behaviour (and their source code, read in late
 * 2026) so the detection grid can run them on the same embeddings as shiftlens, in the same run. One rule per file;
 * each file's comment says which behaviour of the peer it follows and where it departs from it.
 * These are benchmark anchors, not part of shiftlens: nothing in src/ imports them.
 */
import { concatRows, type Matrix } from '../../src/core/matrix.js';
import type { Rng } from '../../src/core/random.js';
import { squaredDistances } from '../../src/linalg/distances.js';

export interface AnchorInput {
  reference: Matrix;
  target: Matrix;
  /** Reference rows on top of target rows. */
  pooled: Matrix;
  /** Squared Euclidean distances between all pooled rows (computed once, shared by the kernel rules). */
  pooledSquaredDistances(): Promise<Matrix>;
}

export interface AnchorOutcome {
  /** The peer's own drift flag. */
  drift: boolean;
  /** The number the peer compares with its threshold (a p-value, an AUC, a distance, an MMD²). */
  score: number;
}

export interface AnchorRule {
  /** Column name in the benchmark tables, e.g. "alibi MMD". */
  name: string;
  tool: 'alibi-detect' | 'Evidently';
  /** One line: the rule as the peer applies it by default. */
  rule: string;
  detect(input: AnchorInput, rng: Rng): Promise<AnchorOutcome>;
}

export function anchorInput(reference: Matrix, target: Matrix): AnchorInput {
  const pooled = concatRows(reference, target);
  let distances: Promise<Matrix> | null = null;
  return {
    reference,
    target,
    pooled,
    pooledSquaredDistances: () => {
      distances ??= squaredDistances(pooled, pooled);
      return distances;
    },
  };
}
