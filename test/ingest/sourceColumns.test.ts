/**
 * The preflight's column check (src/ingest/sourceColumns.ts) reads only headers, yet refuses exactly what the
 * loaders refuse at their header, with the same message; what it cannot see from a header it leaves to them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { type ColumnRequest, checkSourceColumns } from '../../src/ingest/sourceColumns.js';

let dir = '';
const file = (name: string) => path.join(dir, name);
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shiftlens-columns-'));
  await writeFile(file('a.csv'), 'text,label,thread\nhello,x,1\nthere,y,2\n');
  await writeFile(file('a.tsv'), 'body\tlabel\nhello\tx\nthere\ty\n');
  await writeFile(file('a.jsonl'), '\n{"text":"hello","label":"x"}\n{"text":"there","label":"y","uid":"2"}\n');
  await writeFile(file('v.jsonl'), '{"embedding":[1,2],"label":"x"}\n{"embedding":[2,1],"label":"y"}\n');
  await writeFile(file('a.txt'), 'hello\nthere\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const refusedLikeTheLoader: [string, Omit<ColumnRequest, 'source'> & { source: string }][] = [
  ['CSV label column', { source: 'a.csv', labelColumn: 'class' }],
  ['CSV group column', { source: 'a.csv', groupColumn: 'user' }],
  ['TSV default text column', { source: 'a.tsv' }],
  ['TSV text column', { source: 'a.tsv', textColumn: 'text' }],
  ['JSONL id field (first record)', { source: 'a.jsonl', idColumn: 'uid' }],
  ['corpus label column', { source: 'uci-sentiment:amazon', labelColumn: 'label' }],
  ['corpus text column', { source: 'spam-assassin:spam-1', textColumn: 'body' }],
  ['corpus group name', { source: 'spam-assassin:spam-3' }],
  ['corpus site name', { source: 'uci-sentiment:twitter' }],
];

describe('column check from headers', () => {
  it.each(refusedLikeTheLoader)('%s: the loader’s own message', async (_what, side) => {
    const source = side.source.includes(':') ? side.source : file(side.source);
    const request = { ...side, source };
    const loaded = await loadDataset(source, { ...request, seed: 0 }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(loaded).not.toBeNull();
    await expect(checkSourceColumns(request, {})).rejects.toThrow(loaded as string);
  });

  it('names the time column as --time-column (CSV header and corpora)', async () => {
    await expect(checkSourceColumns({ source: file('a.csv'), timeColumn: 'ts' }, {})).rejects.toThrow(
      `${file('a.csv')}: no column "ts" (--time-column); columns found: "text", "label", "thread"`,
    );
    await expect(checkSourceColumns({ source: 'sotu:1990-2000', timeColumn: 'when' }, {})).rejects.toThrow(
      /sotu:1990-2000: no column "when" \(--time-column\)/,
    );
  });

  it('passes what the header allows, and leaves vectors, plain text and later records to the loaders', async () => {
    for (const request of [
      { source: file('a.csv'), labelColumn: 'label', groupColumn: 'thread', idColumn: 'thread', timeColumn: 'thread' },
      { source: file('a.tsv'), textColumn: 'body', labelColumn: 'label' },
      { source: file('a.jsonl'), labelColumn: 'label' },
      { source: file('v.jsonl'), labelColumn: 'nope' },
      { source: file('a.txt'), labelColumn: 'nope' },
      { source: 'spam-assassin:spam-1+spam-2', labelColumn: 'group', groupColumn: 'group' },
    ]) {
      await expect(checkSourceColumns(request, {}), request.source).resolves.toBeUndefined();
    }
  });
});
