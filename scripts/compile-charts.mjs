// Build step (after tsc): compiles every chart kind's Vega-Lite spec, one per shape, into the Vega templates a run
// fills (src/report/charts/chartTemplates.ts), and writes them beside the built module. Vega-Lite stays the source
// of truth: the file is rebuilt from it on every build, and a run ignores any template whose spec has changed since.
import { renameSync, rmSync, writeFileSync } from 'node:fs';

const charts = new URL('../dist/src/report/charts/', import.meta.url);
const file = new URL('chart-templates.json', charts);
// None carried over: with the file gone, every kind compiles from Vega-Lite as its module loads.
rmSync(file, { force: true });
// The modules that define the report's and the monitor's chart kinds.
await import(new URL('reportCharts.js', charts).href);
await import(new URL('../monitor/monitorCharts.js', charts).href);
const { preparedTemplates } = await import(new URL('chartTemplates.js', charts).href);
const templates = preparedTemplates();
const temporary = new URL(`chart-templates.json.tmp-${process.pid}`, charts);
writeFileSync(temporary, `${JSON.stringify(templates)}\n`);
renameSync(temporary, file);
console.log(`compiled ${Object.keys(templates.templates).length} chart templates (vega-lite ${templates.vegaLiteVersion})`);
