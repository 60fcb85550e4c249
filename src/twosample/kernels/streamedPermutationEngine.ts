/**
 * The batched permutation test of permutationEngine.ts without the N×N matrix: the pooled kernel (or distance)
 * matrix M is streamed in row blocks, each block computed once and multiplied at once by the indicator columns
 * of every labelling (streamedKernelGraph.ts). M is symmetric, so only its upper triangle is computed: a block of
 * rows B against itself and against the rows after it. The cost is ~N²/2·(d + L) multiply-adds for L labellings
 * and the memory O(b·N + N·L) instead of N². For labelling p with indicator x_p (1 = "reference"):
 *
 *   Σ_XX = x_pᵀ M x_p = Σ_B Σ_{i∈B} x_p[i]·((M_BB x_p)_i + 2·(M_B,after x_p)_i),
 *
 * row sums from an extra column of ones (the part before the block from earlier blocks' column sums),
 * and the cross and Y sums follow from the row sums and total exactly as in the in-memory engine. The diagonal
 * is excluded (U-statistics) by subtracting C_ii·x_p[i] with the very diagonal values the product used, and M is
 * centred by a constant (its off-diagonal mean, estimated on up to SHIFT_SAMPLE_ROWS evenly spaced rows, all rows
 * for small N) that is added back exactly, as in the in-memory engine. Same labellings (the same draws from the
 * same stream, or the shared design), same weights, same tie tolerance (1e-7 of the statistic's largest possible
 * magnitude, from the off-diagonal max |M − mean|): the statistics agree with the in-memory engine to float32
 * rounding and the p-values are the same.
 *
 * Memory: the indicator block (N × (labellings per pass + 1) float32) and a few b×N float32 blocks inside
 * onnxruntime; both sized from `memoryBytes` (planStreamedBlocks). When even one pass's indicators do not fit,
 * the labellings are split into passes, each recomputing the kernel (cost grows, memory stays bounded).
 */
import type { Matrix } from '../../core/matrix.js';
import { squaredNorms } from '../../linalg/distances.js';
import { membershipOf } from '../permutationDesign.js';
import {
  createLabellingSampler,
  permutationTail,
  type PermutationOptions,
  type PermutationOutcome,
  type QuadraticWeights,
} from './permutationEngine.js';
import { kernelBlockProduct, type StreamedEntry } from './streamedKernelGraph.js';

export type { StreamedEntry };

/** Default transient memory of one streamed test: indicators + kernel blocks (the pooled data not counted). */
export const DEFAULT_STREAMED_MEMORY_BYTES = 1024 ** 3;

/**
 * b×N float32 buffers alive at once per block: onnxruntime's intermediates of the elementwise chain (its planner
 * reuses some) plus the returned centred block and its JS copy. Measured peak RSS stays under this estimate
 * (docs/BENCHMARKS.md, exact MMD past the cap).
 */
export const BLOCK_BUFFERS = 4;

/**
 * At least this many blocks when N allows (blocks of ≥ MIN_BLOCK_ROWS rows): computing only the upper triangle
 * costs N²/2 + N·b/2 kernel entries, so b ≤ N/8 keeps within 12.5% of the N²/2 ideal; smaller blocks would only
 * add per-block overhead (a session run and a packing of the block's rows).
 */
const SYMMETRY_BLOCKS = 8;
const MIN_BLOCK_ROWS = 512;

/** Rows whose kernel row sums estimate the centring constant. */
const SHIFT_SAMPLE_ROWS = 256;

export interface StreamedPlan {
  /** Labellings whose indicators are multiplied in one pass over M. */
  labellingsPerPass: number;
  /** Passes over M (each recomputes the kernel): ⌈labellings / labellingsPerPass⌉. */
  passes: number;
  /** Rows of M per block. */
  blockRows: number;
  /** The plan's transient memory estimate in bytes. */
  bytes: number;
}

