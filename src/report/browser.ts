/**
 * Headless Chromium for the report (screenshots, the browser test, the load-time benchmark): Debian's
 * /usr/bin/chromium (override with SHIFTLENS_CHROMIUM) driven by playwright-core, with every background network
 * feature off so the only traffic is what the page itself asks for (and the report asks for none).
 */
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.SHIFTLENS_CHROMIUM || '/usr/bin/chromium';
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  } catch (error) {
    throw new Error(
      `could not start Chromium at ${chromiumPath()} (install Debian's chromium or set SHIFTLENS_CHROMIUM): ${String(error).split('\n')[0]}`,
    );
  }
}

/** Wait until the report's script has drawn every chart (body[data-charts-ready]). */
export async function waitForCharts(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForSelector('body[data-charts-ready="true"]', { timeout: timeoutMs });
}
