/**
 * The document shell: a Content-Security-Policy that forbids every network request (defence in depth: nothing in
 * the page asks for one), inline CSS, the header and table of contents, the sections, the chart data as inert JSON,
 * the inlined Vega runtime, and the small client script.
 */
import type { ShiftlensResult } from '../../result/resultTypes.js';
import type { ChartDefinition } from '../charts/chartDefinition.js';
import { CLIENT_SCRIPT } from './clientScript.js';
import { jsonForScript } from './jsonScript.js';
import { html, trusted, type SafeHtml } from './safeHtml.js';
import { REPORT_CSS } from './styles.js';

// Vega compiles its expressions with new Function, hence 'unsafe-eval'; nothing may be fetched from anywhere.
const CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'";

export interface PageParts {
  result: ShiftlensResult;
  toc: { id: string; label: string }[];
  sections: (SafeHtml | null)[];
  charts: ChartDefinition[];
  vegaRuntime: string;
}

export function renderPage(parts: PageParts): string {
  const { result } = parts;
  const title = `shiftlens: ${result.reference.source} → ${result.target.source}`;
  const chartJson = jsonForScript(
    parts.charts.map((c) => ({ id: c.id, renderer: c.renderer, vega: c.vega, datasets: c.datasets })),
  );
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="shiftlens ${result.tool.version}">
<title>${title}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
<div class="page">
<header class="top">
  <div>
    <div class="brand">shiftlens report</div>
    <h1><span class="side-ref">${result.reference.source}</span><span class="arrow">→</span><span class="side-tgt">${result.target.source}</span></h1>
  </div>
  <div class="meta">${result.model.id}<br>${result.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} · seed ${result.seed}</div>
</header>
<nav class="toc" aria-label="sections">${parts.toc.map((t) => html`<a href="#${t.id}">${t.label}</a>`)}</nav>
${parts.sections}
<footer>shiftlens ${result.tool.version} · schema ${result.schemaVersion} · this file is self-contained and makes no network requests</footer>
</div>
<script type="application/json" id="shiftlens-charts">${trusted(chartJson)}</script>
<script>${trusted(parts.vegaRuntime)}</script>
<script>${trusted(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}
