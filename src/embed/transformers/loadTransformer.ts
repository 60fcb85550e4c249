/**
 * Loads a tokenizer + ONNX model pair through @huggingface/transformers (fp32, CPU) and runs it to token states.
 * Local folders load offline; hub ids use the library's download cache under our cache dir.
 */
import path from 'node:path';
import {
  AutoModel,
  AutoTokenizer,
  env,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { InputError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import type { TokenStates } from './hiddenPooling.js';
import { LOCAL_FOLDER_HINT, type ModelSource } from './modelSource.js';

export interface LoadedTransformer {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  /** Positions the model was built for (config, tightened by the tokenizer's limit), or null if unstated. */
  tokenLimit: number | null;
  hiddenSize: number;
  modelType: string;
  /** Whether the tokenizer gives token_type_ids (BERT-style models take them as an input). */
  usesTokenTypeIds: boolean;
}

export interface EncodedBatch {
  inputs: Record<string, Tensor>;
  /** batch x tokens, 1 = real token. */
  mask: number[];
  batch: number;
  tokens: number;
  /** Per text: cut at maxLength. */
  truncated: boolean[];
  /** Per text: tokens fed to the model (special tokens included). */
  lengths: number[];
}

export async function loadTransformer(
  source: ModelSource,
  options: { modelCacheDir: string; progress?: Progress; intraOpThreads?: number },
): Promise<LoadedTransformer> {
  // ONNX Runtime's own thread pool; parallel embedding gives each worker's session its share of the cores.
  const session_options = options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : undefined;
  // Absolute folder paths are joined onto localModelPath, so the filesystem root makes them resolve as given.
  env.localModelPath = path.parse(process.cwd()).root;
  env.allowLocalModels = true;
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  if (source.kind === 'local') {
    try {
      tokenizer = await AutoTokenizer.from_pretrained(source.dir, { local_files_only: true });
      model = await AutoModel.from_pretrained(source.dir, {
        local_files_only: true,
        dtype: 'fp32',
        device: 'cpu',
        session_options,
      });
    } catch (error) {
      throw new InputError(`cannot load the model in ${source.dir}: ${firstLine(error)}; ${LOCAL_FOLDER_HINT}`);
    }
  } else {
    env.cacheDir = path.join(options.modelCacheDir, 'models');
    env.allowRemoteModels = true;
    options.progress?.note(`loading ${source.id} (downloaded once into ${env.cacheDir})`);
    try {
      tokenizer = await AutoTokenizer.from_pretrained(source.id);
      model = await AutoModel.from_pretrained(source.id, { dtype: 'fp32', device: 'cpu', session_options });
    } catch (error) {
      throw new InputError(
        `cannot load "${source.id}" from the Hugging Face Hub (${firstLine(error)}); check the id and the network, or ${LOCAL_FOLDER_HINT}`,
      );
    }
  }
  const config = model.config as unknown as Record<string, unknown>;
  const hiddenSize = config.hidden_size ?? config.n_embd ?? config.d_model ?? config.dim;
  if (typeof hiddenSize !== 'number' || !(hiddenSize > 0)) {
    await model.dispose();
    throw new InputError('model config.json has no hidden_size (or n_embd / d_model); cannot size the embeddings');
  }
  const limits = [
    config.max_position_embeddings,
    config.n_positions,
    config.max_seq_len,
    tokenizer.model_max_length,
  ].filter((v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 1e6);
  const probe = tokenizer(['a'], { padding: true }) as unknown as Record<string, Tensor>;
  return {
    tokenizer,
    model,
    usesTokenTypeIds: 'token_type_ids' in probe,
    tokenLimit: limits.length > 0 ? Math.min(...limits) : null,
    hiddenSize,
    modelType: typeof config.model_type === 'string' ? config.model_type : 'transformer',
  };
}

/**
 * Tokenise each text, truncate it to maxLength keeping the special tokens (as Hugging Face's Python tokenizers do:
 * transformers.js cuts the finished sequence, which drops BERT's final [SEP]), then pad to the longest text on the
 * tokenizer's padding side and build the model inputs.
 */
export function encodeTexts(loaded: LoadedTransformer, texts: string[], maxLength: number): EncodedBatch {
  const { tokenizer } = loaded;
  const sequences: number[][] = [];
  const truncated: boolean[] = [];
  for (const text of texts) {
    const full = tokenizer.encode(text);
    if (full.length <= maxLength) {
      sequences.push(full);
      truncated.push(false);
    } else {
      sequences.push(truncateKeepingSpecials(full, tokenizer.encode(text, { add_special_tokens: false }), maxLength));
      truncated.push(true);
    }
  }
  const batch = texts.length;
  const tokens = Math.max(1, ...sequences.map((s) => s.length));
  const padId = tokenizer.pad_token_id ?? tokenizer.eos_token_id ?? 0;
  const padLeft = tokenizer.padding_side === 'left';
  const ids = new BigInt64Array(batch * tokens).fill(BigInt(padId));
  const maskValues = new BigInt64Array(batch * tokens);
  const mask = new Array<number>(batch * tokens).fill(0);
  sequences.forEach((seq, b) => {
    const offset = b * tokens + (padLeft ? tokens - seq.length : 0);
    seq.forEach((id, k) => {
      ids[offset + k] = BigInt(id);
      maskValues[offset + k] = 1n;
      mask[offset + k] = 1;
    });
  });
  const inputs: Record<string, Tensor> = {
    input_ids: new Tensor('int64', ids, [batch, tokens]),
    attention_mask: new Tensor('int64', maskValues, [batch, tokens]),
  };
  // Single sequences are all segment 0.
  if (loaded.usesTokenTypeIds)
    inputs.token_type_ids = new Tensor('int64', new BigInt64Array(batch * tokens), [batch, tokens]);
  return { inputs, mask, batch, tokens, truncated, lengths: sequences.map((s) => s.length) };
}

/**
 * Cut `content` (the text's tokens without special tokens) so that, wrapped in the same special tokens as `full`,
 * it fits maxLength. Assumes the usual template prefix + content + suffix; if the content is not found as one
 * block in `full`, falls back to cutting `full`.
 */
export function truncateKeepingSpecials(full: number[], content: number[], maxLength: number): number[] {
  const nSpecial = full.length - content.length;
  const start = content.length === 0 ? -1 : findBlock(full, content);
  if (start < 0 || nSpecial < 0 || nSpecial >= maxLength) return full.slice(0, maxLength);
  return [...full.slice(0, start), ...content.slice(0, maxLength - nSpecial), ...full.slice(start + content.length)];
}

function findBlock(haystack: number[], block: number[]): number {
  outer: for (let i = 0; i + block.length <= haystack.length; i++) {
    for (let k = 0; k < block.length; k++) if (haystack[i + k] !== block[k]) continue outer;
    return i;
  }
  return -1;
}

/** Run the model; returns its last hidden states (batch x tokens x hidden). */
export async function runTokenStates(loaded: LoadedTransformer, encoded: EncodedBatch): Promise<TokenStates> {
  const outputs = (await loaded.model(encoded.inputs)) as Record<string, Tensor>;
  try {
    const states =
      outputs.last_hidden_state ?? outputs.token_embeddings ?? Object.values(outputs).find((t) => t.dims.length === 3);
    if (!states) throw new Error(`model returned no token states (outputs: ${Object.keys(outputs).join(', ')})`);
    const [batch, tokens, hidden] = states.dims;
    if (batch !== encoded.batch || tokens !== encoded.tokens || hidden !== loaded.hiddenSize) {
      throw new Error(
        `model returned token states ${states.dims.join('x')} for input ${encoded.batch}x${encoded.tokens}`,
      );
    }
    // Copy out of the ONNX tensor so it can be released now.
    return { data: new Float32Array(states.data as Float32Array), batch, tokens, hidden };
  } finally {
    for (const t of Object.values(outputs)) t.dispose?.();
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
