/**
 * Label handling for the probe: apply the label map (e.g. Sentiment140 {"0":"negative","4":"positive"}) to
 * both sides, drop rows whose label is empty (counted, never silently), and encode classes as integers.
 */
import type { Rng } from '../core/random.js';
import { InputError } from '../core/errors.js';

export interface LabelledRows {
  /** Row indices (into the side's matrix) that carry a non-empty label. */
  rows: number[];
  /** Mapped label per kept row (aligned with `rows`). */
  labels: string[];
  nEmpty: number;
}

export function selectLabelledRows(
  labels: string[],
  labelMap: Record<string, string> | null,
  expectedRows: number,
  side: 'reference' | 'target',
): LabelledRows {
  if (labels.length !== expectedRows) {
    throw new InputError(
      `${side} has ${labels.length} labels for ${expectedRows} embedded rows; give one label per sample (check the label column)`,
    );
  }
  const rows: number[] = [];
  const kept: string[] = [];
  let nEmpty = 0;
  labels.forEach((raw, i) => {
    const mapped = mapLabel(raw, labelMap);
    if (mapped === '') nEmpty++;
    else {
      rows.push(i);
      kept.push(mapped);
    }
  });
  return { rows, labels: kept, nEmpty };
}

/** Labels outside the map pass through unchanged; surrounding whitespace never makes a new class. */
export function mapLabel(raw: string, labelMap: Record<string, string> | null): string {
  const label = raw.trim();
  if (label === '') return '';
  return labelMap && Object.hasOwn(labelMap, label) ? labelMap[label].trim() : label;
}

/** Distinct labels in a stable (code-unit) order. */
export function sortedClasses(labels: string[]): string[] {
  return [...new Set(labels)].sort();
}

export function encodeLabels(labels: string[], classes: string[]): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(labels, (label) => {
    const code = index.get(label);
    if (code === undefined) throw new RangeError(`label "${label}" is not among the classes`);
    return code;
  });
}

export function classCounts(labels: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const label of [...labels].sort()) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

/** At most `max` of the labelled rows, a seeded random subset in original order (all of them when fewer). */
export function capLabelledRows(side: LabelledRows, max: number, rng: Rng): LabelledRows {
  if (side.rows.length <= max) return side;
  const keep = Array.from(rng.sample(side.rows.length, max)).sort((a, b) => a - b);
  return { rows: keep.map((k) => side.rows[k]), labels: keep.map((k) => side.labels[k]), nEmpty: side.nEmpty };
}
