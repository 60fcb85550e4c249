/**
 * How far training moved a representation: linear CKA against the frozen embeddings, and how separable the
 * held-out reference rows are from the target rows before and after (the C2ST domain classifier's out-of-fold
 * AUC and the exact MMD, both through src/twosample's public detectors).
 */
import type { Matrix } from '../core/matrix.js';
import { silentProgress } from '../core/progress.js';
import type { Rng } from '../core/random.js';
import { c2stDetector } from '../twosample/c2st.js';
import { mmdDetector } from '../twosample/mmd.js';
import type { SeparabilityMeasure } from './finetuneTypes.js';

/** Permutations for the MMD p-value: it is reported beside the effect, not used for a decision. */
const MMD_PERMUTATIONS = 200;

export async function separability(reference: Matrix, target: Matrix, rng: Rng): Promise<SeparabilityMeasure> {
  const c2st = await c2stDetector.run({ reference, target, rng: rng.fork('c2st'), progress: silentProgress });
  const mmd = await mmdDetector.run(
    { reference, target, rng: rng.fork('mmd'), progress: silentProgress },
    { permutations: MMD_PERMUTATIONS },
  );
  return { domainAuc: c2st.statistic, mmd: mmd.effectSize, mmdPValue: mmd.pValue ?? 1 };
}
