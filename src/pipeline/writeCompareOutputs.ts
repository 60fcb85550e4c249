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
    },
    target: { projection: raw.targetProjection, texts: raw.targetTexts, classifierProbability: raw.targetProbability },
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
  return writeOutputsAtomically(options.outDir, files);
}

/** Every target sample's shift scores (the top ones are also in result.json), most shifted first. */
function targetScoresCsv(run: CompareRun): string {
  const { sampleScores: s, combinedScore, targetOrigins, targetTexts } = run.raw;
  const n = targetOrigins.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (combinedScore as Float64Array)[b] - (combinedScore as Float64Array)[a] || a - b,
  );
  const header = [
    'index',
    'origin',
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
        csvField(targetOrigins[i]),
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

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
