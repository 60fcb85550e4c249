/**
 * Chart data travels in columns, not rows: a block holds equal-length columns plus constants shared by all its
 * rows (e.g. side = "target"), which keeps 5,000 scatter points from repeating their field names and side
 * labels. The page's script (html/clientScript.ts) and the image renderer turn blocks into rows the same way.
 */
export interface DataBlock {
  columns: Record<string, (number | string | null)[]>;
  constants?: Record<string, number | string>;
}

/** A named dataset: its blocks and whether their rows are interleaved (so no side is drawn over the other). */
export interface ChartDataset {
  blocks: DataBlock[];
  interleave?: boolean;
}

export type ChartRow = Record<string, number | string | null>;

function blockLength(block: DataBlock): number {
  const lengths = Object.values(block.columns).map((c) => c.length);
  const n = lengths.length ? lengths[0] : 0;
  if (lengths.some((l) => l !== n))
    throw new RangeError(`chart data block has columns of lengths ${lengths.join(', ')}`);
  return n;
}

function blockRow(block: DataBlock, i: number): ChartRow {
  const row: ChartRow = { ...block.constants };
  for (const [name, column] of Object.entries(block.columns)) row[name] = column[i];
  return row;
}

/**
 * Rows of a dataset. With interleave, rows are merged by their relative position within each block (row i of a
 * block of n sits at (i + 0.5) / n), so two sides of different sizes are evenly mixed in drawing order.
 */
export function datasetRows(dataset: ChartDataset): ChartRow[] {
  const lengths = dataset.blocks.map(blockLength);
  if (!dataset.interleave) {
    return dataset.blocks.flatMap((block, b) => Array.from({ length: lengths[b] }, (_, i) => blockRow(block, i)));
  }
  const next = lengths.map(() => 0);
  const total = lengths.reduce((a, b) => a + b, 0);
  const rows: ChartRow[] = [];
  for (let k = 0; k < total; k++) {
    let best = -1;
    let bestPos = Infinity;
    for (let b = 0; b < lengths.length; b++) {
      if (next[b] >= lengths[b]) continue;
      const pos = (next[b] + 0.5) / lengths[b];
      if (pos < bestPos) {
        bestPos = pos;
        best = b;
      }
    }
    rows.push(blockRow(dataset.blocks[best], next[best]++));
  }
  return rows;
}
