/**
 * Distance between the two samples' centroids (mean embeddings): Euclidean, and cosine distance 1 − cos(μa, μb).
 * The cosine distance is 0 when both centroids are the zero vector and 1 when only one is (no direction to compare).
 */
import type { Matrix } from '../core/matrix.js';
import { columnMeans } from '../linalg/covariance.js';

export interface CentroidDistances {
  cosineDistance: number;
  euclideanDistance: number;
}

export function centroidDistances(a: Matrix, b: Matrix): CentroidDistances {
  if (a.cols !== b.cols) throw new RangeError(`cannot compare ${a.cols}-d and ${b.cols}-d centroids`);
  if (a.rows < 1 || b.rows < 1) throw new RangeError('centroidDistances needs at least one row on each side');
  return distancesBetween(columnMeans(a), columnMeans(b));
}

export function distancesBetween(ma: ArrayLike<number>, mb: ArrayLike<number>): CentroidDistances {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let sq = 0;
  for (let j = 0; j < ma.length; j++) {
    dot += ma[j] * mb[j];
    na += ma[j] * ma[j];
    nb += mb[j] * mb[j];
    sq += (ma[j] - mb[j]) ** 2;
  }
  let cosineDistance: number;
  if (na === 0 && nb === 0) cosineDistance = 0;
  else if (na === 0 || nb === 0) cosineDistance = 1;
  else cosineDistance = Math.min(2, Math.max(0, 1 - dot / Math.sqrt(na * nb)));
  return { cosineDistance, euclideanDistance: Math.sqrt(sq) };
}
