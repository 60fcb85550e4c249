/**
 * The Vega runtime inlined into every report (about 0.52 MB minified), so the page draws interactive charts
 * without any network request. Read once per process from the installed `vega` package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | null = null;

export function vegaRuntimeSource(): string {
  if (cached !== null) return cached;
  // `vega`'s exports map only its module entry (build/vega.module.js); the minified bundle sits next to it.
  const entry = createRequire(import.meta.url).resolve('vega');
  const source = readFileSync(join(dirname(entry), 'vega.min.js'), 'utf8');
  // Inside <script>, only "</script" or "<!--" could end or confuse the element; the bundle has neither.
  if (/<\/script|<!--/i.test(source))
    throw new Error('the installed vega.min.js cannot be inlined safely (contains </script or <!--)');
  cached = source;
  return cached;
}
