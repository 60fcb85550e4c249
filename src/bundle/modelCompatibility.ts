/**
 * Is a bundle's model the one a command asks for or runs? Three checks, each a one-line InputError naming the
 * bundle and what to do:
 * - against the options the user named (check --model/--pooling/--max-length/--normalize): same spec and options;
 * - against the embedder the check created: same backend, dimension, resolved pooling, normalisation, token limit;
 * - against the model's answers: FINGERPRINT_TEXTS embedded again must give the stored vectors (cosine ≥
 *   FINGERPRINT_MIN_COSINE each), so a model changed under the same name (new weights in a folder, another table
 *   version, a server serving another model) is refused instead of compared against vectors it did not make.
 */
import { InputError } from '../core/errors.js';
import { rowView, type Matrix } from '../core/matrix.js';
import type { EmbedderInfo, Pooling } from '../embed/embedder.js';
import type { BundleModel } from './referenceBundle.js';

/** The model options a user named explicitly (absent fields: not named, so anything goes). */
export interface ModelExpectation {
  model?: string;
  pooling?: Exclude<Pooling, 'precomputed'>;
  maxLength?: number;
  normalize?: boolean;
}

/** Fixed texts whose vectors identify a model's behaviour (short, plain, in every vocabulary). */
export const FINGERPRINT_TEXTS = [
  'The quick brown fox jumps over the lazy dog.',
  'Please send the report to the team before the meeting on Monday.',
  'The weather was cold and the river was high after the rain.',
];
/** Same weights give cosine 1 up to float noise (threads, batch padding, a server's rounding): 1e-3 is generous. */
export const FINGERPRINT_MIN_COSINE = 0.999;

export function describeModel(model: BundleModel): string {
  const parts = [
    `pooling ${model.info.pooling}`,
    `max length ${model.info.maxTokens ?? 'none'}`,
    model.info.normalize ? 'normalised' : 'not normalised',
    `${model.info.dim} dimensions`,
  ];
  return `${model.spec} (${parts.join(', ')})`;
}

export function assertModelMatches(file: string, model: BundleModel, expect: ModelExpectation): void {
  const mismatches: string[] = [];
  if (expect.model !== undefined && expect.model.trim() !== model.spec) {
    mismatches.push(`model ${model.spec}, not ${expect.model.trim()}`);
  }
  if (expect.pooling !== undefined && expect.pooling !== model.info.pooling) {
    mismatches.push(`pooling ${model.info.pooling}, not ${expect.pooling}`);
  }
  if (expect.maxLength !== undefined && expect.maxLength !== (model.maxLength ?? model.info.maxTokens)) {
    mismatches.push(`max length ${model.maxLength ?? model.info.maxTokens ?? 'none'}, not ${expect.maxLength}`);
  }
  if (expect.normalize !== undefined && expect.normalize !== model.normalize) {
    mismatches.push(model.normalize ? 'normalised embeddings, not raw ones' : 'raw embeddings, not normalised ones');
  }
  if (mismatches.length > 0) {
    throw new InputError(
      `bundle ${file} was built with ${mismatches.join(', ')}: leave the model options out (check embeds the target with the bundle's model, ${describeModel(model)}) or rebuild the bundle with \`shiftlens reference build\` and the model you want`,
    );
  }
}

/** The embedder a check created reports the bundle's model. */
export function assertEmbedderMatches(file: string, model: BundleModel, info: EmbedderInfo): void {
  const want = model.info;
  const diffs: string[] = [];
  if (info.backend !== want.backend) diffs.push(`backend ${info.backend} instead of ${want.backend}`);
  if (info.dim !== want.dim) diffs.push(`${info.dim} dimensions instead of ${want.dim}`);
  if (info.pooling !== want.pooling) diffs.push(`pooling ${info.pooling} instead of ${want.pooling}`);
  if (info.normalize !== want.normalize) diffs.push(info.normalize ? 'normalised vectors' : 'raw vectors');
  if (info.maxTokens !== want.maxTokens)
    diffs.push(`max length ${info.maxTokens ?? 'none'} instead of ${want.maxTokens ?? 'none'}`);
  if (diffs.length > 0) {
    throw new InputError(
      `bundle ${file} was built with ${describeModel(model)}, but that model now loads with ${diffs.join(', ')}: rebuild the bundle with \`shiftlens reference build\`, or restore the model it was built with`,
    );
  }
}

/** The model answers FINGERPRINT_TEXTS as it did when the bundle was built. */
export function assertFingerprintMatches(file: string, model: BundleModel, now: Matrix): void {
  const stored = model.fingerprint;
  if (!stored) return;
  let worst = 1;
  for (let i = 0; i < Math.min(stored.rows, now.rows); i++)
    worst = Math.min(worst, cosine(rowView(stored, i), rowView(now, i)));
  if (stored.rows !== now.rows || stored.cols !== now.cols || !(worst >= FINGERPRINT_MIN_COSINE)) {
    throw new InputError(
      `bundle ${file} was built with ${model.spec}, but that model now embeds fixed test sentences differently (cosine ${Number.isFinite(worst) ? worst.toFixed(4) : 'undefined'} to the bundle's vectors, at least ${FINGERPRINT_MIN_COSINE} needed): the model changed under the same name; rebuild the bundle with \`shiftlens reference build\`, or restore the model it was built with`,
    );
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  // Two zero vectors (no known word in a word-vector model) are the same answer.
  if (aa === 0 && bb === 0) return 1;
  return ab / Math.sqrt(aa * bb);
}
