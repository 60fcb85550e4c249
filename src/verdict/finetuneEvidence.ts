/**
 * What the measured fine-tuning comparison (compare --finetune; src/finetune) adds to the verdict: the paper's
 * question answered on this data — did fine-tuning the representation gain on the reference and lose on the
 * target, relative to a linear probe on the frozen embeddings trained on the same split? Judged on the paired
 * bootstrap intervals: a gain or a loss only when the interval excludes 0.
 */
import type { FinetuneComparison, FinetuneMethodResult } from '../finetune/finetuneTypes.js';

type Direction = 'gain' | 'loss' | 'unclear';

function direction(i: { lower: number; upper: number }): Direction {
  return i.lower > 0 ? 'gain' : i.upper < 0 ? 'loss' : 'unclear';
}

function pointsOf(i: { estimate: number; lower: number; upper: number }): string {
  const f = (x: number) => (100 * x).toFixed(1);
  return `${i.estimate >= 0 ? '+' : '−'}${f(Math.abs(i.estimate))} points [${f(i.lower)}, ${f(i.upper)}]`;
}

function fineTuneMethod(comparison: FinetuneComparison): FinetuneMethodResult | null {
  return comparison.methods.find((m) => m.method === 'fineTune' && m.versusProbe !== null) ?? null;
}

/** The reason sentence: the comparison's own summary, led by what it means for the choice of method. */
export function finetuneSentences(comparison: FinetuneComparison): string[] {
  const tuned = fineTuneMethod(comparison);
  const sentences = [`Fine-tuning versus linear probe on the same reference split: ${comparison.summary}`];
  if (!tuned?.versusProbe?.target) return sentences;
  const onReference = direction(tuned.versusProbe.reference);
  const onTarget = direction(tuned.versusProbe.target);
  if (onTarget === 'loss') {
    sentences.push(
      `Fine-tuning ${onReference === 'gain' ? `gained ${pointsOf(tuned.versusProbe.reference)} on the reference and ` : ''}lost ${pointsOf(tuned.versusProbe.target)} on the target against the probe: it fitted the training distribution at the cost of generalisation (the effect Vargas et al. report).`,
    );
  } else if (onTarget === 'gain') {
    sentences.push(
      `Fine-tuning gained ${pointsOf(tuned.versusProbe.target)} on the target against the probe: on this data the tuned representation generalises better than the frozen one.`,
    );
  } else {
    sentences.push(
      `Fine-tuning and the probe are not distinguishable on the target (${pointsOf(tuned.versusProbe.target)}).`,
    );
  }
  return sentences;
}

/** A clause for the recommendation when the comparison measured a clear difference on the target; else ''. */
export function finetuneAdvice(comparison: FinetuneComparison | null | undefined): string {
  const tuned = comparison ? fineTuneMethod(comparison) : null;
  const target = tuned?.versusProbe?.target;
  if (!target) return '';
  switch (direction(target)) {
    case 'loss':
      return ' Measured here: fine-tuning lost accuracy on the target against the linear probe, so prefer the probe on frozen embeddings.';
    case 'gain':
      return ' Measured here: fine-tuning beat the linear probe on the target, so fine-tuning is worth its cost on this data.';
    default:
      return '';
  }
}
