/**
 * Picks the scatter points of one side: a seeded uniform subsample of rows (all rows when few), the two
 * plotted components of each, and the matching texts.
 */
import type { Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/random.js';

export interface SampledSide {
  nTotal: number;
  /** Row indices in the analysed sample, ascending. */
  index: number[];
  x: number[];
  y: number[];
  /** Full texts of the chosen rows (clipped later against the byte budget), or null for vector sources. */
  text: string[] | null;
}

export function sampleScatterSide(
  projection: Matrix,
  xComponent: number,
  yComponent: number,
  texts: string[] | null,
  maxPoints: number,
  rng: Rng,
): SampledSide {
  const n = projection.rows;
  const chosen = n <= maxPoints ? Array.from({ length: n }, (_, i) => i) : Array.from(rng.sample(n, maxPoints));
  // Ascending order makes the subsample independent of the draw order and easy to reason about.
  chosen.sort((a, b) => a - b);
  const cols = projection.cols;
  const x = chosen.map((i) => projection.data[i * cols + xComponent]);
  const y = chosen.map((i) => projection.data[i * cols + yComponent]);
  return { nTotal: n, index: chosen, x, y, text: texts ? chosen.map((i) => texts[i]) : null };
}
