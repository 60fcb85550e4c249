/**
 * report.html: one self-contained file (inline CSS, inlined Vega runtime, chart data as JSON, no network) that
 * answers "is my target from my reference distribution, and if not, where does it differ?" at a glance.
 */
import type { ShiftlensResult } from '../result/resultTypes.js';
import { allCharts, buildReportCharts, type ReportChartOptions } from './charts/reportCharts.js';
import { headerTime, renderPage } from './html/page.js';
import { classifierSection } from './html/sections/classifierSection.js';
import { lengthNote } from './html/sections/lengthNote.js';
import { methodSection } from './html/sections/methodSection.js';
import { finetuneSection } from './html/sections/finetuneSection.js';
import { probeSection } from './html/sections/probeSection.js';
import { testTable } from './html/sections/testTable.js';
import { topSamplesSection } from './html/sections/topSamples.js';
import { verdictBanner } from './html/sections/verdictBanner.js';
import { whereSection } from './html/sections/whereSection.js';
import { html } from './html/safeHtml.js';
import { wordsSection } from './html/sections/wordsSection.js';
import { vegaRuntimeSource } from './html/vegaRuntime.js';
import type { ReportView } from './reportView.js';

export type ReportHtmlOptions = ReportChartOptions;

export function renderReportHtml(result: ShiftlensResult, view: ReportView, options: ReportHtmlOptions = {}): string {
  const charts = buildReportCharts(result, view, options);
  const sections = [
    { id: 'verdict', label: 'Verdict', body: verdictBanner(result) },
    { id: 'length-note', label: 'Length shift', body: lengthNote(result) },
    { id: 'tests', label: 'Tests', body: testTable(result) },
    { id: 'where', label: 'Where they differ', body: whereSection(result, view, charts) },
    { id: 'words', label: 'In words', body: wordsSection(result, charts) },
    { id: 'classifier', label: 'Domain classifier', body: classifierSection(result, charts) },
    { id: 'samples', label: 'Most shifted samples', body: topSamplesSection(result) },
    { id: 'probe', label: 'Linear probe', body: probeSection(result, charts) },
    { id: 'finetune', label: 'Fine-tuning vs probe', body: finetuneSection(result) },
    { id: 'method', label: 'Method', body: methodSection(result, view) },
  ].filter((s) => s.body !== null);
  return renderPage({
    title: `shiftlens: ${result.reference.source} → ${result.target.source}`,
    brand: 'shiftlens report',
    toolVersion: result.tool.version,
    referenceSource: result.reference.source,
    targetSource: result.target.source,
    meta: html`${result.model.id}<br>${headerTime(result.createdAt)} · seed ${result.seed}`,
    schemaNote: `schema ${result.schemaVersion}`,
    toc: sections.filter((s) => s.id !== 'length-note').map(({ id, label }) => ({ id, label })),
    sections: sections.map((s) => s.body),
    charts: allCharts(charts),
    vegaRuntime: vegaRuntimeSource(),
  });
}
