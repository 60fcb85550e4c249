/** The anchors' default rules, in the order the benchmark tables show them. */
import type { AnchorRule } from './anchorRule.js';
import { alibiClassifier } from './alibiClassifier.js';
import { alibiKs } from './alibiKs.js';
import { alibiMmd } from './alibiMmd.js';
import { evidentlyCentroid } from './evidentlyCentroid.js';
import { evidentlyClassifier } from './evidentlyClassifier.js';
import { evidentlyMmd } from './evidentlyMmd.js';

export { anchorInput, type AnchorInput, type AnchorOutcome, type AnchorRule } from './anchorRule.js';

export const ANCHOR_RULES: readonly AnchorRule[] = [
  alibiMmd,
  alibiKs,
  alibiClassifier,
  evidentlyClassifier,
  evidentlyCentroid,
  evidentlyMmd,
];
