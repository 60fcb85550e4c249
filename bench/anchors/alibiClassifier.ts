/**
 * alibi-detect `ClassifierDrift` at its defaults (alibi_detect/cd/base.py, `BaseClassifierDrift`), with the model
 * its scikit-learn backend is typically given, `LogisticRegression()` at scikit-learn's defaults (alibi needs a
 * user model; C = 1, L2, no feature scaling):
 * - reference (label 0) and target (label 1) rows pooled and shuffled, not stratified; the first
 *   ⌊0.75·N⌋ train the classifier (`train_size=.75`, `n_folds=None`), the rest are scored;
 * - `preds_type='probs'`, `binarize_preds=False`: `ks_2samp(probs_ref, probs_cur, alternative='greater')` on the
 *   held-out probabilities of "target" (exact, as scipy's `method='auto'` is at these sizes: ./ksGreater.ts);
 * - drift when p < 0.05.
 * scikit-learn's objective ½‖w‖² + C·Σ log-loss is the project's mean-loss objective with λ = 1/(C·n_train)
 * (src/learn/logisticRegression.ts). A held-out set without one of the two samples (possible at tiny n, where
 * scipy would raise) counts as no drift.
 */
import { fitLogisticRegression, predictProbabilities } from '../../src/learn/logisticRegression.js';
import type { AnchorRule } from './anchorRule.js';
import { ksGreater } from './ksGreater.js';

const TRAIN_SIZE = 0.75;
const P_VAL = 0.05;

export const alibiClassifier: AnchorRule = {
  name: 'alibi classifier',
  tool: 'alibi-detect',
  rule: 'ClassifierDrift: logistic regression (C = 1) on a random 75%, one-sided KS on held-out probabilities, p < 0.05',
  async detect(input, rng) {
    const n = input.reference.rows;
    const N = input.pooled.rows;
    const labels = Int32Array.from({ length: N }, (_, i) => (i < n ? 0 : 1));
    const shuffled = rng.permutation(N);
    const nTrain = Math.floor(N * TRAIN_SIZE);
    const train = shuffled.subarray(0, nTrain);
    const test = shuffled.subarray(nTrain);
    const model = fitLogisticRegression(input.pooled, labels, 2, {
      rows: train,
      regularization: 1 / nTrain,
      standardize: false,
    });
    const probabilities = predictProbabilities(model, input.pooled, test);
    const refScores: number[] = [];
    const tgtScores: number[] = [];
    test.forEach((row, k) => (labels[row] === 0 ? refScores : tgtScores).push(probabilities[k * 2 + 1]));
    if (refScores.length === 0 || tgtScores.length === 0) return { drift: false, score: 1 };
    const { pValue } = ksGreater(refScores, tgtScores);
    return { drift: pValue < P_VAL, score: pValue };
  },
};
