/**
 * The report's layout in headless Chromium at 800, 1200 and 1600 px: nothing overflows sideways (the page, any
 * card, table or chart), the test-name column keeps its room however long the effect-size notes are, no two
 * visible text labels of any chart overlap (bounding boxes of the SVG text elements; every chart drawn as SVG
 * here), and the console stays clean. With SHIFTLENS_TEST_SCREENSHOTS=1, full-page screenshots land in
 * test-artifacts/layout-<width>.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, waitForCharts } from '../../src/report/browser.js';
import { overflows, overlappingLabels } from '../../src/report/layoutCheck.js';
import { renderReportHtml } from '../../src/report/renderReportHtml.js';
import { buildReportView } from '../../src/report/reportView.js';
import { browserTestsRun, keepScreenshots } from '../helpers/chromium.js';
import { buildFixture, type Fixture } from './fixtures.js';

const ARTIFACTS = resolve('test-artifacts');
const RUN = browserTestsRun('the report layout tests in headless Chromium (test/report/layout.browser.test.ts)');
const WIDTHS = [800, 1200, 1600];

/** The effect-size names and methods the real detectors write (the long ones that once squeezed the table). */
const REAL_NOTES: Record<string, { effectSizeName: string; method: string }> = {
  mmd: {
    effectSizeName: 'MMD = √max(MMD²_u, 0) (kernel mean embedding distance, 0…√2)',
    method:
      'unbiased MMD² with a Gaussian kernel (median-heuristic bandwidth), 1000 batched permutations, p = (1 + b) / (1 + P)',
  },
  'mmd-linear': {
    effectSizeName: 'MMD = √max(mean block MMD²_u, 0) (kernel mean embedding distance, 0…√2)',
    method: 'block MMD² (blocks of 50) with an asymptotic normal null over 400 blocks',
  },
  energy: {
    effectSizeName: 'energy distance / (2 · mean cross distance), 0…1',
    method: 'energy distance with 1000 permutations on a seeded subsample of 4,000 per side',
  },
  centroid: {
    effectSizeName: 'centroid distance / RMS distance to the pooled centroid',
    method: 'Hotelling-style permutation test of the mean difference',
  },
};

let browser: Browser;

