/**
 * Whether the browser tests can run here. Without a Chromium they are skipped with a loud warning — except where
 * CI is set: CI installs Chromium (.ci/run), so there a missing browser must fail the tests, not skip them.
 */
import { accessSync, constants } from 'node:fs';
import { chromiumPath } from '../../src/report/browser.js';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when the browser tests should run; warns (once per file) when they are skipped. */
export function browserTestsRun(what: string): boolean {
  if (executable(chromiumPath()) || process.env.CI) return true;
  console.warn(
    [
      '',
      `!!! SKIPPED: ${what} — no Chromium at ${chromiumPath()}.`,
      '!!! Install it with `apt-get install chromium` (Debian/Ubuntu) or point SHIFTLENS_CHROMIUM at a Chromium binary.',
      '!!! With CI set these tests run and fail when Chromium is missing.',
      '',
    ].join('\n'),
  );
  return false;
}

/**
 * Whether the browser tests keep full-page screenshots in test-artifacts/ for a person to look at
 * (SHIFTLENS_TEST_SCREENSHOTS=1). Off by default: they check nothing and took about 40% of the layout tests' time.
 */
export const keepScreenshots = Boolean(process.env.SHIFTLENS_TEST_SCREENSHOTS);
