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
let installed = false;
let removal: NodeJS.Timeout | null = null;
/** How long the handlers outlive the last clean-up (see registerCleanup). */
const LINGER_MS = 100;

function onSignal(signal: NodeJS.Signals): void {
  const hadWork = cleanups.size > 0;
  runCleanups();
  uninstall();
  if (hadWork) process.stderr.write(`shiftlens: interrupted (${signal}); temporary files removed\n`);
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

function install(): void {
  if (removal) clearTimeout(removal);
  removal = null;
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', onExit);
}

function uninstall(): void {
  if (removal) clearTimeout(removal);
  removal = null;
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.removeListener('exit', onExit);
}

/** Register a synchronous clean-up; the returned function unregisters it (without running it). */
export function registerCleanup(cleanup: Cleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    if (!cleanups.delete(cleanup) || cleanups.size > 0) return;
    // Not at once: a Ctrl-C that came during synchronous work is delivered only once the event loop turns, and
    // must still find the handler (which then ends the process as the signal asks) instead of being lost.
    removal = setTimeout(uninstall, LINGER_MS);
    removal.unref();
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
