/**
 * Clean-ups that must run even when the user presses Ctrl-C or the process is sent SIGTERM/SIGHUP: temporary
 * output folders, conversion locks. While at least one is registered, the signal handlers run them (synchronous,
 * each on its own), then the process dies of the same signal (exit status 128 + n, as without a handler). With
 * none registered, signals keep Node's default behaviour. A SIGKILL runs nothing: the next run cleans up after it
 * (see the stale-temporary and stale-lock checks).
 */

type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onSignal(signal: NodeJS.Signals): void {
  runCleanups();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.stderr.write(`shiftlens: interrupted (${signal}); temporary files removed\n`);
  process.kill(process.pid, signal);
}

function runCleanups(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // A clean-up that fails must not stop the others.
    }
  }
}

function onExit(): void {
  runCleanups();
}

/** Register a synchronous clean-up; the returned function unregisters it (without running it). */
export function registerCleanup(cleanup: Cleanup): () => void {
  if (cleanups.size === 0) {
    for (const s of SIGNALS) process.on(s, onSignal);
    process.on('exit', onExit);
  }
  cleanups.add(cleanup);
  return () => {
    if (!cleanups.delete(cleanup) || cleanups.size > 0) return;
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.removeListener('exit', onExit);
  };
}

/** Whether process `pid` is alive (on this machine). EPERM means it exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
