/** Every chart of a report, built once from result.json and the view; the HTML page and the images share them. */
import type { ShiftlensResult } from '../../result/resultTypes.js';
import type { ReportView } from '../reportView.js';
import type { ChartDefinition } from './chartDefinition.js';
import { densityChart } from './densityChart.js';
import { confusionChart, labelEfficiencyChart, probeAccuracyChart } from './probeCharts.js';
import { scatterByLabelChart } from './scatterByLabelChart.js';
import { scatterChart } from './scatterChart.js';
import { wordShiftChart } from './wordShiftChart.js';
import { scoreHistogramChart } from './scoreHistogramChart.js';

export interface ReportCharts {
  scatter: ChartDefinition | null;
  /** The scatter faceted by label, when there are labels. */
  scatterByLabel: ChartDefinition | null;
  densities: ChartDefinition[];
  classifierScores: ChartDefinition | null;
  probeAccuracy: ChartDefinition | null;
  labelEfficiency: ChartDefinition | null;
  confusion: ChartDefinition | null;
  wordShift: ChartDefinition | null;
}

export interface ReportChartOptions {
  /** Renderer of the scatter in the page (default canvas: thousands of points draw faster). */
  scatterRenderer?: 'svg' | 'canvas';
}

export function buildReportCharts(
  result: ShiftlensResult,
  view: ReportView,
  options: ReportChartOptions = {},
): ReportCharts {
  const variance = result.pca.explainedVarianceRatio;
  return {
    scatter: view.scatter ? scatterChart(view.scatter, variance, options.scatterRenderer ?? 'canvas') : null,
    scatterByLabel: view.scatter
      ? scatterByLabelChart(view.scatter, variance, options.scatterRenderer ?? 'canvas')
      : null,
    densities: view.densities.map((d) => densityChart(d, variance[d.index])),
    classifierScores: view.classifierHistogram ? scoreHistogramChart(view.classifierHistogram) : null,
    probeAccuracy: result.probe ? probeAccuracyChart(result.probe) : null,
    labelEfficiency: result.probe ? labelEfficiencyChart(result.probe) : null,
    confusion: result.probe ? confusionChart(result.probe) : null,
    wordShift: result.wordShift ? wordShiftChart(result.wordShift) : null,
  };
}

export function allCharts(charts: ReportCharts): ChartDefinition[] {
  return [
    charts.scatter,
    charts.scatterByLabel,
    ...charts.densities,
    charts.classifierScores,
    charts.probeAccuracy,
    charts.labelEfficiency,
    charts.confusion,
    charts.wordShift,
  ].filter((c): c is ChartDefinition => c !== null);
}
