/**
 * `node dist/bench/reportLayout.js <report.html>... [--shots <dir>]`: opens real reports (the demo's, a 20k-per-side
 * run's) in headless Chromium at 800, 1200 and 1600 px and checks what the layout tests check on fixtures: under
 * 2 MB, no console errors or network requests, no sideways overflow, no overlapping chart labels (every chart
 * re-drawn as SVG so its text boxes can be measured). Prints one line per report and width; exits 1 on a finding.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, waitForCharts } from '../src/report/browser.js';
import { overflows, overlappingLabels } from '../src/report/layoutCheck.js';

const SIZE_LIMIT = 2 * 1024 * 1024;
const WIDTHS = [800, 1200, 1600];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const shotsAt = args.indexOf('--shots');
  const shots = shotsAt >= 0 ? resolve(args[shotsAt + 1]) : null;
  const files = args.filter((a, i) => !a.startsWith('--') && (shotsAt < 0 || i !== shotsAt + 1));
  if (!files.length) throw new Error('usage: reportLayout <report.html>... [--shots <dir>]');
  const browser = await launchChromium();
  let failures = 0;
  try {
    for (const file of files) {
      const bytes = statSync(file).size;
      if (bytes >= SIZE_LIMIT) failures++;
      // The same page with every chart drawn as SVG: canvas text cannot be measured.
      const svgFile = `${file}.svg-charts.html`;
      writeFileSync(svgFile, readFileSync(file, 'utf8').replace(/"renderer":"canvas"/g, '"renderer":"svg"'));
      for (const [variant, path] of [
        ['canvas', file],
        ['svg', svgFile],
      ] as const) {
        for (const width of WIDTHS) {
          const url = pathToFileURL(resolve(path)).href;
          const page = await browser.newPage({ viewport: { width, height: 900 } });
          const errors: string[] = [];
          const requests: string[] = [];
          page.on('console', (m) => {
            if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
          });
          page.on('pageerror', (e) => errors.push(e.message));
          page.on('request', (r) => {
            if (r.url() !== url) requests.push(r.url());
          });
          await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
          const started = performance.now();
          await page.goto(url, { waitUntil: 'load' });
          await waitForCharts(page, 120_000);
          const loadMs = performance.now() - started;
          const wide = await overflows(page);
          const labels = variant === 'svg' ? await overlappingLabels(page) : null;
          const findings = [...errors, ...requests, ...wide, ...(labels?.overlaps ?? [])];
          failures += findings.length;
          console.log(
            `${basename(resolve(file, '..'))}/${basename(file)} ${variant} ${width}px: ${(bytes / 1024 / 1024).toFixed(2)} MB, drawn in ${(loadMs / 1000).toFixed(1)} s, ` +
              `${labels ? `${labels.charts} charts / ${labels.texts} labels checked, ` : ''}${findings.length ? `FINDINGS:\n  ${findings.join('\n  ')}` : 'ok'}`,
          );
          if (shots && variant === 'canvas') {
            await page.screenshot({
              path: join(shots, `${basename(resolve(file, '..'))}-${width}.png`),
              fullPage: true,
            });
          }
          await page.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(String(error));
    process.exitCode = 2;
  },
);
