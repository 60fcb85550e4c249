/**
 * Running a transformers model: an onnxruntime session of our own on the ONNX file @huggingface/transformers
 * resolved (a local folder's onnx/model.onnx, or the library's download cache for a hub id), created with the
 * session options the library would give it, fed our int64 tensors and read straight from its output tensor; or,
 * for a model whose graph takes other inputs (position ids, past key values: decoders the library drives itself) or
 * whose file we cannot find, the library's own model call.
 *
 * The library's call on an encoder picks the session's inputs from the tensors given and runs the same session
 * (modeling_utils encoder_forward → sessionRun), so on the same file with the same options and feeds the direct
 * run's outputs are bit for bit the library's (test/embed/modelSession.test.ts); what it saves is the library's
 * tensor wrapping, its input checks and the copy of every output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AutoModel, env, type PreTrainedModel, Tensor } from '@huggingface/transformers';
import ort from 'onnxruntime-node';
import type { TokenStates } from './hiddenPooling.js';
import type { ModelSource } from './modelSource.js';

/** Inputs a direct session can be fed: what encodeTexts builds. */
export const DIRECT_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
/** Outputs holding token states, by preference (the library's feature-extraction order). */
const STATE_OUTPUTS = ['last_hidden_state', 'token_embeddings'];

export interface ModelInputs {
  /** int64 [batch, tokens] tensors by input name (input_ids, attention_mask, token_type_ids when the tokenizer has them). */
  inputs: Record<string, ort.Tensor>;
  batch: number;
  tokens: number;
}

export interface ModelRunner {
  /** 'session': our onnxruntime session on the model file; 'library': @huggingface/transformers' model call. */
  readonly kind: 'session' | 'library';
  /** The ONNX file the session runs (null where the library runs a file we did not locate). */
  readonly onnxFile: string | null;
  /** Token states [batch, tokens, hidden] straight from the output tensor (no copy). */
  run(encoded: ModelInputs, hidden: number): Promise<TokenStates>;
  dispose(): Promise<void>;
}

export interface LoadModelOptions {
  intraOpThreads?: number;
  /** Model config (config.json as the library parsed it). */
  config: Record<string, unknown>;
  /** 'library' forces the library's model call (the before/after comparison of bench/transformerOverhead.ts). */
  engine?: 'auto' | 'library';
}

/**
 * The model of `source` as a runner: a direct session where the file is found and the graph takes only the inputs
 * encodeTexts builds; the library's model otherwise. Library errors (a hub id that cannot be fetched, a folder whose
 * model the library cannot read) propagate to the caller, which words them.
 */
export async function loadModelRunner(source: ModelSource, options: LoadModelOptions): Promise<ModelRunner> {
  const sessionOptions = librarySessionOptions(options);
  const libraryLoad = () =>
    AutoModel.from_pretrained(source.kind === 'local' ? source.dir : source.id, {
      local_files_only: source.kind === 'local',
      dtype: 'fp32',
      device: 'cpu',
      session_options: options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : undefined,
    });
  if (options.engine === 'library' || sessionOptions === null) return libraryRunner(await libraryLoad());

  let onnxFile = resolvedOnnxFile(source);
  if (onnxFile === null) {
    // Not downloaded yet: the library fetches the files into its cache (and builds a session we then drop).
    const model = await libraryLoad();
    onnxFile = resolvedOnnxFile(source);
    if (onnxFile === null) return libraryRunner(model);
    await model.dispose();
  }
  const session = await ort.InferenceSession.create(onnxFile, sessionOptions);
  const direct = new Set<string>(DIRECT_INPUTS);
  if (!session.inputNames.every((name) => direct.has(name))) {
    await session.release();
    return libraryRunner(await libraryLoad());
  }
  return sessionRunner(session, onnxFile);
}

/**
 * The options @huggingface/transformers 4 creates the session with for dtype fp32 on the CPU (models/session.js
 * getSession + backends/onnx.js createInferenceSession): its log level, the CPU provider, our thread count, and
 * free_dimension_overrides from config.json's transformers.js_config. null when that config asks for more than
 * this mirrors (per-device settings), so the library loads the model itself.
 */
