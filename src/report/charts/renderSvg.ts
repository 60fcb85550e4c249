/** Headless Vega rendering in Node: a chart definition to an SVG string (no DOM, no canvas needed). */
import type { ChartDefinition } from './chartDefinition.js';
import { datasetRows } from './chartData.js';

export async function chartToSvg(chart: ChartDefinition): Promise<string> {
  // Loaded here, not with the report: only image output draws in Node.
  const vega = await import('vega');
  const view = new vega.View(vega.parse(chart.vega), { renderer: 'none' });
  try {
    for (const [name, dataset] of Object.entries(chart.datasets)) view.data(name, datasetRows(dataset));
    await view.runAsync();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
