/**
 * The light half of the embedding registry (registry.ts): each model backend's kind, how its spec is written and
 * what it is, without the backends themselves, so --model's help and the CLI's checks read them at no cost.
 * registry.ts adds each kind's `create`.
 */
export interface ModelKind {
  kind: string;
  /** How to write the spec, for help and messages ("transformers:<hugging face id or local folder>"). */
  usage: string;
  /** One line for docs and help. */
  summary: string;
  /**
   * Whether vectors go through the embedding cache. Word vectors are pooled faster than the cache can look them
   * up (measured: ~90k texts/s computed, ~50k/s through a cold cache and 12k/s at 1.6M rows), so only model
   * backends, where a text costs milliseconds, use it.
   */
  usesCache: boolean;
}

export const MODEL_KINDS = {
  wordvec: {
    kind: 'wordvec',
    usage: 'wordvec:sg100d',
    summary: 'pooled 100-d GloVe word vectors, offline (the default)',
    usesCache: false,
  },
  transformers: {
    kind: 'transformers',
    usage: 'transformers:<hub id or local folder>',
    summary: 'a Hugging Face model (ONNX) run locally on the CPU',
    usesCache: true,
  },
  openai: {
    kind: 'openai',
    usage: 'openai:<model>',
    summary:
      'an OpenAI-compatible /v1/embeddings server: OpenAI (default --embed-url), Ollama, TEI, vLLM, LM Studio; key from $OPENAI_API_KEY or --embed-key-env',
    usesCache: true,
  },
} as const satisfies Record<string, ModelKind>;

/** "wordvec:sg100d | transformers:<hub id or local folder> | openai:<model>", for --model's help. */
export function modelSpecUsage(separator = ' | '): string {
  return Object.values(MODEL_KINDS)
    .map((k) => k.usage)
    .join(separator);
}
