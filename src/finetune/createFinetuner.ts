/**
 * The backend's fine-tuning, chosen from the model spec: wordvec:sg100d → trained word vectors (embedding bag);
 * transformers:<model> → the top k encoder layers plus a head; precomputed vectors → none (nothing to tune).
 */
import { InputError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { defaultCacheDir } from '../embed/cacheDir.js';
import type { EmbedderInfo } from '../embed/embedder.js';
import { loadSg100dTable } from '../embed/wordvec/tableStore.js';
import type { Finetuner, IterativeOptions } from './method.js';
import { createWordvecFinetuner } from './wordvecFinetuner.js';

export interface FinetunerRequest {
  info: EmbedderInfo;
  referenceTexts: string[] | null;
  targetTexts: string[] | null;
  /** As the embedder resolved it: null = default cache dir. */
  cacheDir: string | null | undefined;
  iterative: Partial<IterativeOptions>;
  /** Transformers: encoder layers to fine-tune (from the top). */
  layers: number;
  /** Learning rates of the representation to try (chosen on validation loss); undefined = the backend's grid. */
  learningRates?: number[];
  progress: Progress;
}

export async function createFinetuner(request: FinetunerRequest): Promise<Finetuner | null> {
  const { info } = request;
  if (info.backend === 'precomputed' || !request.referenceTexts || !request.targetTexts) return null;
  if (info.normalize) {
    throw new InputError('fine-tuning does not take --normalize: the compared models see unnormalised embeddings');
  }
  if (info.backend === 'wordvec') {
    const table = await loadSg100dTable(request.cacheDir ?? defaultCacheDir(), request.progress);
    return createWordvecFinetuner(table, info.pooling, request.referenceTexts, request.targetTexts, {
      ...request.iterative,
      ...(request.learningRates ? { embeddingLearningRates: request.learningRates } : {}),
    });
  }
  if (info.backend === 'transformers') {
    const { createTransformerFinetuner } = await import('./transformer/transformerFinetuner.js');
    return createTransformerFinetuner({
      modelSpec: info.id,
      pooling: info.pooling,
      maxLength: info.maxTokens ?? 128,
      layers: request.layers,
      referenceTexts: request.referenceTexts,
      targetTexts: request.targetTexts,
      cacheDir: request.cacheDir ?? defaultCacheDir(),
      iterative: request.iterative,
      progress: request.progress,
      options: request.learningRates ? { learningRates: request.learningRates } : {},
    });
  }
  throw new InputError(
    `fine-tuning is not available for the ${info.backend} backend; use wordvec:sg100d or transformers:<model>`,
  );
}
