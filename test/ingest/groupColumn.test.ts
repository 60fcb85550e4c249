import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { groupCount } from '../../src/ingest/dataset.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { rowGroupsFromIds } from '../../src/pipeline/testSuite.js';
import { tempFolder } from './tempFiles.js';

const write = tempFolder();

describe('--group-column', () => {
  it('carries CSV, TSV and JSONL group ids aligned with the kept samples, and counts the groups', async () => {
    const csv = await loadDataset(write('g.csv', 'doc,text\nd1,first\nd1,\nd2,third\nd2,fourth\nd3,fifth\n'), {
      seed: 0,
      groupColumn: 'doc',
    });
    expect(csv.texts).toEqual(['first', 'third', 'fourth', 'fifth']);
    expect(csv.groups).toEqual(['d1', 'd2', 'd2', 'd3']);
    expect(groupCount(csv)).toBe(3);
    const tsv = await loadDataset(write('g.tsv', 'text\tthread\na\t1\nb\t1\n'), { seed: 0, groupColumn: 'thread' });
    expect(tsv.groups).toEqual(['1', '1']);
    const jsonl = await loadDataset(write('g.jsonl', '{"text":"a","user":7}\n{"text":"b"}\n'), {
      seed: 0,
      groupColumn: 'user',
    });
    expect(jsonl.groups).toEqual(['7', '']);
    const emb = await loadDataset(write('e.jsonl', '{"embedding":[1,2],"doc":"x"}\n{"embedding":[3,4],"doc":"y"}\n'), {
      seed: 0,
      groupColumn: 'doc',
    });
    expect(emb.groups).toEqual(['x', 'y']);
    expect((await loadDataset(write('n.csv', 'text\na\nb\n'), { seed: 0 })).groups).toBeUndefined();
  });

  it('a missing group column is a one-line InputError naming the file and the column', async () => {
    const file = write('m.csv', 'text,doc\na,1\nb,2\n');
    const error = await loadDataset(file, { seed: 0, groupColumn: 'thread' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toContain('"thread" (--group-column)');
    expect(message).not.toContain('\n');
    await expect(loadDataset(write('t.txt', 'a\nb\n'), { seed: 0, groupColumn: 'doc' })).rejects.toThrow(
      /--group-column "doc" needs a source with named columns/,
    );
    await expect(loadDataset('sotu:1990-1991', { seed: 0, groupColumn: 'chapter' })).rejects.toThrow(
      /no column "chapter" \(--group-column\)/,
    );
  });

  it('SOTU passages carry their address ("year president") as group', async () => {
    const d = await loadDataset('sotu:1961-1962', { seed: 0, groupColumn: 'address' });
    const addresses = new Set(d.groups);
    // 1961 has two addresses (Eisenhower's last, Kennedy's first).
    expect([...addresses].sort()).toEqual(['1961 Dwight D Eisenhower', '1961 John F Kennedy', '1962 John F Kennedy']);
    expect(d.groups?.length).toBe(d.texts?.length);
    d.origins.forEach((origin, i) => expect(origin.startsWith(`sotu:${d.groups?.[i]} passage`)).toBe(true));
  });

  it('row groups for the suite: per-side numbering, empty ids and a side without groups are singletons', () => {
    const g = rowGroupsFromIds(['a', 'a', '', 'b'], undefined, 4, 3);
    expect(Array.from(g?.reference ?? [])).toEqual([0, 0, 1, 2]);
    expect(Array.from(g?.target ?? [])).toEqual([0, 1, 2]);
    expect(rowGroupsFromIds(undefined, undefined, 4, 3)).toBeNull();
  });
});
