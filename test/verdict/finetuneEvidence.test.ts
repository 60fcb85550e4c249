import { describe, expect, it } from 'vitest';
import type { FinetuneComparison, FinetuneMethodResult } from '../../src/finetune/finetuneTypes.js';
import type { Interval } from '../../src/probe/probeTypes.js';
import type { TwoSampleTestResult } from '../../src/twosample/detector.js';
import { decideVerdict } from '../../src/verdict/decide.js';
import { finetuneAdvice, finetuneSentences } from '../../src/verdict/finetuneEvidence.js';

const span = (estimate: number, lower: number, upper: number): Interval => ({ estimate, lower, upper, level: 0.95 });
const separability = { domainAuc: 0.9, mmd: 0.2, mmdPValue: 0.001 };

function method(
  id: FinetuneMethodResult['method'],
  versusProbe: FinetuneMethodResult['versusProbe'],
): FinetuneMethodResult {
  return {
    method: id,
    description: id,
    hyperparameters: {},
    search: [],
    referenceAccuracy: span(0.9, 0.88, 0.92),
    targetAccuracy: span(0.75, 0.72, 0.78),
    gap: span(0.15, 0.11, 0.19),
    versusProbe,
    training: { totalMs: 1, chosenMs: 1, configurationsTried: 1, validationLoss: 0.3 },
    representation: { features: 'embedding', cka: 0.9, before: separability, after: separability },
  };
}

function comparison(fineTuneVsProbe: { reference: Interval; target: Interval | null }): FinetuneComparison {
  return {
    model: 'wordvec:sg100d',
    split: { train: 700, validation: 150, test: 150, seed: 0 },
    classes: ['0', '1'],
    target: { nScored: 1000, nExcludedUnseenClass: 0, nUnlabelled: 0 },
    representationRows: { reference: 1000, target: 1000 },
    methods: [method('linearProbe', null), method('fineTune', fineTuneVsProbe)],
    summary: 'Linear probe: reference 90.0%, target 75.0%.',
    notes: [],
  };
}

const shifted: TwoSampleTestResult[] = [
  {
    name: 'mmd',
    label: 'MMD',
    statistic: 0.1,
    pValue: 0.001,
    effectSize: 0.1,
    effectSizeName: 'effect',
    shift: true,
    pValueAdjusted: 0.002,
    method: 'fixture',
    details: {},
    timingMs: 0,
  },
];
const suite = {
  alpha: 0.05,
  shiftDetected: true,
  statisticallySignificant: true,
  practicallySignificant: true,
  minEffect: null,
};

describe('fine-tuning evidence in the verdict', () => {
  it('names a gain on the reference with a loss on the target as overfitting the training distribution', () => {
    const c = comparison({ reference: span(0.02, 0.005, 0.035), target: span(-0.06, -0.09, -0.03) });
    const [summary, finding] = finetuneSentences(c);
    expect(summary).toContain(c.summary);
    expect(finding).toBe(
      'Fine-tuning gained +2.0 points [0.5, 3.5] on the reference and lost −6.0 points [-9.0, -3.0] on the target against the probe: it fitted the training distribution at the cost of generalisation (the effect Vargas et al. report).',
    );
    expect(finetuneAdvice(c)).toContain('prefer the probe');
    const v = decideVerdict({ tests: shifted, suite, probe: null, finetune: c });
    expect(v.reasons).toContain(finding);
    expect(v.recommendation.endsWith(finetuneAdvice(c))).toBe(true);
  });

  it('calls an interval that covers 0 indistinguishable and gives no advice', () => {
    const c = comparison({ reference: span(0.01, -0.01, 0.03), target: span(-0.018, -0.047, 0.012) });
    expect(finetuneSentences(c)[1]).toBe(
      'Fine-tuning and the probe are not distinguishable on the target (−1.8 points [-4.7, 1.2]).',
    );
    expect(finetuneAdvice(c)).toBe('');
  });

  it('says so when fine-tuning wins on the target, and stays silent without target labels', () => {
    const gain = comparison({ reference: span(0.03, 0.01, 0.05), target: span(0.046, 0.018, 0.073) });
    expect(finetuneSentences(gain)[1]).toContain('generalises better');
    expect(finetuneAdvice(gain)).toContain('worth its cost');
    const unlabelled = comparison({ reference: span(0.03, 0.01, 0.05), target: null });
    expect(finetuneSentences(unlabelled)).toHaveLength(1);
    expect(finetuneAdvice(unlabelled)).toBe('');
    expect(decideVerdict({ tests: shifted, suite, probe: null }).recommendation).not.toContain('fine-tuning');
  });
});