/**
 * Block size and labellings per pass within `memoryBytes`: the indicators take at most half the budget (all
 * labellings in one pass when they fit), the kernel blocks the rest, each block at most ~N/8 rows (but ≥ 512).
 */
export function planStreamedBlocks(n: number, labellings: number, memoryBytes: number): StreamedPlan {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(labellings) || labellings < 1)
    throw new RangeError(`streamed plan needs N ≥ 1 and labellings ≥ 1, got ${n} and ${labellings}`);
  if (!(memoryBytes > 0)) throw new RangeError(`memory budget must be positive, got ${memoryBytes}`);
  const perPass = Math.max(1, Math.min(labellings, Math.floor(memoryBytes / 2 / (4 * n)) - 1));
  const columns = perPass + 1;
  const left = memoryBytes - 4 * n * columns;
  const fits = Math.floor(left / (4 * (BLOCK_BUFFERS * n + 2 * columns)));
  const blockRows = Math.max(1, Math.min(n, fits, Math.max(MIN_BLOCK_ROWS, Math.ceil(n / SYMMETRY_BLOCKS))));
  return {
    labellingsPerPass: perPass,
    passes: Math.ceil(labellings / perPass),
    blockRows,
    bytes: planBytes(n, columns, blockRows),
  };
}

function planBytes(n: number, columns: number, blockRows: number): number {
  return 4 * (n * columns + blockRows * (BLOCK_BUFFERS * n + 2 * columns));
}

export interface StreamedOptions extends Omit<PermutationOptions, 'batchFloats' | 'onBatch'> {
  /** Transient memory budget in bytes (default DEFAULT_STREAMED_MEMORY_BYTES). */
  memoryBytes?: number;
  /** Force the block rows (tests); default from the memory plan. */
  blockRows?: number;
  /** Called after each block with the fraction of the work done (0…1]. */
  onProgress?: (fraction: number) => void;
}

export interface StreamedOutcome extends PermutationOutcome {
  plan: StreamedPlan;
  /** The centring constant used (an estimate of M's off-diagonal mean). */
  shift: number;
}

/**
 * Runs the test on the pooled rows (N×d, rows 0..n1−1 = reference), with M's entries from `entry` (Gaussian
 * kernel with σ, or Euclidean distance). Labelling 0 is the observed one; the others are drawn exactly as
 * quadraticPermutationTest draws them (or taken from options.design).
 */
