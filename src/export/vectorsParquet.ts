/**
 * Embeddings as Parquet (hyparquet-writer, Snappy): an `id` string column, the `embedding` column as
 * list<float> (one dimension for the file), and `label` when the input had labels; shiftlens's model, dimension
 * and source in the file's key-value metadata. Written row group by row group (10,000 rows), so a large export
 * never holds all vectors as JavaScript arrays at once. `shiftlens compare` reads it back as precomputed vectors.
 */
import { fileWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { Matrix } from '../core/matrix.js';
import type { StagedFile } from './atomicFiles.js';

export const PARQUET_ROW_GROUP = 10_000;
export const EMBEDDING_COLUMN = 'embedding';

export interface VectorsTable {
  vectors: Matrix;
  ids: readonly string[];
  labels: readonly string[] | null;
  /** Key-value metadata (e.g. shiftlens.model). */
  metadata: Record<string, string>;
}

export function parquetSchemaFor(hasLabels: boolean): SchemaElement[] {
  const schema: SchemaElement[] = [
    { name: 'root', num_children: hasLabels ? 3 : 2 },
    { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: EMBEDDING_COLUMN, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
  ];
  if (hasLabels)
    schema.push({ name: 'label', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });
  return schema;
}

export function writeVectorsParquet(file: string, table: VectorsTable): void {
  const { vectors, ids, labels } = table;
  const writer = new ParquetWriter({
    writer: fileWriter(file),
    schema: parquetSchemaFor(labels !== null),
    kvMetadata: Object.entries(table.metadata).map(([key, value]) => ({ key, value })),
    createdBy: 'shiftlens',
  });
  const dim = vectors.cols;
  for (let start = 0; start < vectors.rows; start += PARQUET_ROW_GROUP) {
    const end = Math.min(vectors.rows, start + PARQUET_ROW_GROUP);
    const rows: number[][] = [];
    for (let i = start; i < end; i++) rows.push(Array.from(vectors.data.subarray(i * dim, (i + 1) * dim)));
    const columnData = [
      { name: 'id', data: ids.slice(start, end) },
      { name: EMBEDDING_COLUMN, data: rows },
    ];
    if (labels) columnData.push({ name: 'label', data: labels.slice(start, end) });
    // The file writer flushes synchronously, so write() and finish() return no promise.
    void writer.write({ columnData, rowGroupSize: PARQUET_ROW_GROUP });
  }
  void writer.finish();
}

export function parquetFiles(file: string, table: VectorsTable): StagedFile[] {
  return [{ file, write: (temp) => writeVectorsParquet(temp, table) }];
}
