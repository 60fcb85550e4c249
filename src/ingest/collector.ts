/**
 * Turns a stream of records from any text source into a Dataset with honest counts: empty texts dropped and
 * counted, skipped records counted by reason, --max-rows applied by a seeded reservoir sample (original order
 * kept), or with a group column by whole groups (wholeGroupCap.ts), exact duplicates counted among the samples
 * kept, and fewer than 2 samples refused.
 */
import { InputError } from '../core/errors.js';
import { createRng } from '../core/random.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { countDuplicates } from './dedupe.js';
import { Reservoir } from './reservoir.js';
import { capWholeGroups } from './wholeGroupCap.js';

interface TextRecord {
  text: string;
  label: string | null;
  /** The record's own id (--id-column), or null without one. */
  id: string | null;
  /** The record's group id (--group-column), or null without one. */
  group: string | null;
  /** Source-specific reference (e.g. row number) turned into an origin string only for kept samples. */
  ref: number;
}

/** Label of the rng stream used for --max-rows: fixed so the same seed always picks the same rows. */
export const MAX_ROWS_STREAM = 'ingest:max-rows';

export class TextCollector {
  private readonly reservoir: Reservoir<TextRecord>;
  private nRead = 0;
  private nEmpty = 0;
  private readonly skipped = new Map<string, number>();
  private readonly hasIds: boolean;
  private readonly hasGroups: boolean;
  private readonly cap: RowCap;

  constructor(
    private readonly hasLabels: boolean,
    options: Pick<LoadOptions, 'maxRows' | 'seed' | 'idColumn' | 'groupColumn'>,
  ) {
    this.hasIds = options.idColumn !== undefined;
    this.hasGroups = options.groupColumn !== undefined;
    this.cap = rowCap(options);
    this.reservoir = this.cap.reservoir<TextRecord>();
  }

  add(text: string, label: string | null, ref: number, id: string | null = null, group: string | null = null): void {
    this.nRead++;
    if (text.trim() === '') {
      this.nEmpty++;
      return;
    }
    this.reservoir.offer({ text, label: this.hasLabels ? (label ?? '') : null, id, group, ref });
  }

  /** A record read but not usable, for a stated reason (e.g. an undecodable charset). */
  skip(reason: string): void {
    this.nRead++;
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  finish(source: string, describe: (ref: number) => string, extra: Pick<Dataset, 'defaultLabelMap'> = {}): Dataset {
    const kept = this.reservoir.items();
    const texts = kept.map((r) => r.text);
    const dataset: Dataset = {
      source,
      texts,
      vectors: null,
      labels: this.hasLabels ? kept.map((r) => r.label ?? '') : null,
      origins: kept.map((r) => describe(r.ref)),
      counts: {
        nRead: this.nRead,
        nEmpty: this.nEmpty,
        nDuplicate: countDuplicates(texts),
        nSampledOut: this.reservoir.offered - kept.length,
        skipped: [...this.skipped].map(([reason, count]) => ({ reason, count })),
      },
    };
    if (this.hasIds) dataset.ids = kept.map((r) => r.id ?? '');
    if (this.hasGroups) dataset.groups = kept.map((r) => r.group ?? '');
    if (extra.defaultLabelMap) dataset.defaultLabelMap = extra.defaultLabelMap;
    requireTwoSamples(source, kept.length, dataset.counts);
    return this.cap.finish(dataset);
  }
}

/**
 * How --max-rows applies to one side as it is read: a seeded reservoir of rows; with a group column (the reader
 * has `groupColumn`), every row is read and whole groups are kept at the end (capWholeGroups on this side alone).
 */
export interface RowCap {
  reservoir<T>(): Reservoir<T>;
  finish(dataset: Dataset): Dataset;
}

export function rowCap(options: Pick<LoadOptions, 'maxRows' | 'seed' | 'groupColumn'>): RowCap {
  const maxRows = validMaxRows(options.maxRows);
  const byGroups = options.groupColumn !== undefined && Number.isFinite(maxRows);
  return {
    reservoir: <T>() => new Reservoir<T>(byGroups ? Infinity : maxRows, createRng(options.seed).fork(MAX_ROWS_STREAM)),
    finish: (dataset) => (byGroups ? capWholeGroups([dataset], maxRows, options.seed)[0] : dataset),
  };
}

export function validMaxRows(maxRows: number | undefined): number {
  if (maxRows === undefined) return Infinity;
  if (!Number.isInteger(maxRows) || maxRows < 2) {
    throw new InputError(`--max-rows must be an integer of at least 2, got ${maxRows}`);
  }
  return maxRows;
}

export function requireTwoSamples(source: string, n: number, counts: Dataset['counts']): void {
  if (n >= 2) return;
  const dropped: string[] = [];
  if (counts.nEmpty > 0) dropped.push(`${counts.nEmpty} empty`);
  for (const s of counts.skipped) dropped.push(`${s.count} skipped: ${s.reason}`);
  const why = dropped.length > 0 ? ` (${counts.nRead} read; dropped ${dropped.join(', ')})` : ` (${counts.nRead} read)`;
  throw new InputError(`${source}: only ${n} usable sample${n === 1 ? '' : 's'}${why}; need at least 2`);
}
