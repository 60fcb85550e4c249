/**
 * The detector registry: every two-sample test shiftlens knows, in the order the suite runs and reports them.
 * Their names and default-suite membership are in registry/catalogue.ts (what the CLI, TestName and the docs' test
 * list derive from, without loading the numerics); DETECTORS holds the specs, in the same order. Adding a detector
 * is its own file (a DetectorSpec, registry/detectorSpec.ts), one line in the catalogue and one here.
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
import { DETECTOR_CATALOGUE, DETECTOR_NAMES } from './registry/catalogue.js';
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

// The specs' names are the catalogue's, in its order: a compile error here otherwise.
type NamesOf<T extends readonly { name: string }[]> = { [K in keyof T]: T[K]['name'] };
const sameNames: NamesOf<typeof DETECTORS> extends NamesOf<typeof DETECTOR_CATALOGUE>
  ? NamesOf<typeof DETECTOR_CATALOGUE> extends NamesOf<typeof DETECTORS>
    ? true
    : false
  : false = true;
// And the default suite (a spec's inDefaultSuite is a boolean to the compiler): checked once, when the specs load.
for (const [i, spec] of DETECTORS.entries()) {
  const entry = DETECTOR_CATALOGUE[i];
  if (!sameNames || entry.name !== spec.name || entry.inDefaultSuite !== spec.inDefaultSuite) {
    throw new Error(
      `detector registry: spec ${spec.name} differs from catalogue entry ${entry.name} (registry/catalogue.ts)`,
    );
  }
}

export {
  DEFAULT_DETECTORS,
  DETECTOR_NAMES,
  isDetectorName,
  type DetectorName,
} from './registry/catalogue.js';

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
