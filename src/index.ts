/**
 * shiftlens as a library: the same pieces the CLI uses. Detectors share one interface (TwoSampleDetector) and
 * take embeddings as row-major float32 matrices (Matrix).
 */
export { createMatrix, fromRows, toRows, type Matrix } from './core/matrix.js';
export { createRng, type Rng } from './core/random.js';
export { createProgress, silentProgress, type Progress } from './core/progress.js';
export { InputError } from './core/errors.js';

// Without files: compare({ reference, target, … }) on in-memory texts or vectors, every option checked (src/api);
// buildReference({ reference, … }) → a reference bundle, check(bundle or .shiftlens path, { target, … }).
export {
  buildReference,
  check,
  compare,
  type BuildReferenceInput,
  type BuildReferenceOutput,
  type CheckInput,
  type CompareInput,
  type CompareOutput,
  type RowValues,
  type SideInput,
} from './api/index.js';
export { readBundle, writeBundle } from './bundle/bundleFile.js';
export type { LoadedBundle, ReferenceBundle } from './bundle/referenceBundle.js';

export { loadDataset } from './ingest/loadDataset.js';
export type { Dataset, LoadOptions } from './ingest/dataset.js';
export { createEmbedder } from './embed/registry.js';
export type { Embedder, EmbedderInfo, EmbeddingResult, Pooling } from './embed/embedder.js';
export { MODEL_BACKENDS, type EmbedderOptions } from './embed/registry.js';
export type { EmbedEndpointOptions, RetryEvent } from './embed/openai/endpointOptions.js';
export { exportVectors } from './export/exportVectors.js';
export { runEmbedExport, type EmbedExportOptions, type EmbedExportSummary } from './pipeline/embedExport.js';

export { fitPca } from './analysis/pca.js';
export { compareDensities } from './analysis/kde.js';
export { centroidDistances } from './analysis/centroid.js';
export {
  characteristicTerms,
  countReference,
  countTerms,
  rankTermShifts,
  wordShift,
  Vocabulary,
  type TermShift,
  type WordShiftResult,
} from './analysis/wordShift.js';

export type {
  TwoSampleDetector,
  TwoSampleInput,
  TwoSampleTestResult,
  SampleShiftScores,
} from './twosample/detector.js';
export {
  DEFAULT_DETECTORS,
  DETECTOR_NAMES,
  DETECTORS,
  asTwoSampleDetector,
  detectorByName,
  detectorsMarkdown,
  fitAndRunDetector,
  fitDetector,
  isDetectorName,
  parseDetectorOptions,
  runDetector,
  type AnyDetectorSpec,
  type DetectorName,
  type DetectorOutcome,
  type DetectorRun,
  type DetectorSpec,
  type FitContext,
  type SideScores,
  type Storable,
  type TestContext,
  type TwoSamples,
} from './twosample/registry.js';
export { defineDetector } from './twosample/registry/detectorSpec.js';
export { storableProblem } from './twosample/registry/storable.js';
export { twoSampleTestResultSchema } from './twosample/resultSchema.js';
export { mmdDetector } from './twosample/mmd.js';
export { mmdFourierDetector } from './twosample/mmdFourier.js';
export { mmdLinearDetector } from './twosample/mmdLinear.js';
export { energyDetector } from './twosample/energy.js';
export { ksPcaDetector } from './twosample/ksPca.js';
export { c2stDetector, runC2st } from './twosample/c2st.js';
export { frechetDetector } from './twosample/frechet.js';
export { centroidDetector } from './twosample/centroidDistance.js';
export { knnConformalScores } from './twosample/sampleScores/knnConformal.js';
export { mmdWitness } from './twosample/sampleScores/mmdWitness.js';
export { DEFAULT_JOINT_WEIGHTS, decideSuite, runDetectors } from './twosample/suite.js';
export {
  createPermutationDesign,
  type PermutationDesign,
  type RowGroups,
} from './twosample/permutationDesign.js';
export { westfallYoungAdjust } from './twosample/pvalues/westfallYoung.js';
export { detectRowClustering } from './twosample/rowClustering.js';

export { runProbe } from './probe/runProbe.js';
export type { ProbeResult, Verdict, VerdictKind } from './probe/probeTypes.js';
export { VERDICT_KINDS } from './probe/probeTypes.js';
export { runFinetuneVsProbe, type FinetuneVsProbeInput } from './finetune/runFinetuneVsProbe.js';
export { createFinetuner } from './finetune/createFinetuner.js';
export { lexiconLabelReport, lexiconLabels } from './finetune/lexiconLabels.js';
export { linearCka } from './finetune/cka.js';
export type { FinetuneComparison, FinetuneMethodResult } from './finetune/finetuneTypes.js';
export { decideVerdict, DEFAULT_VERDICT_THRESHOLDS, verdictReportsShift } from './verdict/decide.js';
export { compareLabelDistributions, type LabelShiftResult } from './probe/labelShift.js';
export { EFFECT_BANDS, effectWord, type EffectWord } from './verdict/effectWords.js';

export { runCompare, type CompareRun } from './pipeline/compare.js';
export {
  fitSuite,
  referenceFingerprint,
  rowGroupsFromIds,
  runTestSuite,
  testFittedSuite,
  type FittedSuite,
  type SuiteOptions,
  type SuiteOutcome,
} from './pipeline/testSuite.js';
export { defaultCompareOptions, type CompareOptions } from './pipeline/compareOptions.js';
export { writeCompareOutputs } from './pipeline/writeCompareOutputs.js';
// Monitoring a stream window by window against a reference (shiftlens monitor; docs/methods.md).
export {
  runMonitor,
  monitorStream,
  type MonitorOptions,
  type MonitorRun,
  type StreamData,
} from './monitor/runMonitor.js';
export { monitorReference, type MonitorReference } from './monitor/monitorInput.js';
export { monitorResultSchema, type MonitorResult } from './monitor/monitorSchema.js';
export { MonitorHistory } from './monitor/history.js';
export { writeMonitorOutputs } from './monitor/writeMonitorOutputs.js';
export { SCHEMA_VERSION, type ShiftlensResult } from './result/resultTypes.js';
export { renderReportHtml, buildReportView, renderMarkdownSummary, renderChartImages } from './report/index.js';
