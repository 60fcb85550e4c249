/** A PNG screenshot of a report.html (for the README and as a test artefact), 1280 px wide, full page. */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { launchChromium, waitForCharts } from './browser.js';

export interface ScreenshotOptions {
  /** Viewport width in CSS pixels (default 1280). */
  width?: number;
  /** Capture the whole page (default) or only the first `height` pixels. */
  fullPage?: boolean;
  height?: number;
}

export async function screenshotReport(htmlPath: string, pngPath: string, options: ScreenshotOptions = {}): Promise<void> {
  const browser = await launchChromium();
  try {
    const width = options.width ?? 1280;
    const height = options.height ?? 900;
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    const pageUrl = pathToFileURL(resolve(htmlPath)).href;
    // The report needs nothing from the network; refuse anything but the file itself.
    await page.route('**/*', (route) => (route.request().url() === pageUrl ? route.continue() : route.abort()));
    await page.goto(pageUrl, { waitUntil: 'load' });
    await waitForCharts(page);
    await page.screenshot({ path: pngPath, fullPage: options.fullPage ?? true });
  } finally {
    await browser.close();
  }
}
