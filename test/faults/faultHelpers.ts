/**
 * Shared pieces of the fault tests: a PID that is certainly dead, folders that really refuse writes (a read-only
 * or tiny tmpfs where this machine lets the tests mount one; chmod where permission bits count), and a snapshot
 * of a folder's files to prove an old output set survived byte for byte.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { repoRoot, testCacheDir } from '../helpers/repoPaths.js';

/** The PID of a process that has exited (its number is not reused this soon). */
export function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid as number));
  });
}

const tempDirs: string[] = [];
// File-level: the folders a test file made are removed after its tests (mounts are released before, by the tests).
afterAll(() => {
  for (const dir of tempDirs.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A folder still mounted read-only: left for the system's temp cleaning.
    }
  }
});

export function tempDirSync(prefix = 'shiftlens-fault-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Mount a tmpfs at `dir` (created); false where this process may not mount. */
export function mountTmpfs(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    // Not mounted (the test fell back) or already gone.
  }
}

export interface RefusingFolder {
  dir: string;
  /** How the folder refuses writes, for the test name and the expected errno. */
  how: 'read-only tmpfs' | 'chmod 555';
  release(): void;
}

/**
 * A folder in which creating anything fails: a read-only tmpfs (EROFS) where mounting is allowed, otherwise
 * chmod 555 (EACCES) when not root; null when neither works (root without mount rights ignores permission bits).
 */
export function refusingFolder(): RefusingFolder | null {
  const dir = path.join(tempDirSync(), 'ro');
  if (mountTmpfs(dir, 'ro,size=64k')) return { dir, how: 'read-only tmpfs', release: () => unmount(dir) };
  if (isRoot) return null;
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o555);
  return { dir, how: 'chmod 555', release: () => chmodSync(dir, 0o755) };
}

/** Every file below `dir` with its bytes (relative paths, sorted). */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[path.relative(dir, p)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return files;
}

/** stderr split into its non-empty lines. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

export interface StartedCli {
  child: ChildProcess;
  /** What the process wrote to stderr so far. */
  stderrSoFar(): string;
  /** Resolves when the process has ended (code null when a signal ended it). */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** The built CLI as a child process the test can signal (runCli in test/cli waits for the end instead). */
export function startCli(args: string[], env: Record<string, string> = {}): StartedCli {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, SHIFTLENS_CACHE_DIR: path.join(testCacheDir, 'model-cache'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  return { child, done, stderrSoFar: () => stderr };
}

/** Wait until `file` exists (the CLI's test hook writes it when it reaches the step), or the process ended. */
export async function waitForFile(file: string, cli: StartedCli, timeoutMs = 120_000): Promise<void> {
  let ended = false;
  void cli.done.then(() => (ended = true));
  const start = Date.now();
  while (!existsSync(file)) {
    if (ended) throw new Error(`the CLI ended before reaching the hook (${file}): ${(await cli.done).stderr}`);
    if (Date.now() - start > timeoutMs) throw new Error(`the CLI did not reach the hook (${file})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Deterministic embeddings JSONL: n rows of `dim` values, shifted by `shift` (a fast input: no model runs). */
export function writeVectors(file: string, n: number, shift: number, seed: number, dim = 8): string {
  let s = seed;
  const next = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const rows = Array.from({ length: n }, () =>
    JSON.stringify({ embedding: Array.from({ length: dim }, () => next() + shift) }),
  );
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

/** The sibling temporaries the output writer may leave beside `outDir`. */
export function outputSiblings(outDir: string): string[] {
  return readdirSync(path.dirname(outDir)).filter((n) => n.startsWith(`.${path.basename(outDir)}.shiftlens-`));
}
