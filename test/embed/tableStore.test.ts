import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deadPid } from '../faults/faultHelpers.js';
import { loadOrBuildTable } from '../../src/embed/wordvec/tableStore.js';
import {
  decodeTable,
  encodeTable,
  readTableFile,
  TABLE_FORMAT_VERSION,
  writeFileAtomic,
  type TableMetadata,
} from '../../src/embed/wordvec/tableFormat.js';

const dirs: string[] = [];
function freshFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlens-table-'));
  dirs.push(dir);
  return path.join(dir, 'wordvec', 'small.bin');
}
afterEach(() => {
  while (dirs.length > 0) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

const metadata: TableMetadata = { source: 'test', sourceVersion: '1', sourceBytes: 42 };
const words = ['the', 'café', '"', 'well-known'];
const vectors = new Float32Array([1, 2, 3, -1.5, 0.25, 1e-7, 7, 8, 9, 3.4028234663852886e38, -0, 0.1]);

function counter(meta = metadata) {
  let builds = 0;
  return {
    builder: {
      isCurrent: (m: TableMetadata) => m.sourceVersion === meta.sourceVersion && m.sourceBytes === meta.sourceBytes,
      build: () => {
        builds++;
        return { words, dim: 3, vectors, metadata: meta };
      },
    },
    builds: () => builds,
  };
}

describe('binary table format', () => {
  it('encodes and decodes words, float32 values and metadata exactly', () => {
    const table = decodeTable(encodeTable(words, 3, vectors, metadata));
    expect(table.words).toEqual(words);
    expect(table.index.get('café')).toBe(1);
    expect(table.dim).toBe(3);
    expect(Array.from(table.vectors)).toEqual(Array.from(vectors));
    expect(table.metadata).toEqual(metadata);
  });

  it('rejects another format version, a bad magic and a truncated file', () => {
    const bytes = encodeTable(words, 3, vectors, metadata);
    const other = Buffer.from(bytes);
    other.writeUInt32LE(TABLE_FORMAT_VERSION + 1, 8);
    expect(() => decodeTable(other)).toThrow(/format version/);
    expect(() => decodeTable(Buffer.from('not a table at all, clearly'))).toThrow(/bad magic/);
    expect(() => decodeTable(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated or corrupt/);
  });
});

describe('loadOrBuildTable', () => {
  it('builds once, then reads the stored table; leaves no temporary or lock file', async () => {
    const file = freshFile();
    const c = counter();
    const first = await loadOrBuildTable(file, c.builder);
    const second = await loadOrBuildTable(file, c.builder);
    expect(c.builds()).toBe(1);
    expect(second.words).toEqual(first.words);
    expect(Array.from(second.vectors)).toEqual(Array.from(vectors));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['small.bin']);
  });

  it('rebuilds a corrupt (cut short) table and a stale one (other source version)', async () => {
    const file = freshFile();
    await loadOrBuildTable(file, counter().builder);
    fs.truncateSync(file, 40);
    const c = counter();
    await loadOrBuildTable(file, c.builder);
    expect(c.builds()).toBe(1);
    expect(readTableFile(file).words).toEqual(words);

    const newer = counter({ ...metadata, sourceVersion: '2' });
    await loadOrBuildTable(file, newer.builder);
    expect(newer.builds()).toBe(1);
    expect(readTableFile(file).metadata.sourceVersion).toBe('2');
  });

  it('a conversion that dies leaves neither a table nor a lock behind', async () => {
    const file = freshFile();
    await expect(
      loadOrBuildTable(file, {
        isCurrent: () => true,
        build: () => {
          throw new Error('killed mid-conversion');
        },
      }),
    ).rejects.toThrow('killed mid-conversion');
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a live holder of the lock, says so, and uses its table instead of converting again', async () => {
    const file = freshFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // This process is alive: the lock is held.
    fs.writeFileSync(`${file}.lock`, `${process.pid}\n${os.hostname()}\n`);
    const c = counter();
    const notes: string[] = [];
    const waiting = loadOrBuildTable(file, {
      ...c.builder,
      progress: { start: () => ({ increment: () => {}, done: () => {} }), note: (m) => notes.push(m) },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(notes).toEqual([expect.stringContaining(`waiting for process ${process.pid}, which is converting`)]);
    writeFileAtomic(file, encodeTable(words, 3, vectors, metadata));
    fs.rmSync(`${file}.lock`);
    const table = await waiting;
    expect(c.builds()).toBe(0);
    expect(table.words).toEqual(words);
  });

  it.each([
    ['this host, PID and host', (pid: number) => `${pid}\n${os.hostname()}\n`],
    ['an older lock holding the PID alone', (pid: number) => String(pid)],
  ])(
    'takes over at once a fresh lock whose process is dead (%s), and removes its half-written table',
    async (_, text) => {
      const file = freshFile();
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const pid = await deadPid();
      fs.writeFileSync(`${file}.lock`, text(pid));
      fs.writeFileSync(`${file}.tmp-${pid}-abc`, 'half a table');
      const c = counter();
      await loadOrBuildTable(file, c.builder);
      expect(c.builds()).toBe(1);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['small.bin']);
    },
  );

  it('a lock from another host counts as stale only when old', async () => {
    const file = freshFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.lock`, '1\nsome-other-host\n');
    const old = new Date(Date.now() - 11 * 60_000);
    fs.utimesSync(`${file}.lock`, old, old);
    const c = counter();
    await loadOrBuildTable(file, c.builder);
    expect(c.builds()).toBe(1);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});
