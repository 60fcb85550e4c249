/**
 * Report benchmark: for growing input sizes, the time to build the view and render report.html, the file's size,
 * and how long headless Chromium takes to load it and draw every chart (navigation → body[data-charts-ready]);
 * the 100k-vs-100k report must stay under 2 MB and load in under 3 s. Also compares the scatter drawn on canvas
 * (the default) with SVG, and times the static images (SVG, PNG).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, waitForCharts } from '../src/report/browser.js';
import { renderChartImages } from '../src/report/images.js';
import { renderReportHtml, type ReportHtmlOptions } from '../src/report/renderReportHtml.js';
import { buildReportView } from '../src/report/reportView.js';
import { buildFixture } from '../test/report/fixtures.js';

const SIZE_LIMIT = 2 * 1024 * 1024;
const LOAD_LIMIT_MS = 3000;

interface Row {
  n: number;
  viewMs: number;
  renderMs: number;
  bytes: number;
  loadMs: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timeLoad(browser: Browser, file: string, repeats: number): Promise<number> {
  const url = pathToFileURL(file).href;
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
      const started = performance.now();
      await page.goto(url, { waitUntil: 'load' });
      await waitForCharts(page);
      times.push(performance.now() - started);
    } finally {
      await page.close();
    }
  }
  return median(times);
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
const ms = (t: number) => t.toFixed(0);
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');

export async function runBench(options: { quick: boolean }): Promise<string> {
  const sizes = options.quick ? [1_000, 100_000] : [1_000, 10_000, 100_000];
  const repeats = options.quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'shiftlens-report-bench-'));
  const browser = await launchChromium();
  const rows: Row[] = [];
  const lines: string[] = ['## Report', ''];
  try {
    let largest: ReturnType<typeof buildFixture> | null = null;
    for (const n of sizes) {
      const fixture = buildFixture({ nReference: n, nTarget: n });
      let t = performance.now();
      const view = buildReportView(fixture.input);
      const viewMs = performance.now() - t;
      t = performance.now();
      const html = renderReportHtml(fixture.result, view);
      const renderMs = performance.now() - t;
      const file = join(dir, `report-${n}.html`);
      writeFileSync(file, html);
      const loadMs = await timeLoad(browser, file, repeats);
      rows.push({ n, viewMs, renderMs, bytes: Buffer.byteLength(html), loadMs });
      if (n === sizes[sizes.length - 1]) largest = { ...fixture, view };
    }

    const base = rows[0];
    lines.push(
      `Synthetic comparison (UCI sentences, 5 components, probe and classifier present); load = navigation until every chart is drawn, median of ${repeats} in headless Chromium.`,
      '',
    );
    lines.push(
      '| samples per side | build view (ms) | render HTML (ms) | report.html (MB) | load + draw (ms) | size vs smallest | load vs smallest |',
    );
    lines.push('|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      lines.push(
        `| ${r.n.toLocaleString('en-US')} | ${ms(r.viewMs)} | ${ms(r.renderMs)} | ${mb(r.bytes)} | ${ms(r.loadMs)} | ${ratio(r.bytes, base.bytes)} | ${ratio(r.loadMs, base.loadMs)} |`,
      );
    }
    const top = rows[rows.length - 1];
    lines.push('');
    lines.push(
      `${top.n.toLocaleString('en-US')} vs ${top.n.toLocaleString('en-US')}: ${mb(top.bytes)} MB (limit 2 MB: ${top.bytes < SIZE_LIMIT ? 'pass' : 'FAIL'}), ` +
        `loads in ${ms(top.loadMs)} ms (limit ${LOAD_LIMIT_MS} ms: ${top.loadMs < LOAD_LIMIT_MS ? 'pass' : 'FAIL'}).`,
    );

    // Scatter renderer: canvas (default) vs SVG, on the largest report.
    if (largest) {
      const variants: [string, ReportHtmlOptions][] = [
        ['canvas (default)', { scatterRenderer: 'canvas' }],
        ['svg', { scatterRenderer: 'svg' }],
      ];
      const loads: number[] = [];
      for (const [name, opts] of variants) {
        const file = join(dir, `report-scatter-${name.split(' ')[0]}.html`);
        writeFileSync(file, renderReportHtml(largest.result, largest.view, opts));
        loads.push(await timeLoad(browser, file, repeats));
      }
      lines.push('', '| scatter renderer | load + draw (ms) | vs canvas |', '|---|---:|---:|');
      variants.forEach(([name], i) => lines.push(`| ${name} | ${ms(loads[i])} | ${ratio(loads[i], loads[0])} |`));

      const imageRows: string[] = [];
      for (const format of ['svg', 'png'] as const) {
        const t = performance.now();
        const images = await renderChartImages(largest.result, largest.view, format);
        const took = performance.now() - t;
        const total = images.reduce((s, i) => s + i.bytes.length, 0);
        imageRows.push(`| ${format} | ${images.length} | ${ms(took)} | ${mb(total)} |`);
      }
      lines.push('', '| static images | files | time (ms) | total (MB) |', '|---|---:|---:|---:|', ...imageRows);
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return `${lines.join('\n')}\n`;
}
