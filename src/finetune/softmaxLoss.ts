/**
 * Softmax cross-entropy on a batch of logits (batch × K, row-major): the mean loss, and its gradient with
 * respect to the logits, (softmax − onehot) / batch, written in place of the logits when asked.
 */
export function softmaxCrossEntropy(
  logits: Float64Array,
  labels: ArrayLike<number>,
  nClasses: number,
  gradientInPlace: boolean,
): number {
  const batch = labels.length;
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * nClasses;
    let max = -Infinity;
    for (let k = 0; k < nClasses; k++) if (logits[base + k] > max) max = logits[base + k];
    let sum = 0;
    for (let k = 0; k < nClasses; k++) sum += Math.exp(logits[base + k] - max);
    const logSum = max + Math.log(sum);
    loss += logSum - logits[base + labels[b]];
    if (gradientInPlace) {
      for (let k = 0; k < nClasses; k++) logits[base + k] = Math.exp(logits[base + k] - logSum) / batch;
      logits[base + labels[b]] -= 1 / batch;
    }
  }
  return loss / batch;
}

/** Row-wise argmax of batch × K scores. */
export function argmaxRows(scores: Float64Array, nClasses: number): Int32Array {
  const n = scores.length / nClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < nClasses; k++) if (scores[i * nClasses + k] > scores[i * nClasses + best]) best = k;
    out[i] = best;
  }
  return out;
}
