/**
 * Progress reporting for long work, always on stderr so stdout stays clean for --json.
 * `createProgress({quiet})` gives a cli-progress bar with ETA on a terminal, plain periodic lines otherwise,
 * and nothing at all when quiet.
 */
import cliProgress from 'cli-progress';

export interface ProgressTask {
  /** Advance by `n` units (default 1). */
  increment(n?: number): void;
  /** Finish this task (idempotent). */
  done(): void;
}

export interface Progress {
  /** Start a task of `total` units; label says what is being done ("embedding reference"). */
  start(label: string, total: number): ProgressTask;
  /** A one-line note on stderr (suppressed when quiet). */
  note(message: string): void;
}

const NOOP_TASK: ProgressTask = { increment: () => {}, done: () => {} };

export const silentProgress: Progress = {
  start: () => NOOP_TASK,
  note: () => {},
};

export function createProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  if (options.quiet) return silentProgress;
  const stream = options.stream ?? process.stderr;
  const interactive = Boolean(stream.isTTY);
  return {
    note: (message) => {
      stream.write(`shiftlens: ${message}\n`);
    },
    start: (label, total) => {
      if (interactive) {
        const bar = new cliProgress.SingleBar(
          {
            stream,
            format: `${label.padEnd(24)} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(total, 1), 0);
        let finished = false;
        return {
          increment: (n = 1) => bar.increment(n),
          done: () => {
            if (finished) return;
            finished = true;
            bar.update(Math.max(total, 1));
            bar.stop();
          },
        };
      }
      // Not a terminal (CI logs): a line at most every 5 s with an ETA, and a closing line for work that took > 1 s.
      const started = Date.now();
      let lastLine = started;
      let value = 0;
      let finished = false;
      return {
        increment: (n = 1) => {
          value += n;
          const now = Date.now();
          if (now - lastLine >= 5000 && value < total) {
            lastLine = now;
            const elapsed = (now - started) / 1000;
            const eta = (elapsed * (total - value)) / value;
            stream.write(`shiftlens: ${label}: ${value}/${total} (ETA ${eta.toFixed(0)} s)\n`);
          }
        },
        done: () => {
          if (finished) return;
          finished = true;
          const seconds = (Date.now() - started) / 1000;
          if (seconds >= 1) stream.write(`shiftlens: ${label}: done in ${seconds.toFixed(1)} s\n`);
        },
      };
    },
  };
}
