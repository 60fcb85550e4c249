/**
 * Shared pieces of the fault tests: a PID that is certainly dead, folders that really refuse writes (a read-only
 * or tiny tmpfs where this machine lets the tests mount one; chmod where permission bits count), and a snapshot
 * of a folder's files to prove an old output set survived byte for byte.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The PID of a process that has exited (its number is not reused this soon). */
export function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid as number));
  });
}

export function tempDirSync(prefix = 'shiftlens-fault-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
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
