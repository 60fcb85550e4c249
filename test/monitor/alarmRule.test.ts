import { describe, expect, it } from 'vitest';
import {
  checkPermutations,
  defaultPermutations,
  guaranteeText,
  horizonAdjusted,
  planAlarms,
  windowSlot,
} from '../../src/monitor/alarmRule.js';
import { windowVerdict } from '../../src/monitor/runMonitor.js';

describe('alpha spending over a horizon', () => {
  it('spends α/N per window and restarts after N windows', () => {
    const plan = planAlarms(0.05, 20);
    expect(plan.perWindowAlpha).toBeCloseTo(0.0025, 15);
    expect(windowSlot(0, 20)).toEqual({ family: 1, slot: 1 });
    expect(windowSlot(19, 20)).toEqual({ family: 1, slot: 20 });
    expect(windowSlot(20, 20)).toEqual({ family: 2, slot: 1 });
    expect(horizonAdjusted(0.001, plan)).toBeCloseTo(0.02, 15);
    expect(horizonAdjusted(0.2, plan)).toBe(1);
    expect(guaranteeText(plan)).toMatch(/α\/N = 0\.05\/20 = 0\.0025; .* within 20 tested windows is at most 0\.05/);
  });

  it('asks for enough permutations to reach the level', () => {
    const plan = planAlarms(0.05, 30);
    // 5 / (0.05/30) = 3000 → P = 2999: the smallest p, 1/3000, is 5× below α/N.
    expect(defaultPermutations(plan)).toBe(2999);
    expect(defaultPermutations(planAlarms(0.05, 2))).toBe(999);
    expect(() => checkPermutations(599, plan)).toThrow(/--permutations 599 can never give .* use at least 600/);
    expect(() => checkPermutations(600, plan)).not.toThrow();
    expect(() => planAlarms(0.05, 0)).toThrow(/--horizon/);
  });

  it('turns the suite decision into a window verdict', () => {
    const plan = planAlarms(0.05, 10);
    const decision = (s: boolean, p: boolean, combined: number) => ({
      decision: {
        alpha: 0.005,
        correction: 'holm' as const,
        minEffect: null,
        statisticallySignificant: s,
        practicallySignificant: p,
        shiftDetected: p,
        jointTests: [],
        combinedPValue: combined,
        method: '',
      },
    });
    expect(windowVerdict(decision(true, true, 0.001), plan)).toBe('alarm');
    expect(windowVerdict(decision(true, false, 0.001), plan)).toBe('below-min-effect');
    expect(windowVerdict(decision(false, false, 0.03), plan)).toBe('watch');
    expect(windowVerdict(decision(false, false, 0.2), plan)).toBe('no-shift');
  });
});
