/**
 * How to reach an OpenAI-compatible /v1/embeddings server (OpenAI itself, Ollama, Hugging Face TEI, vLLM,
 * LM Studio): the base URL, the environment variable that holds the key (the key itself is never a flag, never
 * logged, never part of a cache key), and the limits the requests keep to. Validated once, up front.
 */
import { InputError } from '../../core/errors.js';

export const DEFAULT_EMBED_URL = 'https://api.openai.com/v1';
export const DEFAULT_KEY_ENV = 'OPENAI_API_KEY';

export interface EmbedEndpointOptions {
  /** Base URL of the API, up to and including /v1 (default: OpenAI's). */
  url?: string;
  /** Name of the environment variable holding the API key (default OPENAI_API_KEY). */
  keyEnv?: string;
  /** Output dimension to request (the API's `dimensions`; text-embedding-3 models and some servers). */
  dimensions?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Per-request timeout in milliseconds, headers and body (default 60 000). */
  timeoutMs?: number;
  /** Retries of one request after a 408/409/429/5xx, a timeout or a dropped connection (default 6). */
  maxRetries?: number;
  /** First backoff in milliseconds; doubles per retry, with jitter (default 500). */
  retryBaseMs?: number;
  /** Longest single wait, also the cap on a server's Retry-After (default 60 000). */
  maxRetryWaitMs?: number;
  /** Inputs per request (default 256; the OpenAI API allows 2048). --batch-size sets it. */
  maxInputsPerRequest?: number;
  /** Approximate tokens per request, estimated as UTF-8 bytes / 3 (default 250 000; OpenAI allows 300 000). */
  maxTokensPerRequest?: number;
  /** Called before each retry wait (progress notes, tests). */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  /** 1 for the first retry of a request. */
  attempt: number;
  delayMs: number;
  /** e.g. "HTTP 429", "timeout after 60 s", "connection error". */
  reason: string;
  /** True when the delay came from the server's Retry-After / retry-after-ms header. */
  fromRetryAfter: boolean;
}

export type ResolvedEndpoint = Required<Omit<EmbedEndpointOptions, 'dimensions' | 'onRetry'>> &
  Pick<EmbedEndpointOptions, 'dimensions' | 'onRetry'> & {
    /** The key read from the environment, or null when none is needed (a local server). */
    apiKey: string | null;
  };

export function resolveEndpoint(options: EmbedEndpointOptions, env: NodeJS.ProcessEnv = process.env): ResolvedEndpoint {
  const url = normalizeBaseUrl(options.url ?? DEFAULT_EMBED_URL);
  const keyEnv = options.keyEnv ?? DEFAULT_KEY_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) {
    throw new InputError(`--embed-key-env "${keyEnv}" is not an environment variable name (letters, digits, _)`);
  }
  const value = env[keyEnv];
  const apiKey = value !== undefined && value.trim() !== '' ? value.trim() : null;
  if (apiKey === null && (options.keyEnv !== undefined || url === DEFAULT_EMBED_URL)) {
    throw new InputError(
      `the embedding API key is read from the environment variable ${keyEnv}, which is not set; export ${keyEnv}=<your key> (or point --embed-url at a server that needs none)`,
    );
  }
  const positive = (name: string, value: number | undefined, fallback: number, min = 1): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min) {
      throw new InputError(`${name} must be an integer of at least ${min}, got ${value}`);
    }
    return value;
  };
  return {
    url,
    keyEnv,
    apiKey,
    dimensions: options.dimensions === undefined ? undefined : positive('--embed-dimensions', options.dimensions, 0, 1),
    concurrency: positive('--embed-concurrency', options.concurrency, 4),
    timeoutMs: positive('--embed-timeout', options.timeoutMs, 60_000),
    maxRetries: positive('--embed-retries', options.maxRetries, 6, 0),
    retryBaseMs: positive('retry base delay', options.retryBaseMs, 500),
    maxRetryWaitMs: positive('longest retry wait', options.maxRetryWaitMs, 60_000),
    maxInputsPerRequest: positive('--batch-size', options.maxInputsPerRequest, 256),
    maxTokensPerRequest: positive('--embed-max-tokens', options.maxTokensPerRequest, 250_000),
    onRetry: options.onRetry,
  };
}

/** "http://host:port/v1/" → "http://host:port/v1"; a bad URL is an InputError naming the flag. */
export function normalizeBaseUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new InputError(`--embed-url "${raw}" is not a URL; give the API base, e.g. http://127.0.0.1:11434/v1`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InputError(`--embed-url "${raw}" must be http:// or https://`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InputError(
      '--embed-url must not carry credentials; put the key in an environment variable (--embed-key-env)',
    );
  }
  parsed.hash = '';
  parsed.search = '';
  return parsed.toString().replace(/\/+$/, '');
}
