/**
 * The output set writer in process: a set replaces the folder's own files and carries over the rest, leftovers of
 * killed runs (dead PIDs) are finished or removed, failures leave the old set and no temporary behind.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recoverOutputFolder, writeOutputsAtomically } from '../../src/result/writeOutputs.js';
import { checkOutputFolder } from '../../src/result/outputFolder.js';
import { deadPid, tempDirSync } from './faultHelpers.js';

async function tempDir(): Promise<string> {
  return tempDirSync('shiftlens-write-');
}

async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe('writeOutputsAtomically', () => {
  afterEach(() => {
    delete process.env.SHIFTLENS_TEST_WRITE_ERROR;
  });

  it('replaces the owned names, drops stale owned ones, keeps files it does not own', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'out');
    await writeOutputsAtomically(out, [
      { name: 'result.json', contents: 'old' },
      { name: 'charts/pca.svg', contents: '<svg/>' },
    ]);
    await writeFile(path.join(out, 'notes.txt'), 'mine');
    await writeOutputsAtomically(out, [{ name: 'result.json', contents: 'new' }], { replaces: ['charts'] });
    expect(await listing(out)).toEqual(['notes.txt', 'result.json']);
    expect(await readFile(path.join(out, 'result.json'), 'utf8')).toBe('new');
    expect(await readFile(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect((await readdir(dir)).sort()).toEqual(['out']);
  });

  it('a link to the output folder stays a link; the set is replaced where it points', async () => {
    const dir = await tempDir();
    const real = path.join(dir, 'real');
    await writeOutputsAtomically(real, [{ name: 'result.json', contents: 'old' }]);
    await symlink(real, path.join(dir, 'out'));
    const written = await writeOutputsAtomically(path.join(dir, 'out'), [{ name: 'result.json', contents: 'new' }]);
    expect(written).toEqual([path.join(real, 'result.json')]);
    expect((await lstat(path.join(dir, 'out'))).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, 'out', 'result.json'), 'utf8')).toBe('new');
    expect((await readdir(dir)).sort()).toEqual(['out', 'real']);
  });

  it('drops half-written files the earlier per-file writer left (dead PID)', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'out');
    await mkdir(out);
    const pid = await deadPid();
    await writeFile(path.join(out, `report.html.tmp-${pid}-1764620000000`), 'half');
    await writeOutputsAtomically(out, [{ name: 'result.json', contents: 'new' }]);
    expect(await listing(out)).toEqual(['result.json']);
  });

  it('on a failed write keeps the old set whole and leaves no temporary', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'out');
    await writeOutputsAtomically(out, [
      { name: 'a.txt', contents: 'old a' },
      { name: 'b.txt', contents: 'old b' },
    ]);
    process.env.SHIFTLENS_TEST_WRITE_ERROR = 'ENOSPC:b.txt';
    const failed = writeOutputsAtomically(out, [
      { name: 'a.txt', contents: 'new a' },
      { name: 'b.txt', contents: 'new b' },
    ]);
    await expect(failed).rejects.toThrow(/^cannot write .*b\.txt: no space left on the device \(ENOSPC\); free some/);
    expect(await readFile(path.join(out, 'a.txt'), 'utf8')).toBe('old a');
    expect(await readFile(path.join(out, 'b.txt'), 'utf8')).toBe('old b');
    expect((await readdir(dir)).sort()).toEqual(['out']);
  });

  it('finishes a swap a killed run cut short, and removes its temporaries', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'out');
    const pid = await deadPid();
    // Killed between the two renames: the old set aside, the new one complete beside it, no folder.
    await mkdir(path.join(dir, `.out.shiftlens-old-${pid}-aa`));
    await writeFile(path.join(dir, `.out.shiftlens-old-${pid}-aa`, 'result.json'), 'old');
    await mkdir(path.join(dir, `.out.shiftlens-ready-${pid}-aa`));
    await writeFile(path.join(dir, `.out.shiftlens-ready-${pid}-aa`, 'result.json'), 'new');
    await mkdir(path.join(dir, `.out.shiftlens-tmp-${pid}-bb`));
    recoverOutputFolder(out);
    expect((await readdir(dir)).sort()).toEqual(['out']);
    expect(await readFile(path.join(out, 'result.json'), 'utf8')).toBe('new');
  });

  it('restores an old set left aside when no new set was complete', async () => {
    const dir = await tempDir();
    const pid = await deadPid();
    await mkdir(path.join(dir, `.out.shiftlens-old-${pid}-aa`));
    await writeFile(path.join(dir, `.out.shiftlens-old-${pid}-aa`, 'result.json'), 'old');
    await mkdir(path.join(dir, `.out.shiftlens-tmp-${pid}-aa`));
    recoverOutputFolder(path.join(dir, 'out'));
    expect((await readdir(dir)).sort()).toEqual(['out']);
    expect(await readFile(path.join(dir, 'out', 'result.json'), 'utf8')).toBe('old');
  });

  it('leaves the temporaries of a live process alone', async () => {
    const dir = await tempDir();
    const live = path.join(dir, `.out.shiftlens-tmp-${process.ppid}-aa`);
    await mkdir(live);
    recoverOutputFolder(path.join(dir, 'out'));
    expect(existsSync(live)).toBe(true);
  });
});

describe('checkOutputFolder', () => {
  it.each([
    ['', /--out is empty/],
    ['.', /is the current folder/],
    ['..', /is a folder above the current one/],
    [os.homedir(), /your home folder/],
    ['/', /a file system root/],
  ])('rejects %j', (value, message) => {
    expect(() => checkOutputFolder(value)).toThrow(message);
  });

  it('rejects an existing file and a path below a file, naming them', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'file.txt');
    await writeFile(file, 'x');
    expect(() => checkOutputFolder(file)).toThrow(`--out ${file} is an existing file, not a folder`);
    expect(() => checkOutputFolder(path.join(file, 'out'))).toThrow(`is below ${file}, which is a file`);
    expect(() => checkOutputFolder(path.join(file, 'a', 'b'))).toThrow(`is below ${file}, which is a file`);
  });

  it('accepts a new folder below missing ones without creating anything', async () => {
    const dir = await tempDir();
    expect(checkOutputFolder(path.join(dir, 'a', 'b', 'out'))).toBe(path.join(dir, 'a', 'b', 'out'));
    expect(await readdir(dir)).toEqual([]);
  });
});
