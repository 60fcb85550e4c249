/**
 * Child process of bench/detectionGrid.ts: receives the embedded corpora once, then runs the trials of one grid
 * cell at a time and sends back which methods flagged a shift in each trial.
 */
import { createMatrix } from '../src/core/matrix.js';
import { type GridCorpus, runTrial, type Scenario } from './shared/detectionTrials.js';

export type WorkerRequest =
  | {
      type: 'init';
      corpora: { spec: string; rows: number; cols: number; data: Float32Array; groups: Int32Array | null }[];
    }
  | { type: 'cell'; key: string; scenario: Scenario; n: number; from: number; to: number; anchors: boolean };

export interface WorkerReply {
  type: 'ready' | 'done';
  key?: string;
  /** One entry per trial from..to−1: [method, flagged][]. */
  trials?: { trial: number; flags: [string, boolean][] }[];
  ms?: number;
}

const corpora = new Map<string, GridCorpus>();

process.on('disconnect', () => process.exit(0));

process.on('message', (message: WorkerRequest) => {
  handle(message).catch((error) => {
    process.stderr.write(`detection-grid worker: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
});

async function handle(message: WorkerRequest): Promise<void> {
  if (message.type === 'init') {
    for (const c of message.corpora)
      corpora.set(c.spec, { spec: c.spec, vectors: createMatrix(c.rows, c.cols, c.data), groups: c.groups });
    send({ type: 'ready' });
    return;
  }
  const started = performance.now();
  const trials: { trial: number; flags: [string, boolean][] }[] = [];
  for (let t = message.from; t < message.to; t++) {
    const { flags } = await runTrial(message.scenario, corpora, message.n, t, { anchors: message.anchors });
    trials.push({ trial: t, flags: [...flags] });
  }
  send({ type: 'done', key: message.key, trials, ms: performance.now() - started });
}

function send(reply: WorkerReply): void {
  process.send?.(reply);
}
