/** Headless Vega rendering in Node: a chart definition to an SVG string (no DOM, no canvas needed). */
import * as vega from 'vega';
import type { ChartDefinition } from './chartDefinition.js';
import { datasetRows } from './chartData.js';

export async function chartToSvg(chart: ChartDefinition): Promise<string> {
  const view = new vega.View(vega.parse(chart.vega), { renderer: 'none' });
  try {
    for (const [name, dataset] of Object.entries(chart.datasets)) view.data(name, datasetRows(dataset));
    await view.runAsync();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
