/**
 * Pooling word vectors into one text vector.
 * mean: the average of the known tokens' vectors.
 * sif: Arora, Liang & Ma (ICLR 2017) smooth inverse frequency, v = (1/n) Σ a/(a + p(w)) v_w with a = 1e-3.
 *   The package carries no word counts, only GloVe's frequency order, so p(w) is estimated from the rank r
 *   (1-based) by Zipf's law: p(r) = 1 / (r · H_N) with H_N the N-th harmonic number. The paper's second step,
 *   removing the first principal component of the corpus, is not applied: it would make a text's vector depend
 *   on the other texts (and defeat per-text caching).
 */
export const SIF_A = 1e-3;

/** Zipf estimate of each word's unigram probability from its frequency rank (index 0 = most frequent). */
export function zipfProbabilities(nWords: number): Float64Array {
  let harmonic = 0;
  for (let r = 1; r <= nWords; r++) harmonic += 1 / r;
  const p = new Float64Array(nWords);
  for (let i = 0; i < nWords; i++) p[i] = 1 / ((i + 1) * harmonic);
  return p;
}

export function sifWeights(probabilities: Float64Array, a = SIF_A): Float32Array {
  const w = new Float32Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) w[i] = a / (a + probabilities[i]);
  return w;
}

/**
 * Write the pooled vector of the given rows into `out` (length dim). `weights` null = plain mean.
 * No known rows gives the zero vector.
 */
export function poolRows(
  rows: readonly number[],
  table: Float32Array,
  dim: number,
  weights: Float32Array | null,
  out: Float32Array,
): void {
  out.fill(0);
  if (rows.length === 0) return;
  const acc = new Float64Array(dim);
  for (const r of rows) {
    const w = weights ? weights[r] : 1;
    const base = r * dim;
    for (let j = 0; j < dim; j++) acc[j] += w * table[base + j];
  }
  for (let j = 0; j < dim; j++) out[j] = acc[j] / rows.length;
}