export async function streamedQuadraticTest(
  pooled: Matrix,
  n1: number,
  entry: StreamedEntry,
  weights: QuadraticWeights,
  options: StreamedOptions,
): Promise<StreamedOutcome> {
  const n = pooled.rows;
  const d = pooled.cols;
  const n2 = n - n1;
  if (n1 < 2 || n2 < 2) throw new RangeError('permutation test needs ≥ 2 rows per group');
  if (!Number.isInteger(options.permutations) || options.permutations < 1)
    throw new RangeError(`permutations must be an integer ≥ 1, got ${options.permutations}`);
  const design = options.design;
  if (design?.clusters && !options.weightsFor) throw new RangeError('a grouped design needs weightsFor');
  if (design && (design.n1 !== n1 || design.n2 !== n2))
    throw new RangeError(`design is for ${design.n1} + ${design.n2} rows, pooled sample has ${n1} + ${n2}`);

  const labellings = (design ? design.permutations : options.permutations) + 1;
  const planned = planStreamedBlocks(n, labellings, options.memoryBytes ?? DEFAULT_STREAMED_MEMORY_BYTES);
  const blockRows = options.blockRows ? Math.max(1, Math.min(n, Math.floor(options.blockRows))) : planned.blockRows;
  const plan: StreamedPlan = {
    ...planned,
    blockRows,
    bytes: planBytes(n, planned.labellingsPerPass + 1, blockRows),
  };

  const norms64 = squaredNorms(pooled);
  const norms = Float32Array.from(norms64);
  const shift = await offDiagonalMeanEstimate(pooled, norms, entry);

  const draw = createLabellingSampler(options.rng, n, n1);
  const statistics = new Float64Array(labellings);
  const rowSums = new Float64Array(n);
  const range = [Infinity, -Infinity];
  let total = 0;
  let observedSums = { xx: 0, yy: 0, xy: 0 };
  const blocksPerPass = Math.ceil(n / blockRows);
  let blocksDone = 0;

  for (let pass = 0, start = 0; start < labellings; pass++, start += plan.labellingsPerPass) {
    const lc = Math.min(plan.labellingsPerPass, labellings - start);
    const columns = lc + 1;
    // Indicator columns 0..lc−1 for labellings start…start+lc−1, column lc all ones (row sums).
    const w = new Float32Array(n * columns);
    const count = new Float64Array(lc);
    for (let i = 0; i < n; i++) w[i * columns + lc] = 1;
    for (let p = 0; p < lc; p++) {
      const label = start + p;
      if (label === 0) {
        for (let i = 0; i < n1; i++) w[i * columns + p] = 1;
        count[p] = n1;
      } else if (design) {
        const m = membershipOf(design, label);
        for (let i = 0; i < n; i++) if (m[i] === 1) w[i * columns + p] = 1;
        count[p] = design.referenceCount[label];
      } else {
        const x = draw();
        for (let r = 0; r < x.length; r++) w[x[r] * columns + p] = 1;
        count[p] = n1;
      }
    }
    const xx = new Float64Array(lc);
    const xRows = new Float64Array(lc);
    // Σ_{j<r0} C_ij for the rows still ahead: the lower triangle's row sums, from earlier blocks' column sums.
    const lower = pass === 0 ? new Float64Array(n) : null;
    for (let r0 = 0; r0 < n; r0 += blockRows) {
      const r1 = Math.min(n, r0 + blockRows);
      const b = r1 - r0;
      const rest = n - r1;
      const rows = pooled.data.subarray(r0 * d, r1 * d);
      const rowNorms = norms.subarray(r0, r1);
      // M is symmetric: the block against itself and against the rows after it (the upper triangle) suffice.
      const inner = await kernelBlockProduct(entry, {
        rows,
        rowNorms,
        pooled: rows,
        pooledNorms: rowNorms,
        dim: d,
        shift,
        weights: w.subarray(r0 * columns, r1 * columns),
        columns,
      });
      const outer =
        rest > 0
          ? await kernelBlockProduct(entry, {
              rows,
              rowNorms,
              pooled: pooled.data.subarray(r1 * d),
              pooledNorms: norms.subarray(r1),
              dim: d,
              shift,
              weights: w.subarray(r1 * columns),
              columns,
            })
          : null;
      if (lower) {
        foldOffDiagonalRange(inner.centred, 0, b, b, range);
        if (outer) foldRangeAndColumnSums(outer.centred, b, rest, range, lower, r1);
      }
      for (let i = r0; i < r1; i++) {
        const local = i - r0;
        const diagonal = inner.centred[local * b + local];
        const yOff = local * columns;
        if (lower) {
          // Row i's off-diagonal sum: within the block (less the diagonal), after it, and before it.
          const rowSum = inner.product[yOff + lc] - diagonal + (outer ? outer.product[yOff + lc] : 0) + lower[i];
          rowSums[i] = rowSum;
          total += rowSum;
        }
        const wOff = i * columns;
        for (let p = 0; p < lc; p++) {
          if (w[wOff + p] === 0) continue;
          // Pairs within the block once per order; pairs with later rows twice (their mirror is never computed).
          xx[p] += inner.product[yOff + p] - diagonal + (outer ? 2 * outer.product[yOff + p] : 0);
          xRows[p] += rowSums[i];
        }
      }
      blocksDone++;
      options.onProgress?.(blocksDone / (blocksPerPass * plan.passes));
    }
    for (let p = 0; p < lc; p++) {
      const a = count[p];
      const b = n - a;
      const sxx = xx[p];
      const sxy = xRows[p] - sxx;
      const syy = total - 2 * xRows[p] + sxx;
      const wp = a === n1 || !options.weightsFor ? weights : options.weightsFor(a, b);
      statistics[start + p] =
        wp.xx * sxx + wp.yy * syy + wp.xy * sxy + shift * (wp.xx * a * (a - 1) + wp.yy * b * (b - 1) + wp.xy * a * b);
      if (start + p === 0) observedSums = { xx: sxx, yy: syy, xy: sxy };
    }
  }

  // The tie tolerance from max |M_ij − mean| over i ≠ j, as the in-memory engine takes it: M − mean = C − δ with
  // δ = mean − shift = total / (N(N − 1)), so it follows exactly from C's off-diagonal range.
  const delta = total / (n * (n - 1));
  const maxAbs = Math.max(Math.abs(range[0] - delta), Math.abs(range[1] - delta));
  const scale =
    maxAbs *
    (Math.abs(weights.xx) * n1 * (n1 - 1) + Math.abs(weights.yy) * n2 * (n2 - 1) + Math.abs(weights.xy) * n1 * n2);
  return {
    ...permutationTail(statistics, 1e-7 * scale),
    batchSize: plan.labellingsPerPass,
    observedMeans: {
      withinX: observedSums.xx / (n1 * (n1 - 1)) + shift,
      withinY: observedSums.yy / (n2 * (n2 - 1)) + shift,
      across: observedSums.xy / (n1 * n2) + shift,
    },
    plan,
    shift,
  };
}

