/**
 * Column sums of a pooled row matrix under many row weightings at once: S = W·Z, where row p of W gives each
 * pooled row's weight in permutation (0/1 membership) or bootstrap replicate (multiplicity) p. One float64 Gemm per
 * block of weightings (src/linalg/gemm64.ts) replaces P gathers of n_side·width multiply-adds in JS; float64 keeps
 * every sum equal to the JS loop's up to rounding order (~1e-15 relative), so permutation counts do not move.
 *
 * `subsetMoments` applies it to [z, upper triangle of z zᵀ] per row, giving each weighting's row sum and raw
 * second moments (the Fréchet permutations and bootstrap).
 */
import { matmul64 } from '../../linalg/gemm64.js';

/** Weight-matrix entries per Gemm block (≤ 32 MB of float64), at most this many weightings per block. */
const BLOCK_ENTRIES = 4_000_000;
const BLOCK_WEIGHTINGS = 256;

/**
 * For p = 0..count−1 in order: `fillWeights(p, w)` sets the N weights of weighting p (w arrives zeroed), then
 * `onSums(p, sums)` receives Σ_i w_i z_i (length `width`; valid during the call only). All fills of a block run
 * before its sums, so a fill may draw from an Rng: the draws happen in the same order as a one-at-a-time loop.
 */
export async function weightedColumnSums(
  z: Float64Array,
  n: number,
  width: number,
  count: number,
  fillWeights: (p: number, weights: Float64Array) => void,
  onSums: (p: number, sums: Float64Array) => void,
): Promise<void> {
  if (z.length !== n * width) throw new RangeError(`weightedColumnSums: ${z.length} values for ${n}×${width}`);
  const perBlock = Math.max(1, Math.min(BLOCK_WEIGHTINGS, Math.floor(BLOCK_ENTRIES / Math.max(n, 1)), count));
  const w = new Float64Array(perBlock * n);
  for (let p0 = 0; p0 < count; p0 += perBlock) {
    const rows = Math.min(perBlock, count - p0);
    const block = w.subarray(0, rows * n);
    block.fill(0);
    for (let r = 0; r < rows; r++) fillWeights(p0 + r, block.subarray(r * n, (r + 1) * n));
    const sums = await matmul64(block, z, rows, n, width);
    for (let r = 0; r < rows; r++) onSums(p0 + r, sums.subarray(r * width, (r + 1) * width));
  }
}

/**
 * Row sum (k) and raw second moments (k×k row-major, upper triangle filled, as the Fréchet code accumulates
 * them) of each weighting of the rows of z (N×k).
 */
export async function subsetMoments(
  z: Float64Array,
  n: number,
  k: number,
  count: number,
  fillWeights: (p: number, weights: Float64Array) => void,
  onMoments: (p: number, sum: Float64Array, second: Float64Array) => void,
): Promise<void> {
  const pairs = (k * (k + 1)) / 2;
  const width = k + pairs;
  const expanded = new Float64Array(n * width);
  for (let r = 0; r < n; r++) {
    const src = r * k;
    const dst = r * width;
    for (let i = 0; i < k; i++) expanded[dst + i] = z[src + i];
    let t = dst + k;
    for (let i = 0; i < k; i++) {
      const zi = z[src + i];
      for (let j = i; j < k; j++) expanded[t++] = zi * z[src + j];
    }
  }
  const sum = new Float64Array(k);
  const second = new Float64Array(k * k);
  await weightedColumnSums(expanded, n, width, count, fillWeights, (p, sums) => {
    for (let i = 0; i < k; i++) sum[i] = sums[i];
    let t = k;
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) second[i * k + j] = sums[t++];
    onMoments(p, sum, second);
  });
}
