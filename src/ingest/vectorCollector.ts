/**
 * The vector counterpart of TextCollector for precomputed embeddings: one dimension for the whole file, finite
 * values only, --max-rows by the same seeded reservoir (or whole groups, rowCap), fewer than 2 rows refused.
 */
import { InputError } from '../core/errors.js';
import { createMatrix } from '../core/matrix.js';
import { requireTwoSamples, type RowCap, rowCap } from './collector.js';
import type { Dataset, LoadOptions } from './dataset.js';
import type { Reservoir } from './reservoir.js';

interface VectorRecord {
  vector: Float32Array;
  label: string | null;
  id: string | null;
  group: string | null;
  ref: number;
}

export class VectorCollector {
  private readonly reservoir: Reservoir<VectorRecord>;
  private dim = -1;
  private firstWhere = '';
  private nRead = 0;
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
    this.reservoir = this.cap.reservoir<VectorRecord>();
  }

  /** `where` names the row in messages ("emb.jsonl line 7"). The vector must not be reused by the caller. */
  add(
    vector: Float32Array,
    label: string | null,
    ref: number,
    where: string,
    id: string | null = null,
    group: string | null = null,
  ): void {
    this.nRead++;
    if (this.dim < 0) {
      if (vector.length === 0) throw new InputError(`${where}: empty vector`);
      this.dim = vector.length;
      this.firstWhere = where;
    } else if (vector.length !== this.dim) {
      throw new InputError(
        `${where}: vector has ${vector.length} values but ${this.firstWhere} has ${this.dim}; all vectors in a file must have the same dimension`,
      );
    }
    for (let k = 0; k < vector.length; k++) {
      if (!Number.isFinite(vector[k])) {
        throw new InputError(
          `${where}: value ${k} is ${vector[k]}; vectors must hold finite numbers (no NaN/Infinity)`,
        );
      }
    }
    this.reservoir.offer({ vector, label: this.hasLabels ? (label ?? '') : null, id, group, ref });
  }

  finish(source: string, describe: (ref: number) => string): Dataset {
    const kept = this.reservoir.items();
    const counts = {
      nRead: this.nRead,
      nEmpty: 0,
      nDuplicate: 0,
      nSampledOut: this.reservoir.offered - kept.length,
      skipped: [],
    };
    requireTwoSamples(source, kept.length, counts);
    const matrix = createMatrix(kept.length, this.dim);
    kept.forEach((r, i) => matrix.data.set(r.vector, i * this.dim));
    return this.cap.finish({
      source,
      texts: null,
      vectors: matrix,
      labels: this.hasLabels ? kept.map((r) => r.label ?? '') : null,
      origins: kept.map((r) => describe(r.ref)),
      ...(this.hasIds ? { ids: kept.map((r) => r.id ?? '') } : {}),
      ...(this.hasGroups ? { groups: kept.map((r) => r.group ?? '') } : {}),
      counts,
    });
  }
}
