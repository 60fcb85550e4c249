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
      // Not a terminal: a line at start, every ~10% and at the end, with a simple ETA.
      const started = Date.now();
      let value = 0;
      let lastDecile = -1;
      let finished = false;
      stream.write(`shiftlens: ${label}: 0/${total}\n`);
      return {
        increment: (n = 1) => {
          value += n;
          const decile = total > 0 ? Math.floor((value / total) * 10) : 10;
          if (decile > lastDecile && decile < 10) {
            lastDecile = decile;
            const elapsed = (Date.now() - started) / 1000;
            const eta = value > 0 ? (elapsed * (total - value)) / value : 0;
            stream.write(`shiftlens: ${label}: ${value}/${total} (ETA ${eta.toFixed(0)} s)\n`);
          }
        },
        done: () => {
          if (finished) return;
          finished = true;
          stream.write(`shiftlens: ${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        },
      };
    },
  };
}
