/**
 * Pooling token states [batch, tokens, hidden] into one vector per text, always through the attention mask so
 * padding never leaks in (ANCHORS.md failure 9):
 *   mean  average over tokens with mask 1
 *   cls   the first token with mask 1 (BERT's [CLS]; found from the mask so left padding works too)
 *   last  the last token with mask 1 (GPT-style models), found from the mask so left or right padding both work
 *   max   element-wise maximum over tokens with mask 1
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Pooling } from '../embedder.js';

export const TRANSFORMER_POOLINGS: readonly Pooling[] = ['mean', 'cls', 'last', 'max'];

export interface TokenStates {
  /** Row-major batch x tokens x hidden. */
  data: Float32Array;
  batch: number;
  tokens: number;
  hidden: number;
}

/** mask[b * tokens + t] is 1 for a real token, 0 for padding. */
export function poolTokenStates(states: TokenStates, mask: ArrayLike<number>, pooling: Pooling): Matrix {
  const { data, batch, tokens, hidden } = states;
  if (data.length !== batch * tokens * hidden)
    throw new RangeError(`token states have ${data.length} values, expected ${batch}x${tokens}x${hidden}`);
  if (mask.length !== batch * tokens)
    throw new RangeError(`attention mask has ${mask.length} values, expected ${batch}x${tokens}`);
  const out = createMatrix(batch, hidden);
  const acc = new Float64Array(hidden);
  for (let b = 0; b < batch; b++) {
    const row = out.data.subarray(b * hidden, (b + 1) * hidden);
    const at = (t: number) => (b * tokens + t) * hidden;
    const real = (t: number) => mask[b * tokens + t] !== 0;
    switch (pooling) {
      case 'mean': {
        acc.fill(0);
        let n = 0;
        for (let t = 0; t < tokens; t++) {
          if (!real(t)) continue;
          n++;
          const base = at(t);
          for (let h = 0; h < hidden; h++) acc[h] += data[base + h];
        }
        if (n > 0) for (let h = 0; h < hidden; h++) row[h] = acc[h] / n;
        break;
      }
      case 'cls': {
        let first = -1;
        for (let t = 0; t < tokens; t++)
          if (real(t)) {
            first = t;
            break;
          }
        if (first >= 0) row.set(data.subarray(at(first), at(first) + hidden));
        break;
      }
      case 'last': {
        let last = -1;
        for (let t = tokens - 1; t >= 0; t--)
          if (real(t)) {
            last = t;
            break;
          }
        if (last >= 0) row.set(data.subarray(at(last), at(last) + hidden));
        break;
      }
      case 'max': {
        row.fill(-Infinity);
        let any = false;
        for (let t = 0; t < tokens; t++) {
          if (!real(t)) continue;
          any = true;
          const base = at(t);
          for (let h = 0; h < hidden; h++) if (data[base + h] > row[h]) row[h] = data[base + h];
        }
        if (!any) row.fill(0);
        break;
      }
      default:
        throw new RangeError(`pooling "${pooling}" does not apply to transformer token states`);
    }
  }
  return out;
}