/** Smallest and largest off-diagonal C_ij of block rows r0…r1−1 (row-major (r1−r0)×n), folded into `range`. */
function foldOffDiagonalRange(centred: Float32Array, r0: number, r1: number, n: number, range: number[]): void {
  let lo = range[0];
  let hi = range[1];
  for (let i = r0; i < r1; i++) {
    const off = (i - r0) * n;
    for (let j = 0; j < n; j++) {
      const v = centred[off + j];
      if ((v < lo || v > hi) && j !== i) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  range[0] = lo;
  range[1] = hi;
}

/** Folds every entry of a b×rest block into `range` and adds its column sums into sums[offset…]. */
function foldRangeAndColumnSums(
  centred: Float32Array,
  b: number,
  rest: number,
  range: number[],
  sums: Float64Array,
  offset: number,
): void {
  let lo = range[0];
  let hi = range[1];
  for (let i = 0; i < b; i++) {
    const off = i * rest;
    for (let j = 0; j < rest; j++) {
      const v = centred[off + j];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      sums[offset + j] += v;
    }
  }
  range[0] = lo;
  range[1] = hi;
}

/**
 * Mean of M's off-diagonal entries over up to SHIFT_SAMPLE_ROWS evenly spaced rows (every row when N is small):
 * one kernel block against all N columns, times a column of ones, less the rows' diagonal entries.
 */
async function offDiagonalMeanEstimate(pooled: Matrix, norms: Float32Array, entry: StreamedEntry): Promise<number> {
  const n = pooled.rows;
  const d = pooled.cols;
  const m = Math.min(n, SHIFT_SAMPLE_ROWS);
  const index = Array.from({ length: m }, (_, k) => Math.floor((k * n) / m));
  const rows = new Float32Array(m * d);
  const rowNorms = new Float32Array(m);
  index.forEach((r, k) => {
    rows.set(pooled.data.subarray(r * d, (r + 1) * d), k * d);
    rowNorms[k] = norms[r];
  });
  const { centred, product } = await kernelBlockProduct(entry, {
    rows,
    rowNorms,
    pooled: pooled.data,
    pooledNorms: norms,
    dim: d,
    shift: 0,
    weights: new Float32Array(n).fill(1),
    columns: 1,
  });
  let sum = 0;
  for (let k = 0; k < m; k++) sum += product[k] - centred[k * n + index[k]];
  return sum / (m * (n - 1));
}
