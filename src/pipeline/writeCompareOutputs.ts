/**
 * Turns a finished comparison into its output folder — result.json, report.html, summary.md, target-scores.csv
 * and optional chart images — validated first and written all-or-nothing.
 */
import type { CompareRun } from './compare.js';
import { validateResult } from '../result/schema.js';
import { writeOutputsAtomically, type OutputFile } from '../result/writeOutputs.js';
import { createRng } from '../core/random.js';
import { buildReportView } from '../report/reportView.js';
import { renderReportHtml } from '../report/renderReportHtml.js';
import { renderMarkdownSummary } from '../report/markdown.js';
import { renderChartImages } from '../report/images.js';
import { densityInputs } from '../report/view/fromAnalysis.js';

export interface WriteOptions {
  outDir: string;
  imageFormat?: 'svg' | 'png';
  seed: number;
}

export async function writeCompareOutputs(run: CompareRun, options: WriteOptions): Promise<string[]> {
  validateResult(run.result);
  const { raw } = run;
  const view = buildReportView({
    reference: {
      projection: raw.referenceProjection,
      texts: raw.referenceTexts,
      classifierProbability: raw.referenceProbability,
      labels: raw.referenceLabels,
      ids: raw.referenceIds,
    },
    target: {
      projection: raw.targetProjection,
      texts: raw.targetTexts,
      classifierProbability: raw.targetProbability,
      labels: raw.targetLabels,
      // Tooltips name a sample by the user's id, else by its origin ("test.csv row 17").
      ids: raw.targetIds ?? raw.targetOrigins,
    },
    components: densityInputs(raw.densities),
    highlightTargetIndices: run.result.samples.top.map((row) => row.index),
    rng: createRng(options.seed).fork('report'),
  });
  const files: OutputFile[] = [
    { name: 'result.json', contents: `${JSON.stringify(run.result, null, 2)}\n` },
    { name: 'report.html', contents: renderReportHtml(run.result, view) },
    { name: 'summary.md', contents: renderMarkdownSummary(run.result) },
  ];
  if (run.raw.combinedScore) files.push({ name: 'target-scores.csv', contents: targetScoresCsv(run) });
  if (options.imageFormat) {
    for (const image of await renderChartImages(run.result, view, options.imageFormat)) {
      files.push({ name: `charts/${image.name}`, contents: image.bytes });
    }
  }
  return writeOutputsAtomically(options.outDir, files, { replaces: COMPARE_OUTPUTS });
}

/** Everything a compare run writes: a rerun drops old copies of these (e.g. charts/ from an earlier --format). */
export const COMPARE_OUTPUTS = ['result.json', 'report.html', 'summary.md', 'target-scores.csv', 'charts'] as const;

/**
 * Every target sample's shift scores (the top ones are also in result.json), most shifted first; with the
 * user's id (--id-column) and the label when there are some.
 */
function targetScoresCsv(run: CompareRun): string {
  const { sampleScores: s, combinedScore, targetOrigins, targetTexts, targetIds, targetLabels } = run.raw;
  const n = targetOrigins.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (combinedScore as Float64Array)[b] - (combinedScore as Float64Array)[a] || a - b,
  );
  const header = [
    'index',
    ...(targetIds ? ['id'] : []),
    'origin',
    ...(targetLabels ? ['label'] : []),
    'combinedScore',
    'classifierProbability',
    'knnDistance',
    'knnPValue',
    'mmdWitness',
    'text',
  ];
  const lines = [header.join(',')];
  const num = (a: Float64Array | undefined | null, i: number): string => (a ? formatNumber(a[i]) : '');
  for (const i of order) {
    lines.push(
      [
        String(i),
        ...(targetIds ? [csvField(targetIds[i])] : []),
        csvField(targetOrigins[i]),
        ...(targetLabels ? [csvField(targetLabels[i])] : []),
        num(combinedScore, i),
        num(s.classifierProbability, i),
        num(s.knnDistance, i),
        num(s.knnPValue, i),
        num(s.mmdWitness, i),
        csvField(targetTexts ? targetTexts[i] : ''),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatNumber(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : '';
}

/**
 * A text cell, safe to open in a spreadsheet: a value that begins with = + - @, a tab or a carriage return would
 * be read as a formula (CSV injection), so it gets a leading ' (OWASP's advice), which spreadsheets show as text.
 * Then quoted when it holds a quote, comma or line break. Numeric columns are numbers this file formats itself.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
