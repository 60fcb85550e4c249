/** The report area's public entry points (see docs/ARCHITECTURE.md). */
export { buildReportView, DEFAULT_REPORT_LIMITS } from './reportView.js';
export { densityInputs } from './view/fromAnalysis.js';
export type {
  ReportView,
  ReportViewInput,
  ReportViewLimits,
  ReportSideInput,
  ComponentDensityInput,
} from './reportView.js';
export { renderReportHtml, type ReportHtmlOptions } from './renderReportHtml.js';
export { renderMarkdownSummary } from './markdown.js';
export { renderChartImages, type ChartImage } from './images.js';
export { screenshotReport, type ScreenshotOptions } from './screenshot.js';
