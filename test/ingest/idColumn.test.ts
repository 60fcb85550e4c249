import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { float32Npy, tempFolder } from './tempFiles.js';

const write = tempFolder();

describe('--id-column', () => {
  it('carries CSV ids aligned with the kept samples (empties dropped, --max-rows sampling in order)', async () => {
    const file = write('ids.csv', 'uid,text,label\na1,first,x\na2,,x\na3,third,y\na4,fourth,y\n');
    const d = await loadDataset(file, { seed: 0, idColumn: 'uid', labelColumn: 'label' });
    expect(d.texts).toEqual(['first', 'third', 'fourth']);
    expect(d.ids).toEqual(['a1', 'a3', 'a4']);
    expect(d.labels).toEqual(['x', 'y', 'y']);
    const sampled = await loadDataset(file, { seed: 3, idColumn: 'uid', maxRows: 2 });
    expect(sampled.ids).toHaveLength(2);
    // Each kept id is still the id of its own text.
    const byId: Record<string, string> = { a1: 'first', a3: 'third', a4: 'fourth' };
    sampled.ids?.forEach((id, i) => expect(sampled.texts?.[i]).toBe(byId[id]));
  });

  it('reads TSV, JSONL (numbers printed, missing as empty) and embeddings JSONL ids', async () => {
    const tsv = await loadDataset(write('ids.tsv', 'text\tid\nhello\t7\nworld\t8\n'), { seed: 0, idColumn: 'id' });
    expect(tsv.ids).toEqual(['7', '8']);
    const jsonl = await loadDataset(
      write('ids.jsonl', '{"text":"a","doc":12}\n{"text":"b","doc":"x-9"}\n{"text":"c"}\n'),
      { seed: 0, idColumn: 'doc' },
    );
    expect(jsonl.ids).toEqual(['12', 'x-9', '']);
    const emb = await loadDataset(
      write('emb.jsonl', '{"embedding":[1,2],"key":"u1"}\n{"embedding":[3,4],"key":"u2"}\n'),
      { seed: 0, idColumn: 'key' },
    );
    expect(emb.ids).toEqual(['u1', 'u2']);
  });

  it('has no ids without the flag', async () => {
    const d = await loadDataset(write('plain.csv', 'text\na\nb\n'), { seed: 0 });
    expect(d.ids).toBeUndefined();
  });

  it('refuses a missing column, naming the columns found, and sources without columns', async () => {
    const file = write('noid.csv', 'text,label\na,x\nb,y\n');
    await expect(loadDataset(file, { seed: 0, idColumn: 'uid' })).rejects.toThrow(
      /no column "uid" \(--id-column\); columns found: "text", "label"/,
    );
    await expect(
      loadDataset(write('noid.jsonl', '{"text":"a"}\n{"text":"b"}\n'), { seed: 0, idColumn: 'uid' }),
    ).rejects.toThrow(/no column "uid" \(--id-column\)/);
    await expect(loadDataset(write('lines.txt', 'a\nb\n'), { seed: 0, idColumn: 'uid' })).rejects.toThrow(
      /--id-column "uid" needs a source with named columns/,
    );
    await expect(
      loadDataset(
        write(
          'm.npy',
          float32Npy([
            [1, 2],
            [3, 4],
          ]),
        ),
        { seed: 0, idColumn: 'uid' },
      ),
    ).rejects.toBeInstanceOf(InputError);
    await expect(loadDataset('uci-sentiment:amazon', { seed: 0, idColumn: 'uid' })).rejects.toThrow(
      /bundled corpora name each sample by its origin/,
    );
  });
});
