/**
 * The one wrapper around every DetectorSpec: option parsing (zod, via options.ts), the input checks
 * (checkTwoSamples), timing, and the full TwoSampleTestResult shape (name, label, the suite's shift/pValueAdjusted
 * placeholders, timingMs). Detectors implement only fit and test.
 *
 * `asTwoSampleDetector(spec)` keeps the one-call form `detector.run(input, options)` (fit on input.reference, then
 * test), which library users, tests and benchmarks use.
 */
import { checkTwoSamples } from '../../analysis/validateSamples.js';
import type { Matrix } from '../../core/matrix.js';
import type { Progress } from '../../core/progress.js';
import type { Rng } from '../../core/random.js';
import type { TwoSampleDetector, TwoSampleInput, TwoSampleTestResult } from '../detector.js';
import type {
  AnyDetectorSpec,
  DetectorOutcome,
  DetectorSpec,
  SideScores,
  TestContext,
  TwoSamples,
} from './detectorSpec.js';
import { parseOptionsFor } from './options.js';
import type { Storable } from './storable.js';

export interface DetectorRun {
  result: TwoSampleTestResult;
  /** Per-row scores of both sides when the detector gives them (the C2ST's probabilities), else null. */
  sampleScores: SideScores | null;
}

/** A spec's options: its defaults merged with `options` (InputError naming detector and option when invalid). */
export function parseDetectorOptions<O>(spec: DetectorSpec<O, Storable>, options?: unknown): O {
  return parseOptionsFor(spec.name, spec.optionsSchema, options);
}

/** Fit a spec on the reference: options parsed, the reference checked (≥ 2 rows, finite values). */
export async function fitDetector<O, S extends Storable>(
  spec: DetectorSpec<O, S>,
  reference: Matrix,
  options: unknown,
  ctx: { rng: Rng; progress: Progress },
): Promise<S> {
  const opts = parseDetectorOptions(spec, options);
  checkTwoSamples(reference, reference, spec.name);
  return spec.fit(reference, opts, ctx);
}

/** Test a fitted state on (reference, target): options parsed, both samples checked, timed, full result shape. */
export async function runDetector<O, S extends Storable>(
  spec: DetectorSpec<O, S>,
  state: S,
  data: TwoSamples,
  options: unknown,
  ctx: TestContext,
): Promise<DetectorRun> {
  const started = performance.now();
  const opts = parseDetectorOptions(spec, options);
  checkTwoSamples(data.reference, data.target, spec.name);
  const outcome = await spec.test(state, data, opts, ctx);
  return finish(spec, outcome, started);
}

/** Fit then test in one call, timed together (what `detector.run` does). */
export async function fitAndRunDetector<O, S extends Storable>(
  spec: DetectorSpec<O, S>,
  data: TwoSamples,
  options: unknown,
  ctx: TestContext,
): Promise<DetectorRun> {
  const started = performance.now();
  const opts = parseDetectorOptions(spec, options);
  checkTwoSamples(data.reference, data.target, spec.name);
  const state = await spec.fit(data.reference, opts, { rng: ctx.rng, progress: ctx.progress });
  const outcome = await spec.test(state, data, opts, ctx);
  return finish(spec, outcome, started);
}

/** The one-call detector of a spec: `run(input, options)` fits on input.reference and tests. */
export function asTwoSampleDetector<O, S extends Storable>(
  spec: DetectorSpec<O, S>,
): TwoSampleDetector<O> & { spec: DetectorSpec<O, S> } {
  return {
    name: spec.name,
    spec,
    run: async (input: TwoSampleInput, options?: Partial<O>) =>
      (await fitAndRunDetector(spec, input, options, contextOf(input))).result,
  };
}

/** The TestContext of a legacy TwoSampleInput. */
export function contextOf(input: TwoSampleInput): TestContext {
  return {
    rng: input.rng,
    progress: input.progress,
    ...(input.design ? { design: input.design } : {}),
    ...(input.alpha !== undefined ? { alpha: input.alpha } : {}),
  };
}

function finish(spec: AnyDetectorSpec, outcome: DetectorOutcome, started: number): DetectorRun {
  const { label, sampleScores, minDetectableEffect, interval, ...rest } = outcome;
  const result: TwoSampleTestResult = {
    name: spec.name,
    label: label ?? spec.label,
    statistic: rest.statistic,
    pValue: rest.pValue,
    effectSize: rest.effectSize,
    effectSizeName: rest.effectSizeName,
    ...('minDetectableEffect' in outcome ? { minDetectableEffect } : {}),
    shift: false,
    pValueAdjusted: null,
    method: rest.method,
    ...(interval ? { interval } : {}),
    details: rest.details,
    timingMs: performance.now() - started,
  };
  return { result, sampleScores: sampleScores ?? null };
}
