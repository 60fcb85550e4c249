/**
 * Evidently's `distance()` embedding-drift method at its defaults (embedding_drift_methods.py,
 * `DistanceDriftMethod`): Euclidean distance between the reference and current mean embeddings, drift when it
 * exceeds 0.2 (`dist="euclidean"`, `threshold=0.2`, `bootstrap=None`). A fixed cut-off on the embedding's own
 * scale, whatever the model or the sample size.
 */
import { distancesBetween } from '../../src/analysis/centroid.js';
import { columnMeans } from '../../src/linalg/covariance.js';
import type { AnchorRule } from './anchorRule.js';

const THRESHOLD = 0.2;

export const evidentlyCentroid: AnchorRule = {
  name: 'Evidently centroid',
  tool: 'Evidently',
  rule: 'distance(): Euclidean distance between mean embeddings > 0.2',
  async detect(input) {
    const { euclideanDistance } = distancesBetween(columnMeans(input.reference), columnMeans(input.target));
    return { drift: euclideanDistance > THRESHOLD, score: euclideanDistance };
  },
};
