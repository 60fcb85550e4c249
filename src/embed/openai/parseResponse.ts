/**
 * Reading a /v1/embeddings response body strictly: valid JSON, a `data` list with one entry per input (ordered by
 * `index` when the server gives it), every embedding a list of finite numbers of one dimension (the requested one
 * when known). Anything else is a ServiceError naming the server and what was wrong, so nothing bad is stored.
 */
import { ServiceError } from './serviceError.js';

export interface ParsedEmbeddings {
  /** Row-major, inputs × dim, in input order. */
  data: Float32Array;
  dim: number;
}

export function parseEmbeddingsBody(
  body: string,
  nInputs: number,
  expectedDim: number | null,
  where: string,
): ParsedEmbeddings {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    if (/(^|[\s,:[])-?(NaN|Infinity)([\s,\]}]|$)/.test(body)) {
      throw new ServiceError(`${where} returned NaN or Infinity in an embedding; the server's model output is broken`);
    }
    const start = body.slice(0, 60).replace(/\s+/g, ' ');
    throw new ServiceError(
      `${where} returned malformed JSON (${(error as Error).message}; body starts ${JSON.stringify(start)}); is --embed-url the API base of an OpenAI-compatible server?`,
    );
  }
  const list = (json as { data?: unknown } | null)?.data;
  if (json === null || typeof json !== 'object' || !Array.isArray(list)) {
    throw new ServiceError(`${where} returned JSON without a "data" list of embeddings; is it an embeddings endpoint?`);
  }
  if (list.length !== nInputs) {
    throw new ServiceError(`${where} returned ${list.length} embeddings for ${nInputs} inputs`);
  }
  const order = entryOrder(list, where);
  let dim = expectedDim ?? -1;
  let data: Float32Array | null = expectedDim !== null ? new Float32Array(nInputs * expectedDim) : null;
  for (let k = 0; k < nInputs; k++) {
    const vector = (list[k] as { embedding?: unknown } | null)?.embedding;
    if (!Array.isArray(vector)) {
      throw new ServiceError(`${where} returned entry ${k} without an "embedding" list of numbers`);
    }
    if (dim < 0) {
      if (vector.length === 0) throw new ServiceError(`${where} returned an empty embedding`);
      dim = vector.length;
      data = new Float32Array(nInputs * dim);
    }
    if (vector.length !== dim) {
      throw new ServiceError(
        expectedDim !== null
          ? `${where} returned a ${vector.length}-d embedding where ${dim}-d was expected (the model's dimension, or --embed-dimensions)`
          : `${where} returned embeddings of ${dim} and ${vector.length} dimensions in one response`,
      );
    }
    const row = order[k] * dim;
    const out = data as Float32Array;
    for (let j = 0; j < dim; j++) {
      const v: unknown = vector[j];
      if (typeof v !== 'number') {
        throw new ServiceError(`${where} returned ${JSON.stringify(v) ?? String(v)} inside an embedding, not a number`);
      }
      out[row + j] = v;
      if (!Number.isFinite(out[row + j])) {
        throw new ServiceError(`${where} returned ${v}, which is not a finite float32, inside an embedding`);
      }
    }
  }
  return { data: data as Float32Array, dim };
}

/** Input position of each entry: its `index` when every entry has one (a permutation of 0..n-1), else list order. */
function entryOrder(list: unknown[], where: string): number[] {
  const indices = list.map((e) => (e as { index?: unknown } | null)?.index);
  if (indices.every((i) => i === undefined)) return list.map((_, k) => k);
  const seen = new Uint8Array(list.length);
  return indices.map((i) => {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= list.length || seen[i]) {
      throw new ServiceError(
        `${where} returned entries whose "index" values are not 0..${list.length - 1} once each (got ${JSON.stringify(i)})`,
      );
    }
    seen[i] = 1;
    return i;
  });
}
