/**
 * Parquet input: text, label and id columns and list<float> / list<double> / required-list embedding columns,
 * read row group by row group; --max-rows picks the same rows as the JSONL reader for the same data and seed;
 * wrong columns, wrong types, unreadable codecs and bad vectors are one line naming the file and the column.
 * Files are written with hyparquet-writer (snappy, several row groups, dictionary encoding by default).
 */
import zlib from 'node:zlib';
import { ByteWriter, type ColumnSource, parquetWrite, type SchemaElement } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { tempFolder } from './tempFiles.js';

const write = tempFolder();

function parquetBytes(
  columnData: ColumnSource[],
  options: { schema?: SchemaElement[]; rowGroupSize?: number; codec?: 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED' } = {},
): Uint8Array {
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData,
    schema: options.schema,
    rowGroupSize: options.rowGroupSize ?? 40,
    codec: options.codec,
    compressors: { GZIP: (bytes: Uint8Array) => new Uint8Array(zlib.gzipSync(bytes)) },
  });
  return new Uint8Array(writer.getBuffer());
}

const listOf = (name: string, leaf: 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY'): SchemaElement[] => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: leaf, repetition_type: 'OPTIONAL' },
];

function vectorsFile(name: string, rows: number[][], leaf: 'FLOAT' | 'DOUBLE' = 'FLOAT', extra = true): string {
  const ids = rows.map((_, i) => `doc-${i}`);
  const labels = rows.map((_, i) => (i % 2 === 0 ? 'even' : 'odd'));
  const columnData: ColumnSource[] = [{ name: 'embedding', data: rows }];
  const schema: SchemaElement[] = [{ name: 'root', num_children: extra ? 3 : 1 }, ...listOf('embedding', leaf)];
  if (extra) {
    columnData.push({ name: 'id', data: ids }, { name: 'label', data: labels });
    schema.push(
      { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'label', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    );
  }
  return write(name, parquetBytes(columnData, { schema }));
}

async function errorOf(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('Parquet texts', () => {
  const n = 100;
  const texts = Array.from({ length: n }, (_, i) =>
    i === 7 ? '' : i === 9 ? null : `review number ${i}: ${'ok '.repeat(i % 5)}`,
  );
  const stars = Array.from({ length: n }, (_, i) => (i % 5) + 1);
  const ids = Array.from({ length: n }, (_, i) => BigInt(1000 + i));
  const file = write(
    'reviews.parquet',
    parquetBytes([
      { name: 'review', data: texts, type: 'STRING' },
      { name: 'stars', data: stars, type: 'INT32' },
      { name: 'review_id', data: ids, type: 'INT64' },
      { name: 'product', data: ids.map((_, i) => `p${i % 9}`), type: 'STRING' },
    ]),
  );

  it('reads text, label and id columns across row groups; null and empty texts are counted as empty', async () => {
    const d = await loadDataset(file, {
      seed: 0,
      textColumn: 'review',
      labelColumn: 'stars',
      idColumn: 'review_id',
      groupColumn: 'product',
    });
    const kept = [...Array(n).keys()].filter((i) => i !== 7 && i !== 9);
    expect(d.texts).toEqual(kept.map((i) => texts[i]));
    expect(d.labels).toEqual(kept.map((i) => String(stars[i])));
    expect(d.ids).toEqual(kept.map((i) => String(1000 + i)));
    expect(d.groups).toEqual(kept.map((i) => `p${i % 9}`));
    expect(d.origins[0]).toBe('reviews.parquet row 1');
    expect(d.origins.at(-1)).toBe('reviews.parquet row 100');
    expect(d.counts).toMatchObject({ nRead: 100, nEmpty: 2, nSampledOut: 0 });
    expect(d.vectors).toBeNull();
  });

  it('--max-rows keeps the same rows as the JSONL reader does for the same records and seed', async () => {
    const jsonl = write(
      'reviews.jsonl',
      texts.map((t, i) => JSON.stringify({ review: t, stars: stars[i], review_id: String(ids[i]) })).join('\n'),
    );
    const options = { seed: 11, maxRows: 30, textColumn: 'review', labelColumn: 'stars', idColumn: 'review_id' };
    const fromParquet = await loadDataset(file, options);
    const fromJsonl = await loadDataset(jsonl, options);
    expect(fromParquet.texts).toEqual(fromJsonl.texts);
    expect(fromParquet.labels).toEqual(fromJsonl.labels);
    expect(fromParquet.ids).toEqual(fromJsonl.ids);
    expect(fromParquet.counts).toEqual(fromJsonl.counts);
  });

  it('names the file, the column and the flag for a missing or wrongly typed column', async () => {
    const missing = await errorOf(loadDataset(file, { seed: 0, textColumn: 'body' }));
    expect(missing).toBeInstanceOf(InputError);
    expect(missing.message).toBe(
      `${file}: no column "body" (--text-column); columns found: "review", "stars", "review_id", "product"`,
    );
    const noText = await errorOf(loadDataset(file, { seed: 0 }));
    expect(noText.message).toContain(`${file}: no "text" column; pass --text-column`);
    const intText = await errorOf(loadDataset(file, { seed: 0, textColumn: 'stars' }));
    expect(intText.message).toBe(
      `${file}: column "stars" (--text-column) holds int32, expected text (a string column)`,
    );
  });

  it('is picked by --input-format parquet whatever the extension; a non-Parquet file is one line', async () => {
    const renamed = write('reviews.bin', parquetBytes([{ name: 'text', data: ['a', 'b', 'c'], type: 'STRING' }]));
    const d = await loadDataset(renamed, { seed: 0, format: 'parquet' });
    expect(d.texts).toEqual(['a', 'b', 'c']);
    const fake = write('fake.parquet', 'text\nnot parquet at all\n');
    const error = await errorOf(loadDataset(fake, { seed: 0 }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^.*fake\.parquet: not a readable Parquet file \(/);
  });

  it('refuses a codec it cannot decode before reading, with the fix', async () => {
    const gz = write(
      'gz.parquet',
      parquetBytes([{ name: 'text', data: ['a', 'b'], type: 'STRING' }], { codec: 'GZIP' }),
    );
    const error = await errorOf(loadDataset(gz, { seed: 0 }));
    expect(error.message).toBe(
      `${gz}: column "text" is compressed with GZIP; shiftlens reads uncompressed and Snappy Parquet, so rewrite it with compression="snappy" (pyarrow, pandas and polars all take that option)`,
    );
  });
});

describe('Parquet embeddings', () => {
  const rows = Array.from({ length: 90 }, (_, i) => [i / 7, -i, Math.fround(0.1 * i), 3.5]);

  it('reads list<float> vectors with ids and labels, exactly, across row groups', async () => {
    const file = vectorsFile('emb.parquet', rows);
    const d = await loadDataset(file, { seed: 0, labelColumn: 'label', idColumn: 'id', groupColumn: 'label' });
    expect(d.texts).toBeNull();
    expect(d.vectors?.rows).toBe(90);
    expect(Array.from(d.vectors?.data ?? [])).toEqual(Array.from(new Float32Array(rows.flat())));
    expect(d.ids?.slice(0, 2)).toEqual(['doc-0', 'doc-1']);
    expect(d.labels?.slice(0, 3)).toEqual(['even', 'odd', 'even']);
    expect(d.groups?.slice(0, 3)).toEqual(['even', 'odd', 'even']);
    expect(d.origins[89]).toBe('emb.parquet row 90');
  });

  it('reads list<double> and a required list of required floats (how Arrow writes fixed_size_list), --vector-field picks the column', async () => {
    const doubles = vectorsFile('double.parquet', rows, 'DOUBLE', false);
    const d = await loadDataset(doubles, { seed: 0 });
    expect(Array.from(d.vectors?.data ?? [])).toEqual(Array.from(new Float32Array(rows.flat())));
    const fixed = write(
      'fixed.parquet',
      parquetBytes([{ name: 'vec', data: rows }], {
        schema: [
          { name: 'root', num_children: 1 },
          { name: 'vec', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'item', type: 'FLOAT', repetition_type: 'REQUIRED' },
        ],
      }),
    );
    const e = await loadDataset(fixed, { seed: 0, vectorField: 'vec' });
    expect(Array.from(e.vectors?.data ?? [])).toEqual(Array.from(new Float32Array(rows.flat())));
  });

  it('one line for a list of strings, a dimension change, a null vector and NaN, naming file, row and column', async () => {
    const strings = write(
      'strings.parquet',
      parquetBytes([{ name: 'embedding', data: [['a'], ['b']] }], {
        schema: [{ name: 'root', num_children: 1 }, ...listOf('embedding', 'BYTE_ARRAY')],
      }),
    );
    expect((await errorOf(loadDataset(strings, { seed: 0 }))).message).toBe(
      `${strings}: column "embedding" (--vector-field) holds list<string>, expected a list of floats per row (list<float>, list<double> or fixed_size_list<float>); cast it to float32, e.g. pyarrow pa.list_(pa.float32())`,
    );
    const ragged = vectorsFile('ragged.parquet', [...rows.slice(0, 50), [1, 2, 3], ...rows.slice(50)], 'FLOAT', false);
    expect((await errorOf(loadDataset(ragged, { seed: 0 }))).message).toBe(
      `${ragged} row 51: vector has 3 values but ${ragged} row 1 has 4; all vectors in a file must have the same dimension`,
    );
    const withNull = vectorsFile('null.parquet', [rows[0], null as unknown as number[], rows[1]], 'FLOAT', false);
    expect((await errorOf(loadDataset(withNull, { seed: 0 }))).message).toBe(
      `${withNull} row 2: column "embedding" is null; every row needs a vector (drop rows without one)`,
    );
    const nan = vectorsFile('nan.parquet', [rows[0], [1, Number.NaN, 2, 3], rows[1]], 'FLOAT', false);
    expect((await errorOf(loadDataset(nan, { seed: 0 }))).message).toBe(
      `${nan} row 2: value 1 is NaN; vectors must hold finite numbers (no NaN/Infinity)`,
    );
    const textAsVector = await errorOf(loadDataset(vectorsFile('v.parquet', rows), { seed: 0, vectorField: 'id' }));
    expect(textAsVector.message).toContain('column "id" (--vector-field) holds string, expected a list of floats');
  });

  it('a vector column named by --text-column is refused with the --vector-field hint', async () => {
    const file = vectorsFile('emb2.parquet', rows);
    expect((await errorOf(loadDataset(file, { seed: 0, textColumn: 'embedding' }))).message).toBe(
      `${file}: column "embedding" (--text-column) holds list<float>, expected text (a string column); for vectors pass --vector-field embedding`,
    );
  });
});
