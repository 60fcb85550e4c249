/**
 * Evidently's default embedding-drift method, `model()` (src/evidently/metrics/data_drift/embedding_drift_methods.py,
 * `ModelDriftMethod`): a domain classifier with a fixed ROC AUC cut-off and no p-value.
 * - reference and current rows pooled, `train_test_split(test_size=0.5, shuffle=True)` (not stratified);
 * - `SGDClassifier(loss="log_loss")`: L2 logistic loss, α = 0.0001, raw features (no scaling);
 * - ROC AUC of the predicted probabilities on the held-out half; drift when AUC > 0.55 (`threshold=0.55`,
 *   `bootstrap=None`, so the random-classifier quantile is not used).
 * SGD approximates the minimiser of mean log-loss + (α/2)‖w‖²; here that minimiser itself is computed
 * (src/learn/logisticRegression.ts, λ = α, no standardisation). A split whose training half holds one sample
 * only (where scikit-learn would raise) counts as no drift.
 */
import { mannWhitneyAuc } from '../../src/learn/auc.js';
import { fitLogisticRegression, predictProbabilities } from '../../src/learn/logisticRegression.js';
import type { AnchorRule } from './anchorRule.js';

const SGD_ALPHA = 0.0001;
const THRESHOLD = 0.55;

export const evidentlyClassifier: AnchorRule = {
  name: 'Evidently classifier',
  tool: 'Evidently',
  rule: 'model(): SGD logistic domain classifier on a random half, drift when held-out ROC AUC > 0.55',
  async detect(input, rng) {
    const n = input.reference.rows;
    const N = input.pooled.rows;
    const labels = Int32Array.from({ length: N }, (_, i) => (i < n ? 0 : 1));
    const shuffled = rng.permutation(N);
    const nTest = Math.ceil(N * 0.5);
    const test = shuffled.subarray(0, nTest);
    const train = shuffled.subarray(nTest);
    const trainClasses = new Set(Array.from(train, (row) => labels[row]));
    if (trainClasses.size < 2) return { drift: false, score: 0.5 };
    const model = fitLogisticRegression(input.pooled, labels, 2, {
      rows: train,
      regularization: SGD_ALPHA,
      standardize: false,
    });
    const probabilities = predictProbabilities(model, input.pooled, test);
    const refScores: number[] = [];
    const tgtScores: number[] = [];
    test.forEach((row, k) => (labels[row] === 0 ? refScores : tgtScores).push(probabilities[k * 2 + 1]));
    if (refScores.length === 0 || tgtScores.length === 0) return { drift: false, score: 0.5 };
    const { auc } = mannWhitneyAuc(tgtScores, refScores);
    return { drift: auc > THRESHOLD, score: auc };
  },
};
