/**
 * Opens real reports in headless Chromium (Debian's /usr/bin/chromium through playwright-core): no console errors,
 * no network requests, every chart drew its data marks (counted in Vega's scenegraph and, independently, in the
 * SVG DOM or the canvas pixels), hover shows a text as text; with SHIFTLENS_TEST_SCREENSHOTS=1 a full-page
 * screenshot is kept in test-artifacts/report.png.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, waitForCharts } from '../../src/report/browser.js';
import { screenshotReport } from '../../src/report/screenshot.js';
import { renderReportHtml } from '../../src/report/renderReportHtml.js';
import type { DensityView } from '../../src/report/reportView.js';
import { buildFixture, HOSTILE_TEXT, type Fixture } from './fixtures.js';
import { browserTestsRun, keepScreenshots } from '../helpers/chromium.js';

const ARTIFACTS = resolve('test-artifacts');

// Skipped loudly where no Chromium is installed, unless CI is set (then a missing browser fails).
const RUN = browserTestsRun('the report tests in headless Chromium (test/report/browser.test.ts)');

let browser: Browser;

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
  url: string;
}

async function openReport(fixture: Fixture, name: string): Promise<Opened> {
  const file = join(ARTIFACTS, `${name}.html`);
  writeFileSync(file, renderReportHtml(fixture.result, fixture.view));
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  // Anything but the page itself is refused (and recorded above, which fails the test).
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load' });
  await waitForCharts(page);
  return { page, errors, requests, url };
}

/** Per chart: Vega's count of data-mark items, SVG mark elements in the DOM, and painted canvas pixels. */
async function chartStats(page: Page) {
  return page.$$eval('.chart-holder', (holders) =>
    holders.map((h) => {
      const canvas = h.querySelector('canvas');
      let painted = 0;
      if (canvas) {
        const ctx = canvas.getContext('2d');
        const data = ctx ? ctx.getImageData(0, 0, canvas.width, canvas.height).data : new Uint8ClampedArray();
        // Count clearly coloured pixels (the side colours), not white background or grey axes.
        for (let i = 0; i < data.length; i += 4) {
          const r = data[i],
            g = data[i + 1],
            b = data[i + 2];
          if (Math.max(r, g, b) - Math.min(r, g, b) > 60) painted++;
        }
      }
      // Vega tags data-mark groups with role-mark (axes and legends have other roles).
      const svgMarks = h.querySelectorAll(
        'svg g.role-mark > path, svg g.role-mark > line, svg g.role-mark > text',
      ).length;
      return { id: h.id, marks: Number(h.getAttribute('data-marks')), canvas: Boolean(canvas), painted, svgMarks };
    }),
  );
}

function edgeMarkCount(d: DensityView): number {
  return [d.below.reference, d.below.target, d.above.reference, d.above.target].filter((n) => n > 0).length;
}

