/**
 * The document shell both reports share (report.html and monitor-report.html): a Content-Security-Policy that
 * forbids every network request (defence in depth: nothing in the page asks for one), inline CSS, the header and
 * table of contents, the sections, the chart data as inert JSON, the inlined Vega runtime, and the small client
 * script.
 */
import type { ChartDefinition } from '../charts/chartDefinition.js';
import { CLIENT_SCRIPT } from './clientScript.js';
import { jsonForScript } from './jsonScript.js';
import { html, trusted, type SafeHtml } from './safeHtml.js';
import { REPORT_CSS } from './styles.js';

// Vega compiles its expressions with new Function, hence 'unsafe-eval'; nothing may be fetched from anywhere.
const CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'";

export interface PageShell {
  /** The document title. */
  title: string;
  /** The small line above the heading ("shiftlens report"). */
  brand: string;
  /** Tool version, for the generator tag and the footer. */
  toolVersion: string;
  /** The heading: reference → target. */
  referenceSource: string;
  targetSource: string;
  /** The header's right-hand block (model, time, seed, …). */
  meta: SafeHtml;
  /** The footer's schema note ("schema 1.0.0"). */
  schemaNote: string;
  /** CSS after the shared stylesheet, in the same style element. */
  extraCss?: string;
  toc: { id: string; label: string }[];
  sections: (SafeHtml | null)[];
  charts: ChartDefinition[];
  vegaRuntime: string;
}

/** "2024-03-01T10:00:00.000Z" → "2024-03-01 10:00:00 UTC", as both headers show it. */
export function headerTime(createdAt: string): string {
  return createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function renderPage(shell: PageShell): string {
  const chartJson = jsonForScript(
    shell.charts.map((c) => ({ id: c.id, renderer: c.renderer, vega: c.vega, datasets: c.datasets })),
  );
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="shiftlens ${shell.toolVersion}">
<title>${shell.title}</title>
<style>${trusted(REPORT_CSS)}${trusted(shell.extraCss ?? '')}</style>
</head>
<body>
<div class="page">
<header class="top">
  <div>
    <div class="brand">${shell.brand}</div>
    <h1><span class="side-ref">${shell.referenceSource}</span><span class="arrow">→</span><span class="side-tgt">${shell.targetSource}</span></h1>
  </div>
  <div class="meta">${shell.meta}</div>
</header>
<nav class="toc" aria-label="sections">${shell.toc.map((t) => html`<a href="#${t.id}">${t.label}</a>`)}</nav>
${shell.sections}
<footer>shiftlens ${shell.toolVersion} · ${shell.schemaNote} · this file is self-contained and makes no network requests</footer>
</div>
<script type="application/json" id="shiftlens-charts">${trusted(chartJson)}</script>
<script>${trusted(shell.vegaRuntime)}</script>
<script>${trusted(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}
