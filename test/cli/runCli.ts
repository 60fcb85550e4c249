/** Runs the built CLI (dist/, built by `npm test` before vitest) as a real child process. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot, testCacheDir } from '../helpers/repoPaths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, SHIFTLENS_CACHE_DIR: path.join(testCacheDir, 'model-cache'), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
