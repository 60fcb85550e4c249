/**
 * How far training moved a representation: linear CKA against the frozen embeddings (./cka.ts), and how
 * separable the held-out reference rows are from the target rows, before and after:
 * - domain AUC: out-of-fold AUC (stratified 5-fold) of the probe's L2 logistic regression (λ = 0.1 on
 *   standardised features, as the C2ST detector uses) telling reference from target rows. The solver stops at
 *   gradient max-norm 1e-4: an AUC needs the ranking, not the optimum's last digits, and this keeps the four
 *   measurements per run to a fraction of a second;
 * - MMD: src/twosample's exact MMD detector (median-heuristic Gaussian kernel), its effect size and p-value.
 */
import { concatRows, type Matrix } from '../core/matrix.js';
import { silentProgress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import { mannWhitneyAuc } from '../learn/auc.js';
import { foldRows, stratifiedFolds } from '../learn/crossValidation.js';
import { fitLogisticRegression, predictProbabilities } from '../learn/logisticRegression.js';
import { mmdDetector } from '../twosample/mmd.js';
import type { SeparabilityMeasure } from './finetuneTypes.js';

/** Permutations for the MMD p-value: it is reported beside the effect, not used for a decision. */
const MMD_PERMUTATIONS = 200;
const DOMAIN_FOLDS = 5;
const DOMAIN_LAMBDA = 0.1;

export async function separability(reference: Matrix, target: Matrix, rng: Rng): Promise<SeparabilityMeasure> {
  const mmd = await mmdDetector.run(
    { reference, target, rng: rng.fork('mmd'), progress: silentProgress },
    { permutations: MMD_PERMUTATIONS },
  );
  return {
    domainAuc: domainAuc(reference, target, rng.fork('domain')),
    mmd: mmd.effectSize,
    mmdPValue: mmd.pValue ?? 1,
  };
}

export function domainAuc(reference: Matrix, target: Matrix, rng: Rng): number {
  const pooled = concatRows(reference, target);
  const isTarget = Int32Array.from({ length: pooled.rows }, (_, i) => (i < reference.rows ? 0 : 1));
  const k = Math.min(DOMAIN_FOLDS, reference.rows, target.rows);
  const folds = stratifiedFolds(isTarget, k, rng);
  const score = new Float64Array(pooled.rows);
  for (let f = 0; f < k; f++) {
    const { train, test } = foldRows(folds, f);
    const model = fitLogisticRegression(pooled, isTarget, 2, {
      rows: train,
      regularization: DOMAIN_LAMBDA,
      gradientTolerance: 1e-4,
      maxIterations: 200,
    });
    const p = predictProbabilities(model, pooled, test);
    test.forEach((row, i) => {
      score[row] = p[i * 2 + 1];
    });
  }
  return mannWhitneyAuc(score.subarray(reference.rows), score.subarray(0, reference.rows)).auc;
}
