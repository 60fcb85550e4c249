/**
 * Loads a transformers model for embedding: @huggingface/transformers resolves and downloads the files (a local
 * folder loads offline; a hub id goes to the library's download cache under our cache dir) and parses the config and
 * the tokenizer; the text is tokenised by our fast WordPiece tokenizer where tokenizer.json is exactly of the BERT
 * shape (wordPieceTokenizer.ts; otherwise by the library's) and the model runs in an onnxruntime session of our own
 * on the same ONNX file (modelSession.ts; otherwise through the library). Both give the library's ids and states.
 */
import os from 'node:os';
import path from 'node:path';
import { AutoConfig, AutoTokenizer, env, PreTrainedTokenizer } from '@huggingface/transformers';
import ort from 'onnxruntime-node';
import { InputError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import type { TokenStates } from './hiddenPooling.js';
import { firstLine, hubLoadMessage, LOCAL_FOLDER_HINT, type ModelSource } from './modelSource.js';
import { loadModelRunner, type ModelInputs, type ModelRunner } from './modelSession.js';
import { type WordPieceTokenizer, wordPieceTokenizerFor } from './wordPieceTokenizer.js';

export interface LoadedTransformer {
  tokenizer: PreTrainedTokenizer;
  /** Our tokenizer when tokenizer.json is BERT WordPiece exactly (same ids as `tokenizer`); null: the library's. */
  fastTokenizer: WordPieceTokenizer | null;
  /** Why the fast tokenizer does not apply (null when it does). */
  fastTokenizerRefusal: string | null;
  /** The model: a direct onnxruntime session on its file, or the library's model call. */
  model: ModelRunner;
  /** Positions the model was built for (config, tightened by the tokenizer's limit), or null if unstated. */
  tokenLimit: number | null;
  hiddenSize: number;
  modelType: string;
  /** Whether the tokenizer gives token_type_ids (BERT-style models take them as an input). */
  usesTokenTypeIds: boolean;
}

export interface EncodedBatch extends ModelInputs {
  /** batch x tokens, 1 = real token. */
  mask: Uint8Array;
  /** Per text: cut at maxLength. */
  truncated: boolean[];
  /** Per text: tokens fed to the model (special tokens included). */
  lengths: number[];
}

export interface LoadTransformerOptions {
  modelCacheDir: string;
  progress?: Progress;
  intraOpThreads?: number;
  /**
   * 'library' tokenises and runs the model through @huggingface/transformers alone (the path this module speeds up;
   * bench/transformerOverhead.ts measures one against the other). Default 'auto'.
   */
  engine?: 'auto' | 'library';
}

/** Probe texts the fast tokenizer must encode as the library does before it is used (a guard on library changes). */
const TOKENIZER_PROBES = [
  'Hello, World! [SEP] naïve café',
  '中文 😀 \u0000\u200b x\ty',
  'unbelievably-long_words: 1,234.56%',
];

export async function loadTransformer(
  source: ModelSource,
  options: LoadTransformerOptions,
): Promise<LoadedTransformer> {
  // Absolute folder paths are joined onto localModelPath, so the filesystem root makes them resolve as given.
  env.localModelPath = path.parse(process.cwd()).root;
  env.allowLocalModels = true;
  const engine = options.engine ?? 'auto';
  let tokenizer: PreTrainedTokenizer;
  let config: Record<string, unknown>;
  let model: ModelRunner;
  if (source.kind === 'local') {
    try {
      tokenizer = await AutoTokenizer.from_pretrained(source.dir, { local_files_only: true });
      config = (await AutoConfig.from_pretrained(source.dir, { local_files_only: true })) as unknown as Record<
        string,
        unknown
      >;
      model = await loadModelRunner(source, { config, intraOpThreads: options.intraOpThreads, engine });
    } catch (error) {
      throw new InputError(`cannot load the model in ${source.dir}: ${firstLine(error)}; ${LOCAL_FOLDER_HINT}`);
    }
  } else {
    env.cacheDir = path.join(options.modelCacheDir, 'models');
    env.allowRemoteModels = true;
    options.progress?.note(`loading ${source.id} (downloaded once into ${env.cacheDir})`);
    try {
      tokenizer = await AutoTokenizer.from_pretrained(source.id);
      config = (await AutoConfig.from_pretrained(source.id)) as unknown as Record<string, unknown>;
      model = await loadModelRunner(source, { config, intraOpThreads: options.intraOpThreads, engine });
    } catch (error) {
      throw new InputError(hubLoadMessage(source.id, error));
    }
  }
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
  const probe = tokenizer(['a'], { padding: true }) as unknown as Record<string, unknown>;
  const fast =
    engine === 'library' ? { tokenizer: null, reason: 'library engine asked for' } : fastTokenizerOf(tokenizer);
  return {
    tokenizer,
    fastTokenizer: fast.tokenizer,
    fastTokenizerRefusal: fast.tokenizer ? null : fast.reason,
    model,
    usesTokenTypeIds: 'token_type_ids' in probe,
    tokenLimit: limits.length > 0 ? Math.min(...limits) : null,
    hiddenSize,
    modelType: typeof config.model_type === 'string' ? config.model_type : 'transformer',
  };
}

/**
 * The fast tokenizer for the library's tokenizer: built from the very tokenizer.json / tokenizer_config.json the
 * library parsed, only when the library's encode is its plain one (no tokenizer class overrides it) and the fast
 * one agrees with it on the probe texts.
 */
function fastTokenizerOf(
  tokenizer: PreTrainedTokenizer,
): { tokenizer: WordPieceTokenizer } | { tokenizer: null; reason: string } {
  const internals = tokenizer as unknown as { _tokenizerJSON?: unknown; _tokenizerConfig?: unknown };
  if (tokenizer.encode !== PreTrainedTokenizer.prototype.encode) {
    return { tokenizer: null, reason: 'the tokenizer class has its own encode' };
  }
  const built = wordPieceTokenizerFor(internals._tokenizerJSON, internals._tokenizerConfig);
  if (!built.tokenizer) return built;
  for (const text of TOKENIZER_PROBES) {
    const fast = [...built.tokenizer.prefix, ...built.tokenizer.encodeContent(text), ...built.tokenizer.suffix];
    if (fast.join(',') !== tokenizer.encode(text).join(',')) {
      return { tokenizer: null, reason: 'the fast tokenizer disagreed with the library on a probe text' };
    }
  }
  return built;
}

/**
 * Tokenise each text, truncate it to maxLength keeping the special tokens (as Hugging Face's Python tokenizers do:
 * transformers.js cuts the finished sequence, which drops BERT's final [SEP]), then pad to the longest text on the
 * tokenizer's padding side and build the model inputs.
 */
export function encodeTexts(loaded: LoadedTransformer, texts: string[], maxLength: number): EncodedBatch {
  const { tokenizer, fastTokenizer: fast } = loaded;
  // Each text's ids as consecutive parts (the fast path's [CLS], content, [SEP] without joining them).
  const sequences: (readonly number[])[][] = [];
  const lengths: number[] = [];
  const truncated: boolean[] = [];
  for (const text of texts) {
    if (fast) {
      const content = fast.encodeContent(text);
      const length = fast.prefix.length + content.length + fast.suffix.length;
      if (length <= maxLength) {
        sequences.push([fast.prefix, content, fast.suffix]);
        lengths.push(length);
        truncated.push(false);
      } else {
        const cut = truncateKeepingSpecials([...fast.prefix, ...content, ...fast.suffix], content, maxLength);
        sequences.push([cut]);
        lengths.push(cut.length);
        truncated.push(true);
      }
      continue;
    }
    const full = tokenizer.encode(text);
    const seq =
      full.length <= maxLength
        ? full
        : truncateKeepingSpecials(full, tokenizer.encode(text, { add_special_tokens: false }), maxLength);
    sequences.push([seq]);
    lengths.push(seq.length);
    truncated.push(full.length > maxLength);
  }
  const batch = texts.length;
  let tokens = 1;
  for (const length of lengths) if (length > tokens) tokens = length;
  const padId = tokenizer.pad_token_id ?? tokenizer.eos_token_id ?? 0;
  const padLeft = tokenizer.padding_side === 'left';
  const n = batch * tokens;
  const ids = new BigInt64Array(n);
  const maskValues = new BigInt64Array(n);
  const mask = new Uint8Array(n);
  // int64 values below 2^31 written as their low 32-bit word (little-endian), without a BigInt per token.
  const idWords = LITTLE_ENDIAN ? new Int32Array(ids.buffer) : null;
  const maskWords = LITTLE_ENDIAN ? new Int32Array(maskValues.buffer) : null;
  if (padId !== 0) ids.fill(BigInt(padId));
  for (let b = 0; b < batch; b++) {
    let at = b * tokens + (padLeft ? tokens - lengths[b] : 0);
    mask.fill(1, at, at + lengths[b]);
    for (const part of sequences[b]) {
      for (let k = 0; k < part.length; k++, at++) {
        const id = part[k];
        if (idWords && maskWords && id >= 0 && id < 2 ** 31) {
          idWords[2 * at] = id;
          idWords[2 * at + 1] = 0;
          maskWords[2 * at] = 1;
        } else {
          ids[at] = BigInt(id);
          maskValues[at] = 1n;
        }
      }
    }
  }
  const inputs: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', ids, [batch, tokens]),
    attention_mask: new ort.Tensor('int64', maskValues, [batch, tokens]),
  };
  // Single sequences are all segment 0.
  if (loaded.usesTokenTypeIds) inputs.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n), [batch, tokens]);
  return { inputs, mask, batch, tokens, truncated, lengths };
}

const LITTLE_ENDIAN = os.endianness() === 'LE';

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

/**
 * Run the model; returns its last hidden states (batch x tokens x hidden), a view of the output tensor's own data
 * (no copy: pool it, then let it go).
 */
export async function runTokenStates(loaded: LoadedTransformer, encoded: EncodedBatch): Promise<TokenStates> {
  return loaded.model.run(encoded, loaded.hiddenSize);
}
