/**
 * The detector registry: every two-sample test shiftlens knows, in the order the suite runs and reports them.
 * The CLI's --tests choices, the suite's defaults, the result's test names and the docs' test list all derive from
 * DETECTORS; adding a detector is its own file (a DetectorSpec, registry/detectorSpec.ts) plus one line here.
 */
import { InputError } from '../core/errors.js';
import { c2stSpec } from './c2st.js';
import { centroidSpec } from './centroidDistance.js';
import { energySpec } from './energy.js';
import { frechetSpec } from './frechet.js';
import { ksPcaSpec } from './ksPca.js';
import { mmdSpec } from './mmd.js';
import { mmdFourierSpec } from './mmdFourier.js';
import { mmdLinearSpec } from './mmdLinear.js';
import type { AnyDetectorSpec } from './registry/detectorSpec.js';

export const DETECTORS = [
  mmdSpec,
  mmdFourierSpec,
  mmdLinearSpec,
  ksPcaSpec,
  frechetSpec,
  centroidSpec,
  energySpec,
  c2stSpec,
] as const;

/** Every detector's stable id ('mmd', 'mmd-rff', …): a --tests value and a result's test name. */
export type DetectorName = (typeof DETECTORS)[number]['name'];

export const DETECTOR_NAMES: readonly DetectorName[] = DETECTORS.map((d) => d.name);

/** The suite's default tests (the detectors marked inDefaultSuite), in registry order. */
export const DEFAULT_DETECTORS: readonly DetectorName[] = DETECTORS.filter((d) => d.inDefaultSuite).map((d) => d.name);

export function isDetectorName(name: string): name is DetectorName {
  return (DETECTOR_NAMES as readonly string[]).includes(name);
}

/** The spec of a detector by name; an unknown name → InputError listing the known ones. */
export function detectorByName(name: string): AnyDetectorSpec {
  const spec = DETECTORS.find((d) => d.name === name);
  if (!spec) throw new InputError(`unknown test "${name}"; choose from ${DETECTOR_NAMES.join(', ')}`);
  return spec;
}

/**
 * The markdown table of every detector (name, in the default suite, summary, options with their defaults), as in
 * docs/methods.md between the `detectors` markers (a test keeps the two the same).
 */
export function detectorsMarkdown(): string {
  const rows = DETECTORS.map((d) => {
    const defaults = d.optionsSchema.parse({}) as Record<string, unknown>;
    const options = Object.entries(defaults)
      .map(([k, v]) => `\`${k}\` ${typeof v === 'string' ? `'${v}'` : String(v)}`)
      .join(', ');
    return `| \`${d.name}\` | ${d.inDefaultSuite ? 'yes' : 'no'} | ${d.summary} | ${options} |`;
  });
  return ['| test | default | what | options (defaults) |', '|---|---|---|---|', ...rows].join('\n');
}

export {
  asTwoSampleDetector,
  fitAndRunDetector,
  fitDetector,
  parseDetectorOptions,
  runDetector,
  type DetectorRun,
} from './registry/runDetector.js';
export type {
  AnyDetectorSpec,
  DetectorOutcome,
  DetectorSpec,
  FitContext,
  SideScores,
  TestContext,
  TwoSamples,
} from './registry/detectorSpec.js';
export type { Storable } from './registry/storable.js';
