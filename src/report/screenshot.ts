/**
 * A PNG screenshot of a report.html for the README: 1280 px wide, from the top down to at most `maxHeight` pixels
 * (default 2400: the verdict, the tests, the scatter and the densities), or the whole page with maxHeight Infinity.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { launchChromium, waitForCharts } from './browser.js';

export interface ScreenshotOptions {
  /** Viewport width in CSS pixels (default 1280). */
  width?: number;
  /** Tallest image in CSS pixels (default 2400); Infinity captures the whole page. */
  maxHeight?: number;
}

export async function screenshotReport(
  htmlPath: string,
  pngPath: string,
  options: ScreenshotOptions = {},
): Promise<void> {
  const browser = await launchChromium();
  try {
    const width = options.width ?? 1280;
    const maxHeight = options.maxHeight ?? 2400;
    const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    const pageUrl = pathToFileURL(resolve(htmlPath)).href;
    // The report needs nothing from the network; refuse anything but the file itself.
    await page.route('**/*', (route) => (route.request().url() === pageUrl ? route.continue() : route.abort()));
    await page.goto(pageUrl, { waitUntil: 'load' });
    await waitForCharts(page);
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    const clip = pageHeight > maxHeight ? { x: 0, y: 0, width, height: maxHeight } : undefined;
    await page.screenshot({ path: pngPath, fullPage: true, ...(clip ? { clip } : {}) });
  } finally {
    await browser.close();
  }
}