beforeAll(async () => {
  if (!RUN) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

function realisticFixture(): Fixture {
  const f = buildFixture({ nReference: 3000, nTarget: 3000, lengthShift: true });
  f.result.tests = f.result.tests.map((t) => ({ ...t, ...(REAL_NOTES[t.name] ?? {}) }));
  // The centroid test's effect size next to the cosine distance, as in a real run.
  f.result.centroid.cosineDistance = 8.29e-4;
  // A few far outliers on PC1 and PC2 (as real embeddings have): the axes must not stretch to them.
  const t = f.input.target.projection;
  for (let i = 1; i <= 12; i++) {
    t.data[i * t.cols] = 14 + i;
    t.data[i * t.cols + 1] = -9 - i;
  }
  return { ...f, view: buildReportView(f.input) };
}

async function open(html: string, name: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const file = join(ARTIFACTS, `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load' });
  await waitForCharts(page);
  return { page, errors };
}

describe.runIf(RUN)('report layout in headless Chromium', () => {
  const fixture = RUN ? realisticFixture() : null;

  for (const width of WIDTHS) {
    it(`holds at ${width} px: no sideways overflow, no overlapping chart labels, no console errors`, async () => {
      const f = fixture as Fixture;
      const { page, errors } = await open(
        renderReportHtml(f.result, f.view, { scatterRenderer: 'svg' }),
        `layout-${width}`,
        width,
      );
      try {
        expect(errors).toEqual([]);
        expect(await overflows(page)).toEqual([]);
        const labels = await overlappingLabels(page);
        expect(labels.charts).toBeGreaterThanOrEqual(12);
        expect(labels.texts).toBeGreaterThan(200); // the check really saw the axes, legends and titles
        expect(labels.overlaps).toEqual([]);

        // The outliers do not stretch PC1's axis; triangles at its edge mark them (one data mark per side and end).
        const pc1 = f.view.densities[0];
        expect(pc1.hi).toBeLessThan(10);
        expect(pc1.above.target).toBeGreaterThanOrEqual(12);
        const edges = [pc1.below.reference, pc1.below.target, pc1.above.reference, pc1.above.target].filter(
          (n) => n > 0,
        );
        expect(await page.locator('#chart-density-pc1').getAttribute('data-marks')).toBe(
          String(4 * pc1.grid.length + edges.length),
        );
        expect(f.view.scatter?.xRange.nOutside).toBeGreaterThanOrEqual(12);

        // The test-name column keeps its share, and no row grows into a wall of lines.
        const table = await page.$$eval('#tests table.tests tbody tr', (rows) =>
          rows.map((r) => ({
            name: (r.querySelector('td') as HTMLElement).getBoundingClientRect().width,
            table: (r.closest('table') as HTMLElement).getBoundingClientRect().width,
            height: r.getBoundingClientRect().height,
          })),
        );
        expect(table.length).toBe(f.result.tests.length);
        for (const row of table) {
          expect(row.name / row.table).toBeGreaterThan(0.22);
          expect(row.height).toBeLessThan(140);
        }

        // The headline cards name what they show: the centroid card carries the table's effect size.
        const cards = await page.locator('#verdict .figures').textContent();
        const centroid = f.result.tests.find((t) => t.name === 'centroid');
        expect(cards).toContain(String(centroid?.effectSize));
        expect(cards).toContain('cosine distance of the means 8.29e-4');

        if (keepScreenshots) {
          await page.screenshot({ path: join(ARTIFACTS, `layout-${width}.png`), fullPage: true });
          expect(errors).toEqual([]);
        }
      } finally {
        await page.close();
      }
    });
  }

  it('its checks catch what they guard against: overlapping labels, a table wider than its card', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    try {
      await page.setContent(`<section class="card" style="padding:10px;width:500px">
        <div class="chart-holder" id="chart-bad"><svg width="300" height="100">
          <text x="20" y="40" font-size="12">majority baseline</text>
          <text x="30" y="44" font-size="12">reference probe on target</text>
          <text x="20" y="90" font-size="12" opacity="0">hidden label</text>
          <text x="24" y="92" font-size="12">visible label</text>
        </svg></div>
        <table style="width:900px"><tr><td>wide</td></tr></table>
      </section>`);
      const labels = await overlappingLabels(page);
      expect(labels.overlaps).toHaveLength(1);
      expect(labels.overlaps[0]).toContain('"majority baseline" × "reference probe on target"');
      const wide = await overflows(page);
      expect(wide.some((o) => o.includes('table spans'))).toBe(true);
      expect(wide.some((o) => o.startsWith('page:'))).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('draws the canvas scatter at 800 px without overflow, and its tooltip names the label and id', async () => {
    const f = fixture as Fixture;
    const { page, errors } = await open(renderReportHtml(f.result, f.view), 'layout-canvas-800', 800);
    try {
      expect(errors).toEqual([]);
      expect(await overflows(page)).toEqual([]);
      await page.locator('#chart-pca-scatter canvas').scrollIntoViewIfNeeded();
      // Where the most shifted sample's mark was really drawn (it may sit clamped on the edge): from the scenegraph.
      const at = await page.evaluate(() => {
        type Item = { x?: number; y?: number; items?: Mark[]; datum?: { rank?: number } };
        type Mark = { marktype: string; items: Item[] };
        type ViewLike = {
          scenegraph(): { root: Mark };
          origin(): [number, number];
          padding(): { left: number; top: number };
        };
        const view = (window as unknown as { shiftlensViews: Record<string, ViewLike> }).shiftlensViews['pca-scatter'];
        const find = (mark: Mark, ox: number, oy: number): { x: number; y: number } | null => {
          for (const item of mark.items) {
            if (mark.marktype === 'group') {
              for (const child of item.items ?? []) {
                const hit = find(child, ox + (item.x ?? 0), oy + (item.y ?? 0));
                if (hit) return hit;
              }
            } else if (mark.marktype === 'symbol' && item.datum?.rank === 1) {
              return { x: ox + (item.x ?? 0), y: oy + (item.y ?? 0) };
            }
          }
          return null;
        };
        const hit = find(view.scenegraph().root, 0, 0);
        if (!hit) throw new Error('no mark for the most shifted sample');
        const canvas = (document.querySelector('#chart-pca-scatter canvas') as HTMLElement).getBoundingClientRect();
        const [ox, oy] = view.origin();
        const pad = view.padding();
        return { x: canvas.left + pad.left + ox + hit.x, y: canvas.top + pad.top + oy + hit.y };
      });
      await page.mouse.move(at.x, at.y, { steps: 2 });
      await page.locator('.sl-tooltip').waitFor({ state: 'visible' });
      const tip = (await page.locator('.sl-tooltip').textContent()) ?? '';
      const top = f.result.samples.top[0];
      expect(tip).toContain(`label${top.label}`);
      expect(tip).toContain(`id${top.id}`);
      expect(tip).not.toContain('sample #');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
