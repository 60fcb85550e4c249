/**
 * One onnxruntime InferenceSession per graph kind, created lazily from the in-memory model bytes and reused for
 * the life of the process (creating a session costs milliseconds; a run on small inputs, microseconds).
 */
import { availableParallelism } from 'node:os';
import ort from 'onnxruntime-node';
import { encodeModel } from './onnxGraph.js';
import { graphSpec, type GraphKind } from './graphs.js';

/**
 * onnxruntime (since 1.29, outside Windows) otherwise writes a telemetry database and device id under
 * ~/.cache/Microsoft/DeveloperTools/.onnxruntime and an empty /tmp/mat-debug-<pid>.log on its first session, and
 * may upload. Its opt-out is this environment variable (checked: with it set, a run writes neither), read when
 * the runtime's environment is created — at the first session of the process, ours or @huggingface/transformers',
 * which comes after this module is evaluated. A user's own setting wins.
 */
process.env.ORT_DISABLE_TELEMETRY ??= '1';

/**
 * Two intra-op threads (one on a one-core machine): the machines this runs on are small, and several analyses may
 * share them. SHIFTLENS_ORT_THREADS=<n> sets it, for processes that run side by side (the statistical suite's
 * workers set 1: two workers with two threads each on two cores spent 1.46× the CPU of one pinned thread).
 */
export const ORT_THREADS = ortThreads(process.env.SHIFTLENS_ORT_THREADS, availableParallelism());

/**
 * The intra-op thread count: a positive integer from the environment, else min(2, cores); another setting is
 * ignored with a one-line warning naming it.
 */
export function ortThreads(setting: string | undefined, cores: number): number {
  const fallback = Math.max(1, Math.min(2, cores));
  if (setting === undefined || setting.trim() === '') return fallback;
  const given = Number(setting.trim());
  if (Number.isInteger(given) && given > 0) return given;
  process.emitWarning(`SHIFTLENS_ORT_THREADS="${setting}" is not a positive integer; using the default, ${fallback}`);
  return fallback;
}

const sessions = new Map<GraphKind, Promise<ort.InferenceSession>>();

export function sessionFor(kind: GraphKind): Promise<ort.InferenceSession> {
  return cachedSession(sessions, kind, () => encodeModel(graphSpec(kind)));
}

/**
 * The session of `key` in `cache`, created once from the model bytes `build()` gives, with the project's session
 * options (ORT_THREADS intra-op threads, sequential, all graph optimisations). `spinning: false` lets the intra-op
 * threads sleep between parallel sections instead of spin-waiting: for graphs whose runs are long (tens of ms),
 * where a wake-up costs nothing measurable and spinning only burns CPU that other work on the cores could use.
 */
export function cachedSession<K>(
  cache: Map<K, Promise<ort.InferenceSession>>,
  key: K,
  build: () => Uint8Array,
  options: { spinning?: boolean } = {},
): Promise<ort.InferenceSession> {
  let session = cache.get(key);
  if (!session) {
    session = ort.InferenceSession.create(build(), {
      intraOpNumThreads: ORT_THREADS,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      ...(options.spinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
    });
    // A failed creation must not poison the cache for later calls.
    session.catch(() => cache.delete(key));
    cache.set(key, session);
  }
  return session;
}

export type Feeds = Record<string, { data: Float32Array; dims: number[] }>;

/** Run a graph kind on float32 inputs; returns output Y's values (a fresh Float32Array owned by the caller). */
export async function runGraph(kind: GraphKind, feeds: Feeds): Promise<Float32Array> {
  const session = await sessionFor(kind);
  const tensors: Record<string, ort.Tensor> = {};
  for (const [name, { data, dims }] of Object.entries(feeds)) tensors[name] = new ort.Tensor('float32', data, dims);
  const out = await session.run(tensors);
  return out.Y.data as Float32Array;
}
