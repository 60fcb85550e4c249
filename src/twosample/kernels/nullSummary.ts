/** Mean, standard deviation and 95th percentile of a permutation null, for the details of a result. */
export function nullSummary(permuted: Float64Array): { nullMean: number; nullSd: number; nullQuantile95: number } {
  const p = permuted.length;
  let mean = 0;
  for (let i = 0; i < p; i++) mean += permuted[i];
  mean /= p;
  let ss = 0;
  for (let i = 0; i < p; i++) ss += (permuted[i] - mean) ** 2;
  const sorted = Float64Array.from(permuted).sort();
  return {
    nullMean: mean,
    nullSd: p > 1 ? Math.sqrt(ss / (p - 1)) : 0,
    nullQuantile95: sorted[Math.min(p - 1, Math.ceil(0.95 * p) - 1)],
  };
}