function librarySessionOptions(options: LoadModelOptions): ort.InferenceSession.SessionOptions | null {
  const custom = options.config['transformers.js_config'];
  const known = ['dtype', 'device', 'free_dimension_overrides', 'use_external_data_format'];
  let overrides: Record<string, number> | undefined;
  if (custom !== undefined) {
    if (typeof custom !== 'object' || custom === null) return null;
    const record = custom as Record<string, unknown>;
    if (!Object.keys(record).every((k) => known.includes(k))) return null;
    overrides = record.free_dimension_overrides as Record<string, number> | undefined;
  }
  const result: ort.InferenceSession.SessionOptions = {
    logSeverityLevel: onnxLogSeverity(),
    executionProviders: ['cpu'],
  };
  if (options.intraOpThreads) result.intraOpNumThreads = options.intraOpThreads;
  if (overrides) result.freeDimensionOverrides = overrides;
  return result;
}

/** The library's mapping of its log level to ONNX Runtime's severity (backends/onnx.js getOnnxLogSeverityLevel). */
function onnxLogSeverity(): 0 | 2 | 3 | 4 {
  const level = (env as unknown as { logLevel?: number }).logLevel ?? 30;
  if (level <= 10) return 0;
  if (level <= 20) return 2;
  if (level <= 40) return 3;
  return 4;
}

/**
 * Where the library reads onnx/model.onnx (fp32, subfolder onnx, revision main): the folder itself for a local
 * model; for a hub id its local-model path when one exists, else its file cache (<env.cacheDir>/<id>/onnx/…, the
 * layout of utils/hub.js buildResourcePaths and FileCache). null when not there.
 */
export function resolvedOnnxFile(source: ModelSource): string | null {
  if (source.kind === 'local') return fs.existsSync(source.onnxFile) ? source.onnxFile : null;
  const name = path.join('onnx', 'model.onnx');
  const candidates: string[] = [];
  if (env.allowLocalModels && env.localModelPath) candidates.push(path.join(env.localModelPath, source.id, name));
  if (env.cacheDir) candidates.push(path.join(env.cacheDir, source.id, name));
  return candidates.find((file) => fs.existsSync(file) && fs.statSync(file).isFile()) ?? null;
}

function statesOutput(outputNames: readonly string[]): string | null {
  return STATE_OUTPUTS.find((name) => outputNames.includes(name)) ?? null;
}

function checkedStates(
  tensor: { dims: readonly number[]; data: unknown } | undefined,
  encoded: ModelInputs,
  hidden: number,
): TokenStates {
  if (!tensor) throw new Error('model returned no token states');
  const [batch, tokens, width] = tensor.dims;
  if (tensor.dims.length !== 3 || batch !== encoded.batch || tokens !== encoded.tokens || width !== hidden) {
    throw new Error(
      `model returned token states ${tensor.dims.join('x')} for input ${encoded.batch}x${encoded.tokens}`,
    );
  }
  if (!(tensor.data instanceof Float32Array)) throw new Error('model returned token states that are not float32');
  return { data: tensor.data, batch, tokens, hidden };
}

function sessionRunner(session: ort.InferenceSession, onnxFile: string): ModelRunner {
  const wanted = statesOutput(session.outputNames);
  return {
    kind: 'session',
    onnxFile,
    async run(encoded, hidden) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const name of session.inputNames) {
        const given = encoded.inputs[name];
        // As the library does for a model that takes token_type_ids from a tokenizer that gives none: all zeros.
        feeds[name] =
          given ??
          new ort.Tensor('int64', new BigInt64Array(encoded.batch * encoded.tokens), [encoded.batch, encoded.tokens]);
      }
      const outputs = wanted ? await session.run(feeds, [wanted]) : await session.run(feeds);
      const tensor = wanted ? outputs[wanted] : Object.values(outputs).find((t) => t.dims.length === 3);
      return checkedStates(tensor, encoded, hidden);
    },
    async dispose() {
      await session.release();
    },
  };
}

function libraryRunner(model: PreTrainedModel): ModelRunner {
  return {
    kind: 'library',
    onnxFile: null,
    async run(encoded, hidden) {
      const inputs: Record<string, Tensor> = {};
      for (const [name, tensor] of Object.entries(encoded.inputs)) inputs[name] = new Tensor(tensor);
      const outputs = (await model(inputs)) as Record<string, Tensor>;
      const name = statesOutput(Object.keys(outputs));
      const tensor = name ? outputs[name] : Object.values(outputs).find((t) => t.dims.length === 3);
      return checkedStates(tensor, encoded, hidden);
    },
    async dispose() {
      await model.dispose();
    },
  };
}
