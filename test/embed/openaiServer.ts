/**
 * A real OpenAI-compatible /v1/embeddings server on loopback (node:http, 127.0.0.1, an OS-chosen port) for the
 * openai backend's tests. Vectors are a deterministic function of (text, dimension) — hashVector, which tests call
 * directly to know what the client must return. Faults are scripted per request number (429 with Retry-After,
 * 500, a reply slower than the client's timeout, wrong count or dimension, NaN, malformed JSON), a text containing
 * "REJECT" makes the whole request a 400 (as OpenAI does for an over-long input), and `maxBatch` answers larger
 * requests with a 413 (as Hugging Face TEI does past its batch cap).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const NATIVE_DIM = 8;

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; retryAfterMs?: string }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'wrongCount' }
  | { kind: 'wrongDim' }
  | { kind: 'nan' }
  | { kind: 'malformed' };

export interface RecordedRequest {
  n: number;
  inputs: string[];
  model: string;
  dimensions: number | undefined;
  authorization: string | undefined;
  status: number;
}

/** Float32-exact values in [-1, 1) from sha256(dim | text | block). */
export function hashVector(text: string, dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (let block = 0; block * 8 < dim; block++) {
    const digest = crypto.createHash('sha256').update(`${dim}|${text}|${block}`, 'utf8').digest();
    for (let k = 0; k < 8 && block * 8 + k < dim; k++) {
      out[block * 8 + k] = digest.readUInt32LE(4 * k) / 2 ** 31 - 1;
    }
  }
  return out;
}

export class FakeEmbeddingServer {
  readonly requests: RecordedRequest[] = [];
  /** Faults by request number (0 = the first request the server sees). */
  faults = new Map<number, Fault>();
  /** Answer requests with more inputs than this with a 413 (TEI-style); Infinity = no cap. */
  maxBatch = Infinity;
  private server: http.Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = this.requests.length;
      const send = (status: number, body: string, headers: Record<string, string> = {}) => {
        record.status = status;
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      };
      const record: RecordedRequest = {
        n,
        inputs: [],
        model: '',
        dimensions: undefined,
        authorization: req.headers.authorization,
        status: 0,
      };
      this.requests.push(record);
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        send(404, JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        model: string;
        input: string | string[];
        dimensions?: number;
        encoding_format?: string;
      };
      const inputs = typeof body.input === 'string' ? [body.input] : body.input;
      record.inputs = inputs;
      record.model = body.model;
      record.dimensions = body.dimensions;
      if (req.headers.authorization === 'Bearer wrong-key') {
        send(401, JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }));
        return;
      }
      if (body.model !== 'test-embed') {
        send(404, JSON.stringify({ error: { message: `The model \`${body.model}\` does not exist` } }));
        return;
      }
      if (inputs.length > this.maxBatch) {
        send(
          413,
          JSON.stringify({ error: `batch size ${inputs.length} > maximum allowed batch size ${this.maxBatch}` }),
        );
        return;
      }
      const bad = inputs.findIndex((t) => t.includes('REJECT'));
      if (bad >= 0) {
        send(
          400,
          JSON.stringify({
            error: {
              message: `Input ${bad} is over this model's maximum context length`,
              type: 'invalid_request_error',
            },
          }),
        );
        return;
      }
      const dim = body.dimensions ?? NATIVE_DIM;
      const data = inputs.map((t, index) => ({
        object: 'embedding',
        index,
        embedding: Array.from(hashVector(t, dim)),
      }));
      // Entries out of order: the client must place them by "index".
      data.reverse();
      const reply = { object: 'list', data, model: body.model, usage: { prompt_tokens: 0, total_tokens: 0 } };
      const fault = this.faults.get(n);
      switch (fault?.kind) {
        case undefined:
          send(200, JSON.stringify(reply));
          return;
        case 'status': {
          const headers: Record<string, string> = {};
          if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
          if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = fault.retryAfterMs;
          send(fault.status, JSON.stringify({ error: { message: `scripted ${fault.status}` } }), headers);
          return;
        }
        case 'slow': {
          const timer = setTimeout(() => send(200, JSON.stringify(reply)), fault.delayMs);
          res.on('close', () => clearTimeout(timer));
          return;
        }
        case 'wrongCount':
          send(200, JSON.stringify({ ...reply, data: data.slice(1).map((e, index) => ({ ...e, index })) }));
          return;
        case 'wrongDim':
          send(200, JSON.stringify({ ...reply, data: data.map((e) => ({ ...e, embedding: e.embedding.slice(1) })) }));
          return;
        case 'nan':
          // What Python's json.dumps writes for float('nan').
          send(200, JSON.stringify(reply).replace(/("embedding":\[)[^,\]]+/, '$1NaN'));
          return;
        case 'malformed':
          send(200, JSON.stringify(reply).slice(0, 40));
          return;
      }
    });
  }
}