describe.runIf(RUN)('report in headless Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart with its data, makes no requests and logs no errors; hover shows texts as text', async () => {
    const fixture = buildFixture({ nReference: 3000, nTarget: 3000, hostile: true, lengthShift: true });
    const { page, errors, requests, url } = await openReport(fixture, 'report');
    try {
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);

      const stats = await chartStats(page);
      const byId = Object.fromEntries(stats.map((s) => [s.id, s]));
      const v = fixture.view;
      expect(stats.map((s) => s.id).sort()).toEqual(
        [
          'chart-pca-scatter',
          ...v.densities.map((d) => `chart-density-pc${d.index + 1}`),
          'chart-classifier-scores',
          'chart-probe-accuracy',
          'chart-label-efficiency',
          'chart-confusion',
          'chart-pca-scatter-by-label',
          'chart-word-shift',
        ].sort(),
      );
      // Exact data-mark counts from Vega's scenegraph.
      const scatter = v.scatter!;
      expect(scatter.reference.index.length).toBe(2500); // subsampled from 3000
      expect(byId['chart-pca-scatter'].marks).toBe(2500 + 2500 + scatter.highlighted.length);
      // Area and line per side, plus a triangle per side and end with samples beyond the drawn range.
      for (const d of v.densities)
        expect(byId[`chart-density-pc${d.index + 1}`].marks).toBe(4 * d.grid.length + edgeMarkCount(d));
      expect(byId['chart-classifier-scores'].marks).toBe(2 * 25);
      expect(byId['chart-probe-accuracy'].marks).toBe(3 + 3 + 1); // interval rules, points, baseline
      expect(byId['chart-confusion'].marks).toBe(4 + 4); // cells and their counts
      // And independently: the canvas scatter is painted, SVG charts hold mark elements.
      expect(byId['chart-pca-scatter'].canvas).toBe(true);
      expect(byId['chart-pca-scatter'].painted).toBeGreaterThan(5000);
      for (const s of stats.filter((x) => !x.canvas)) expect(s.svgMarks, s.id).toBeGreaterThan(0);
      expect(byId['chart-classifier-scores'].svgMarks).toBe(50);

      // The hostile text is shown as text in the samples table, and it never ran.
      const cell = await page.locator('#samples .sample-text').first().textContent();
      expect(cell).toBe(HOSTILE_TEXT.replace(/\s+/g, ' ').trim());
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

      // Hover the most shifted target sample (outlined, drawn on top): the tooltip shows its text as text.
      await page.locator('#chart-pca-scatter canvas').scrollIntoViewIfNeeded();
      const at = await page.evaluate(() => {
        type ViewLike = {
          scale(n: string): (v: number) => number;
          origin(): [number, number];
          padding(): { left: number; top: number };
          data(n: string): { x: number; y: number; rank: number }[];
        };
        const view = (window as unknown as { shiftlensViews: Record<string, ViewLike> }).shiftlensViews['pca-scatter'];
        const first = view.data('highlighted').find((d) => d.rank === 1)!;
        const canvas = document.querySelector('#chart-pca-scatter canvas')!.getBoundingClientRect();
        // Vega's origin excludes the padding, which the canvas includes.
        const [ox, oy] = view.origin();
        const pad = view.padding();
        return {
          x: canvas.left + pad.left + ox + view.scale('x')(first.x),
          y: canvas.top + pad.top + oy + view.scale('y')(first.y),
        };
      });
      await page.mouse.move(at.x, at.y, { steps: 2 });
      await page.locator('.sl-tooltip').waitFor({ state: 'visible' });
      const tip = (await page.locator('.sl-tooltip').textContent()) ?? '';
      expect(tip).toContain('shift rank1');
      expect(tip).toContain('<script>window.__pwned = 1</script>');
      expect(await page.locator('.sl-tooltip script').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await page.mouse.move(0, 0);

      if (keepScreenshots) await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await page.close();
    }
  });

  it('renders a bare report (no texts, labels, classifier or second component) without errors', async () => {
    const fixture = buildFixture({
      nReference: 500,
      nTarget: 400,
      components: 1,
      withTexts: false,
      withProbe: false,
      withClassifier: false,
      shift: 0,
    });
    const { page, errors, requests, url } = await openReport(fixture, 'report-bare');
    try {
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      const stats = await chartStats(page);
      expect(stats.map((s) => s.id)).toEqual(['chart-density-pc1']);
      expect(stats[0].marks).toBe(4 * fixture.view.densities[0].grid.length + edgeMarkCount(fixture.view.densities[0]));
      expect(await page.locator('#verdict .kind').textContent()).toBe('No shift detected');
    } finally {
      await page.close();
    }
  });

  it('screenshotReport writes a 1280 px wide PNG of the top of the report', async () => {
    const fixture = buildFixture({ nReference: 200, nTarget: 200 });
    const html = join(ARTIFACTS, 'report-screenshot.html');
    writeFileSync(html, renderReportHtml(fixture.result, fixture.view));
    const png = join(ARTIFACTS, 'report-top.png');
    await screenshotReport(html, png, { maxHeight: 1500 });
    const bytes = readFileSync(png);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    // PNG header: width and height are big-endian at bytes 16 and 20.
    expect(bytes.readUInt32BE(16)).toBe(1280);
    expect(bytes.readUInt32BE(20)).toBe(1500);
  });
});
