/**
 * The light half of the detector registry: every detector's name and whether the default suite runs it, in the
 * order the suite runs and reports them, without the implementations (their numerics, zod schemas and ONNX graphs).
 * The CLI's --tests choices and help, TestName and the suite's defaults derive from here; registry.ts holds the
 * specs and checks, at compile time (names) and when it loads (names, order, default suite), that they match.
 */
export const DETECTOR_CATALOGUE = [
  { name: 'mmd', inDefaultSuite: true },
  { name: 'mmd-rff', inDefaultSuite: false },
  { name: 'mmd-linear', inDefaultSuite: false },
  { name: 'ks-pca', inDefaultSuite: true },
  { name: 'frechet', inDefaultSuite: true },
  { name: 'centroid', inDefaultSuite: true },
  { name: 'energy', inDefaultSuite: true },
  { name: 'c2st', inDefaultSuite: true },
] as const;

/** Every detector's stable id ('mmd', 'mmd-rff', …): a --tests value and a result's test name. */
export type DetectorName = (typeof DETECTOR_CATALOGUE)[number]['name'];

export const DETECTOR_NAMES: readonly DetectorName[] = DETECTOR_CATALOGUE.map((d) => d.name);

/** The suite's default tests (the detectors marked inDefaultSuite), in registry order. */
export const DEFAULT_DETECTORS: readonly DetectorName[] = DETECTOR_CATALOGUE.filter((d) => d.inDefaultSuite).map(
  (d) => d.name,
);

export function isDetectorName(name: string): name is DetectorName {
  return (DETECTOR_NAMES as readonly string[]).includes(name);
}
