/**
 * Clean-ups on signals, in a real process (the built dist): a registered clean-up runs on SIGTERM and the process
 * still dies of the signal; a Ctrl-C that arrives during synchronous work (as the word-vector conversion) is not
 * lost when the clean-up is unregistered right after that work.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repoPaths.js';

const cleanupModule = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'core', 'cleanup.js')).href;

function run(script: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('signal clean-ups', () => {
  it('SIGTERM runs the registered clean-up, says so in one line, and ends the process by SIGTERM', async () => {
    const result = await run(`
      import { registerCleanup } from '${cleanupModule}';
      registerCleanup(() => process.stderr.write('cleaned\\n'));
      setTimeout(() => process.kill(process.pid, 'SIGTERM'), 50);
      setTimeout(() => process.stderr.write('still running\\n'), 5000);
    `);
    expect(result.signal).toBe('SIGTERM');
    expect(result.stderr).toBe('cleaned\nshiftlens: interrupted (SIGTERM); temporary files removed\n');
  });

  it('a Ctrl-C during synchronous work still ends the process after the clean-up was unregistered', async () => {
    const result = await run(`
      import { registerCleanup } from '${cleanupModule}';
      const unregister = registerCleanup(() => {});
      process.kill(process.pid, 'SIGINT'); // delivered only once the synchronous work below is over
      const start = Date.now();
      while (Date.now() - start < 300) {}
      unregister();
      setTimeout(() => process.stderr.write('Ctrl-C was lost\\n'), 2000);
    `);
    expect(result.signal).toBe('SIGINT');
    expect(result.stderr).toBe('');
  });
});
