/**
 * transformers:<hub id | local folder> — a Hugging Face encoder (or GPT-style decoder) run through
 * @huggingface/transformers on onnxruntime-node (fp32, CPU). AutoTokenizer + AutoModel are used directly (not the
 * pipeline) so truncation is explicit and counted, and pooling reads the attention mask.
 */
import path from 'node:path';
import { AutoModel, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { InputError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import type { Pooling } from '../embedder.js';
import type { BatchOutput, EmbeddingBackend, TextStats } from '../backend.js';
import { poolTokenStates, TRANSFORMER_POOLINGS } from './hiddenPooling.js';
import { LOCAL_FOLDER_HINT, resolveModelSource, sourceIdentity, type ModelSource } from './modelSource.js';

/** Longest token limit used by default (and the usual trained limit of BERT-style models). */
export const DEFAULT_MAX_LENGTH_CAP = 512;
/**
 * Texts are cut to this many characters per allowed token before tokenising, so a 10 MB text costs no more than
 * a long one. A token covers at most a few dozen characters in practice, so the cut never changes what the
 * model sees except for text that is dropped anyway; the text is counted as truncated either way.
 */
export const CHARS_PER_TOKEN_CUT = 32;

export interface TransformersBackendOptions {
  id: string;
  pooling: Pooling;
  normalize: boolean;
  maxLength?: number;
  /** Our cache dir: hub downloads go to <modelCacheDir>/models. */
  modelCacheDir: string;
  progress?: Progress;
}

export async function createTransformersBackend(name: string, options: TransformersBackendOptions): Promise<EmbeddingBackend> {
  if (!TRANSFORMER_POOLINGS.includes(options.pooling)) {
    throw new InputError(`pooling "${options.pooling}" does not apply to ${options.id}; use one of: ${TRANSFORMER_POOLINGS.join(', ')}`);
  }
  const source = resolveModelSource(name);
  const { tokenizer, model } = await loadModel(source, options);

  const limit = modelTokenLimit(model, tokenizer);
  const maxLength = options.maxLength ?? Math.min(limit ?? DEFAULT_MAX_LENGTH_CAP, DEFAULT_MAX_LENGTH_CAP);
  if (limit !== null && maxLength > limit) {
    throw new InputError(`--max-length ${maxLength} exceeds the ${limit} positions ${options.id} was built for; use at most ${limit}`);
  }
  const hidden = hiddenSize(model);
  const where = source.kind === 'local' ? `local folder ${source.dir}` : `Hugging Face Hub model ${source.id}`;
  const modelType = String((model.config as { model_type?: unknown }).model_type ?? 'transformer');
  const charCut = maxLength * CHARS_PER_TOKEN_CUT;

  return {
    info: {
      id: options.id,
      backend: 'transformers',
      dim: hidden,
      pooling: options.pooling,
      normalize: options.normalize,
      maxTokens: maxLength,
      description: `${modelType} model (${where}) run with ONNX Runtime on the CPU in fp32; `
        + `${describePooling(options.pooling)} of the last hidden states, texts truncated at ${maxLength} tokens`
        + `${options.normalize ? ', L2-normalised' : ''}.`,
    },
    cacheIdentity: `transformers|${sourceIdentity(source)}`,
    countsOov: false,
    async embedBatch(texts: string[]): Promise<BatchOutput> {
      const stats: TextStats[] = [];
      const cut = texts.map((t) => (t.length > charCut ? t.slice(0, charCut) : t));
      for (let i = 0; i < texts.length; i++) {
        const nTokens = tokenizer.encode(cut[i]).length;
        stats.push({ truncated: texts[i].length > charCut || nTokens > maxLength, nKnown: Math.min(nTokens, maxLength), nOov: 0 });
      }
      const encoded = tokenizer(cut, { padding: true, truncation: true, max_length: maxLength });
      const inputIds = encoded.input_ids as Tensor;
      const attention = encoded.attention_mask as Tensor;
      const outputs = (await model(encoded)) as Record<string, Tensor>;
      const states = outputs.last_hidden_state ?? outputs.token_embeddings ?? Object.values(outputs).find((t) => t.dims.length === 3);
      if (!states) throw new Error(`${options.id} returned no token states (outputs: ${Object.keys(outputs).join(', ')})`);
      const [batch, tokens, width] = states.dims;
      if (batch !== texts.length || tokens !== inputIds.dims[1] || width !== hidden) {
        throw new Error(`${options.id} returned token states ${states.dims.join('x')} for input ${inputIds.dims.join('x')}`);
      }
      const mask = Array.from(attention.data as BigInt64Array, Number);
      const vectors = poolTokenStates({ data: states.data as Float32Array, batch, tokens, hidden }, mask, options.pooling);
      for (const t of Object.values(outputs)) t.dispose?.();
      return { vectors, stats };
    },
    async dispose() {
      await model.dispose();
    },
  };
}

async function loadModel(source: ModelSource, options: TransformersBackendOptions): Promise<{ tokenizer: PreTrainedTokenizer; model: PreTrainedModel }> {
  // Absolute folder paths are joined onto localModelPath, so the root makes them resolve as given.
  env.localModelPath = path.parse(process.cwd()).root;
  env.allowLocalModels = true;
  if (source.kind === 'local') {
    const load = { local_files_only: true } as const;
    try {
      const tokenizer = await AutoTokenizer.from_pretrained(source.dir, load);
      const model = await AutoModel.from_pretrained(source.dir, { ...load, dtype: 'fp32', device: 'cpu' });
      return { tokenizer, model };
    } catch (error) {
      throw new InputError(`cannot load the model in ${source.dir}: ${firstLine(error)}; ${LOCAL_FOLDER_HINT}`);
    }
  }
  env.cacheDir = path.join(options.modelCacheDir, 'models');
  env.allowRemoteModels = true;
  try {
    options.progress?.note(`loading ${source.id} (downloaded once into ${env.cacheDir})`);
    const tokenizer = await AutoTokenizer.from_pretrained(source.id);
    const model = await AutoModel.from_pretrained(source.id, { dtype: 'fp32', device: 'cpu' });
    return { tokenizer, model };
  } catch (error) {
    throw new InputError(`cannot load "${source.id}" from the Hugging Face Hub (${firstLine(error)}); check the id and your network, or ${LOCAL_FOLDER_HINT}`);
  }
}

/** The positions the model was built for (config), tightened by the tokenizer's stated limit when sensible. */
function modelTokenLimit(model: PreTrainedModel, tokenizer: PreTrainedTokenizer): number | null {
  const config = model.config as unknown as Record<string, unknown>;
  const candidates = [config.max_position_embeddings, config.n_positions, config.max_seq_len, tokenizer.model_max_length];
  const valid = candidates.filter((v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 1e6);
  return valid.length > 0 ? Math.min(...valid) : null;
}

function hiddenSize(model: PreTrainedModel): number {
  const config = model.config as unknown as Record<string, unknown>;
  const size = config.hidden_size ?? config.n_embd ?? config.d_model ?? config.dim;
  if (typeof size !== 'number' || !(size > 0)) throw new InputError(`model config has no hidden_size (or n_embd / d_model); cannot size the embeddings`);
  return size;
}

function describePooling(pooling: Pooling): string {
  switch (pooling) {
    case 'mean': return 'attention-mask-aware mean';
    case 'cls': return 'first-token ([CLS]) state';
    case 'last': return 'last non-padding token state';
    case 'max': return 'attention-mask-aware element-wise max';
    default: return pooling;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
