/**
 * Classification metrics on integer labels in [0, nClasses). Each takes the row subset to score (`indices`) so
 * the bootstrap can resample without copying.
 */

export function accuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>, indices?: ArrayLike<number>): number {
  const n = indices ? indices.length : truth.length;
  if (n === 0) return 0;
  let correct = 0;
  for (let k = 0; k < n; k++) {
    const i = indices ? indices[k] : k;
    if (truth[i] === predicted[i]) correct++;
  }
  return correct / n;
}

/** Rows = true class, columns = predicted class. */
export function confusionMatrix(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  nClasses: number,
  indices?: ArrayLike<number>,
): number[][] {
  const matrix = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  const n = indices ? indices.length : truth.length;
  for (let k = 0; k < n; k++) {
    const i = indices ? indices[k] : k;
    matrix[truth[i]][predicted[i]]++;
  }
  return matrix;
}

/**
 * Unweighted mean of per-class F1 = 2TP / (2TP + FP + FN), over the classes that occur in the truth or the
 * predictions of the scored rows (as sklearn's f1_score(average='macro') does); a class with no true rows that is
 * predicted anyway scores F1 = 0 and pulls the mean down.
 */
export function macroF1(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  nClasses: number,
  indices?: ArrayLike<number>,
): number {
  return macroF1FromConfusion(confusionCounts(truth, predicted, nClasses, indices), nClasses);
}

/** The confusion matrix as one row-major nClasses × nClasses array of counts (rows = true class). */
export function confusionCounts(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  nClasses: number,
  indices?: ArrayLike<number>,
): Float64Array {
  const counts = new Float64Array(nClasses * nClasses);
  const n = indices ? indices.length : truth.length;
  for (let k = 0; k < n; k++) {
    const i = indices ? indices[k] : k;
    counts[truth[i] * nClasses + predicted[i]]++;
  }
  return counts;
}

/** `macroF1` from confusion counts (row-major, rows = true class), e.g. a bootstrap's resampled counts. */
export function macroF1FromConfusion(counts: ArrayLike<number>, nClasses: number): number {
  let total = 0;
  let counted = 0;
  for (let c = 0; c < nClasses; c++) {
    const tp = counts[c * nClasses + c];
    let fp = 0;
    let fn = 0;
    for (let other = 0; other < nClasses; other++) {
      if (other === c) continue;
      fp += counts[other * nClasses + c];
      fn += counts[c * nClasses + other];
    }
    const denominator = 2 * tp + fp + fn;
    if (denominator === 0) continue;
    total += (2 * tp) / denominator;
    counted++;
  }
  return counted === 0 ? 0 : total / counted;
}

/** Mean negative log-likelihood of the true class; probabilities row-major n × nClasses, clipped at 1e-15. */
export function logLoss(truth: ArrayLike<number>, probabilities: Float64Array, nClasses: number): number {
  const n = truth.length;
  let total = 0;
  for (let i = 0; i < n; i++) total -= Math.log(Math.max(probabilities[i * nClasses + truth[i]], 1e-15));
  return n === 0 ? 0 : total / n;
}

/** Share of the most frequent class: the accuracy of always predicting it. */
export function majorityShare(labels: ArrayLike<number>, nClasses: number): number {
  if (labels.length === 0) return 0;
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return Math.max(...counts) / labels.length;
}
