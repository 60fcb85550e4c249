/**
 * openai:<model> — embeddings from an OpenAI-compatible /v1/embeddings server. A batch is split into requests
 * within the server's limits (inputs and approximate tokens per request), sent `concurrency` at a time, each
 * retried on its own (embeddingsClient.ts). A request the server rejects as a whole (400/413/422) is split in
 * halves until the inputs at fault are single: those come back as `rejected` rows with the server's message, the
 * rest are embedded. A 413 also lowers the inputs per request for the rest of the run (e.g. TEI's batch cap).
 */
import { createMatrix } from '../../core/matrix.js';
import type { BatchOutput, EmbeddingBackend, TextStats } from '../backend.js';
import { runWithConcurrency } from './concurrency.js';
import { EmbeddingsClient } from './embeddingsClient.js';
import type { ResolvedEndpoint } from './endpointOptions.js';
import { planRequests } from './requestPlan.js';
import { RejectedInputsError, ServiceError } from './serviceError.js';

/** The text of the one-input request that finds the model's dimension and checks URL, key and model up front. */
export const DIMENSION_PROBE_TEXT = 'shiftlens dimension probe';
/** Retries of the probe when the server cannot be reached at all (refused, unknown host). */
const PROBE_CONNECTION_RETRIES = 1;

export interface OpenAIBackendSpec {
  /** The model spec as given, e.g. "openai:text-embedding-3-small". */
  id: string;
  /** The server's model name, e.g. "text-embedding-3-small" or "nomic-embed-text". */
  model: string;
  endpoint: ResolvedEndpoint;
  normalize: boolean;
}

export interface OpenAIBackend extends EmbeddingBackend {
  readonly client: EmbeddingsClient;
}

/** Identity of the vectors for the embedding cache: model, URL and requested dimension (never the key). */
export function openAICacheIdentity(spec: Pick<OpenAIBackendSpec, 'model' | 'endpoint'>): string {
  return `openai|${spec.endpoint.url}|${spec.model}|dim=${spec.endpoint.dimensions ?? 'native'}`;
}

/** One request for the probe text: the dimension the server returns (checked against --embed-dimensions). */
export async function probeDimension(client: EmbeddingsClient, requested: number | undefined): Promise<number> {
  try {
    return (await client.embed([DIMENSION_PROBE_TEXT], requested ?? null, PROBE_CONNECTION_RETRIES)).dim;
  } catch (error) {
    if (error instanceof RejectedInputsError) {
      throw new ServiceError(
        `${client.where} refused a one-line request (HTTP ${error.status}: ${error.serverMessage}); check the model name${requested !== undefined ? ' and whether it accepts --embed-dimensions' : ''}`,
      );
    }
    throw error;
  }
}

export function createOpenAIBackend(spec: OpenAIBackendSpec, dim: number, client?: EmbeddingsClient): OpenAIBackend {
  const { endpoint } = spec;
  const api = client ?? new EmbeddingsClient(endpoint, spec.model);
  let maxInputs = endpoint.maxInputsPerRequest;
  const expected = dim;

  /** Embed texts[start, end) into `out`, splitting on rejection; rejected rows are recorded, not thrown. */
  const embedRange = async (
    texts: string[],
    start: number,
    end: number,
    out: Float32Array,
    rejected: { index: number; reason: string }[],
  ): Promise<void> => {
    try {
      const { data } = await api.embed(texts.slice(start, end), expected);
      out.set(data, start * dim);
    } catch (error) {
      if (!(error instanceof RejectedInputsError)) throw error;
      const n = end - start;
      if (n === 1) {
        rejected.push({ index: start, reason: `HTTP ${error.status}: ${error.serverMessage}` });
        return;
      }
      if (error.status === 413) maxInputs = Math.max(1, Math.min(maxInputs, Math.ceil(n / 2)));
      const mid = start + Math.ceil(n / 2);
      await embedRange(texts, start, mid, out, rejected);
      await embedRange(texts, mid, end, out, rejected);
    }
  };

  return {
    client: api,
    info: {
      id: spec.id,
      backend: 'openai',
      dim,
      pooling: 'mean',
      normalize: spec.normalize,
      maxTokens: null,
      description:
        `Embeddings from "${spec.model}" served by the OpenAI-compatible API at ${endpoint.url}` +
        `${endpoint.dimensions !== undefined ? ` with dimensions=${endpoint.dimensions}` : ''} (${dim}-d); ` +
        'pooling and truncation are the server’s own.',
    },
    cacheIdentity: openAICacheIdentity(spec),
    countsOov: false,
    async embedBatch(texts: string[]): Promise<BatchOutput> {
      const data = new Float32Array(texts.length * dim);
      const rejected: { index: number; reason: string }[] = [];
      const plan = planRequests(texts, { maxInputs, maxTokens: endpoint.maxTokensPerRequest });
      await runWithConcurrency(
        plan.map(
          ({ start, end }) =>
            () =>
              embedRange(texts, start, end, data, rejected),
        ),
        endpoint.concurrency,
      );
      const stats: TextStats[] = texts.map(() => ({ truncated: false, nKnown: 0, nOov: 0 }));
      rejected.sort((a, b) => a.index - b.index);
      return { vectors: createMatrix(texts.length, dim, data), stats, rejected };
    },
    async dispose() {},
  };
}
