/**
 * One /v1/embeddings request through the official `openai` client, with shiftlens's own retry loop around it
 * (the client's is switched off so retries can be counted, capped and reported): a per-attempt timeout that covers
 * the headers and the body, Retry-After honoured, and every outcome sorted into vectors (validated by
 * parseResponse.ts), a RejectedInputsError (400/413/422: the caller bisects) or a one-line ServiceError.
 * The key is handed to the client only; it is in no message, cache key or log.
 */
import OpenAI, { APIConnectionError, APIError } from 'openai';
import type { ResolvedEndpoint } from './endpointOptions.js';
import { type ParsedEmbeddings, parseEmbeddingsBody } from './parseResponse.js';
import { isRetryableStatus, retryAfterMs, retryDelayMs } from './retryPolicy.js';
import { RejectedInputsError, ServiceError } from './serviceError.js';

/** Statuses that reject something in the request itself: worth splitting the batch to find the input at fault. */
const INPUT_REJECTION_STATUSES: ReadonlySet<number> = new Set([400, 413, 422]);

type Attempt =
  | { ok: true; value: ParsedEmbeddings }
  | { ok: false; retryable: true; reason: string; headers?: Headers }
  | { ok: false; retryable: false; error: Error };

export class EmbeddingsClient {
  private readonly client: OpenAI;
  /** "<model> at <url>", the prefix of every message. */
  readonly where: string;
  /** Requests sent, retries included (for tests and the run summary). */
  requestCount = 0;
  retryCount = 0;

  constructor(
    private readonly endpoint: ResolvedEndpoint,
    private readonly model: string,
  ) {
    this.where = `${model} at ${endpoint.url}`;
    const isOpenAi = /^https:\/\/api\.openai\.com(\/|$)/.test(endpoint.url);
    this.client = new OpenAI({
      baseURL: endpoint.url,
      // The client insists on a key; a keyless local server gets a placeholder and no Authorization header.
      apiKey: endpoint.apiKey ?? 'no-key',
      adminAPIKey: null,
      organization: isOpenAi ? undefined : null,
      project: isOpenAi ? undefined : null,
      defaultHeaders: endpoint.apiKey === null ? { Authorization: null } : undefined,
      maxRetries: 0,
      timeout: endpoint.timeoutMs,
      logLevel: 'off',
    });
  }

  /**
   * Embeddings for `inputs` in order; `expectedDim` null accepts the server's dimension (then checked per row).
   * `connectionRetries` caps the retries of a refused or unresolvable connection (the start-up probe: a wrong
   * --embed-url should fail in a second, not after the full backoff).
   */
  async embed(
    inputs: string[],
    expectedDim: number | null,
    connectionRetries = Number.POSITIVE_INFINITY,
  ): Promise<ParsedEmbeddings> {
    for (let retry = 0; ; retry++) {
      const outcome = await this.attempt(inputs, expectedDim);
      if (outcome.ok) return outcome.value;
      if (!outcome.retryable) throw outcome.error;
      const unreachable = /\((ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)\)/.test(outcome.reason);
      const maxRetries = unreachable ? Math.min(this.endpoint.maxRetries, connectionRetries) : this.endpoint.maxRetries;
      if (retry >= maxRetries) {
        const hint = /429/.test(outcome.reason) ? '; lower --embed-concurrency or try later' : '';
        throw new ServiceError(
          `${this.where}: gave up after ${maxRetries} ${maxRetries === 1 ? 'retry' : 'retries'} (last: ${outcome.reason})${hint}`,
        );
      }
      const { delayMs, fromRetryAfter } = retryDelayMs(retry + 1, this.endpoint, retryAfterMs(outcome.headers));
      this.retryCount++;
      this.endpoint.onRetry?.({ attempt: retry + 1, delayMs, reason: outcome.reason, fromRetryAfter });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  private async attempt(inputs: string[], expectedDim: number | null): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.endpoint.timeoutMs);
    this.requestCount++;
    try {
      const response = await this.client.embeddings
        .create(
          {
            model: this.model,
            input: inputs,
            encoding_format: 'float',
            ...(this.endpoint.dimensions !== undefined ? { dimensions: this.endpoint.dimensions } : {}),
          },
          { signal: controller.signal, maxRetries: 0, timeout: this.endpoint.timeoutMs },
        )
        .asResponse();
      const body = await response.text();
      return { ok: true, value: parseEmbeddingsBody(body, inputs.length, expectedDim, this.where) };
    } catch (error) {
      if (controller.signal.aborted) {
        return { ok: false, retryable: true, reason: `no reply within ${seconds(this.endpoint.timeoutMs)}` };
      }
      return this.classify(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private classify(error: unknown): Attempt {
    if (error instanceof ServiceError) return { ok: false, retryable: false, error };
    if (error instanceof APIConnectionError) {
      return { ok: false, retryable: true, reason: `connection failed (${connectionDetail(error)})` };
    }
    if (error instanceof APIError && typeof error.status === 'number') {
      const status = error.status;
      const message = serverMessage(error);
      if (isRetryableStatus(status)) {
        return {
          ok: false,
          retryable: true,
          reason: `HTTP ${status}${message ? `: ${message}` : ''}`,
          headers: error.headers,
        };
      }
      if (INPUT_REJECTION_STATUSES.has(status)) {
        return { ok: false, retryable: false, error: new RejectedInputsError(status, message) };
      }
      if (status === 401 || status === 403) {
        return {
          ok: false,
          retryable: false,
          error: new ServiceError(
            `${this.where}: HTTP ${status}, the key was refused (${message}); check the key in $${this.endpoint.keyEnv}`,
          ),
        };
      }
      if (status === 404) {
        return {
          ok: false,
          retryable: false,
          error: new ServiceError(
            `${this.where}: HTTP 404 (${message}); check the model name and that --embed-url is the API base (it ends in /v1 for most servers)`,
          ),
        };
      }
      return { ok: false, retryable: false, error: new ServiceError(`${this.where}: HTTP ${status} (${message})`) };
    }
    // A body cut off mid-read ("terminated", ECONNRESET) is a dropped connection.
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, retryable: true, reason: `connection failed (${text})` };
  }
}

/** The innermost system error code (ECONNREFUSED, ENOTFOUND, …) under undici's "fetch failed", else a message. */
function connectionDetail(error: Error): string {
  let deepest = error.message;
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    deepest = e.message;
    e = (e as { cause?: unknown }).cause;
  }
  return deepest;
}

/** The server's error text without the client's "400 " prefix, on one line and bounded. */
function serverMessage(error: APIError): string {
  // OpenAI sends {"error": {"message": …}}, TEI {"error": "…"}; the client keeps the inner value.
  const inner: unknown = error.error;
  const raw =
    typeof inner === 'string'
      ? inner
      : typeof (inner as { message?: unknown } | undefined)?.message === 'string'
        ? (inner as { message: string }).message
        : error.message.replace(/^\d{3}\s*/, '');
  const line = raw.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line || 'no message';
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
