import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/renderReportHtml.js';
import { buildReportView } from '../../src/report/reportView.js';
import { jsonForScript } from '../../src/report/html/jsonScript.js';
import { html, trusted } from '../../src/report/html/safeHtml.js';
import { buildFixture, HOSTILE_TEXT } from './fixtures.js';

const TWO_MB = 2 * 1024 * 1024;

/** toContain without printing the whole 1 MB page on failure. */
function expectIn(page: string, part: string, present = true): void {
  if (page.includes(part) !== present) throw new Error(`page ${present ? 'lacks' : 'contains'}: ${part}`);
}

/** The chart definitions as the page's script will read them. */
function chartsOf(
  page: string,
): { id: string; datasets: Record<string, { blocks: { columns: Record<string, unknown[]> }[] }> }[] {
  const match = /<script type="application\/json" id="shiftlens-charts">([\s\S]*?)<\/script>/.exec(page);
  if (!match) throw new Error('no chart data in the page');
  return JSON.parse(match[1]);
}

describe('renderReportHtml', () => {
  it('keeps a 100k vs 100k report under 2 MB and says how it subsampled', () => {
    const f = buildFixture({ nReference: 100_000, nTarget: 100_000 });
    const page = renderReportHtml(f.result, f.view);
    const bytes = Buffer.byteLength(page, 'utf8');
    expect(bytes).toBeLessThan(TWO_MB);
    expect(bytes).toBeGreaterThan(600_000); // the Vega runtime and thousands of points are really there
    expectIn(page, 'a seeded random subsample: 2,500 of 100,000 reference and 2,500 of 100,000 target samples');
    const scatter = chartsOf(page).find((c) => c.id === 'pca-scatter')!;
    const points = scatter.datasets.points.blocks.reduce((n, b) => n + b.columns.x.length, 0);
    expect(points).toBe(5000);
  });

  it('stays under 2 MB with long non-ASCII texts on both sides', () => {
    const f = buildFixture({ nReference: 20_000, nTarget: 20_000 });
    const long = (i: number) => `${'日本語のテキストは長い。'.repeat(40)} ${i} ${'<&>"'.repeat(30)}`;
    f.input.reference.texts = f.input.reference.texts!.map((_, i) => long(i));
    f.input.target.texts = f.input.target.texts!.map((_, i) => long(i));
    const view = buildReportView(f.input);
    const page = renderReportHtml(f.result, view);
    expect(Buffer.byteLength(page, 'utf8')).toBeLessThan(TWO_MB);
    expect(view.subsampling.textChars).toBeLessThan(200);
  });

  it('escapes user texts everywhere: no markup from data reaches the page', () => {
    const f = buildFixture({ nReference: 300, nTarget: 300, hostile: true });
    f.result.reference.source = 'data/"train".csv<script>alert(1)</script>';
    f.result.verdict.reasons.push('reason with <b>markup</b>');
    const page = renderReportHtml(f.result, f.view);
    // Only our three script elements exist.
    expect(page.match(/<script/g)).toHaveLength(3);
    expectIn(page, '<script>window.__pwned', false);
    expectIn(page, '<img src=x', false);
    expectIn(page, '<b>markup</b>', false);
    // In the HTML table the text is entity-escaped, in the chart JSON it is \u-escaped.
    expectIn(page, '&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expectIn(page, '\\u003cscript\\u003ewindow.__pwned = 1\\u003c/script\\u003e');
    expectIn(page, 'data/&quot;train&quot;.csv&lt;script&gt;');
    // And the JSON still parses back to the original text.
    const scatter = chartsOf(page).find((c) => c.id === 'pca-scatter')!;
    expect(scatter.datasets.highlighted.blocks[0].columns.text[0]).toBe(HOSTILE_TEXT.replace(/\s+/g, ' ').trim());
  });

  it("shows the probe's notes in the probe section, escaped", () => {
    const full = buildFixture({ nReference: 200, nTarget: 200 });
    const note =
      'The target-only probe used a seeded random 5000 of the 9000 labelled target rows (<i>maxTrainingRows</i>).';
    const result = { ...full.result, probe: { ...full.result.probe!, notes: [note] } };
    const page = renderReportHtml(result, full.view);
    const probe = page.slice(page.indexOf('id="probe"'));
    expectIn(
      probe,
      'The target-only probe used a seeded random 5000 of the 9000 labelled target rows (&lt;i&gt;maxTrainingRows&lt;/i&gt;).',
    );
    expectIn(renderReportHtml(full.result, full.view), 'The target-only probe used', false);
  });

  it('has every section for a labelled shift and drops what does not apply', () => {
    const full = buildFixture({ nReference: 400, nTarget: 400, lengthShift: true });
    const page = renderReportHtml(full.result, full.view);
    for (const id of ['verdict', 'length-note', 'tests', 'where', 'classifier', 'samples', 'probe', 'method']) {
      expectIn(page, `id="${id}"`);
    }
    for (const chart of [
      'pca-scatter',
      'density-pc1',
      'density-pc5',
      'classifier-scores',
      'probe-accuracy',
      'label-efficiency',
      'confusion',
    ]) {
      expectIn(page, `id="chart-${chart}"`);
    }
    expectIn(page, 'Shift detected · revisit the data');
    expectIn(page, '14.2 pts [10.7, 17.7]'); // transfer gap with its interval
    expectIn(page, '86.1% vs 50.0%'); // target separability vs majority baseline
    expectIn(page, 'Texts differ in length');
    expectIn(page, '1000 permutations'); // method: how p-values were computed
    expectIn(page, 'scott rule');
    expectIn(page, '<code>7</code>'); // seed

    const bare = buildFixture({
      nReference: 400,
      nTarget: 400,
      withProbe: false,
      withClassifier: false,
      withTexts: false,
      shift: 0,
    });
    const plain = renderReportHtml(bare.result, bare.view);
    expectIn(plain, 'id="probe"', false);
    expectIn(plain, 'id="classifier"', false);
    expectIn(plain, 'id="length-note"', false);
    expectIn(plain, 'No shift detected');
    expectIn(plain, '(no text: vector source)');
  });

  it('declares a policy that forbids network access and references no URL', () => {
    const f = buildFixture({ nReference: 200, nTarget: 200 });
    const page = renderReportHtml(f.result, f.view);
    expectIn(page, '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;;');
    // No src/href to anything but in-page anchors; the only URLs are XML namespace names inside Vega's code.
    expect(page).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    const urls = (page.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).filter((u) => !u.startsWith('http://www.w3.org/'));
    expect(urls).toEqual([]);
  });
});

describe('html helpers', () => {
  it('html`` escapes interpolations unless trusted', () => {
    expect(html`<p>${'<i>"x" & \'y\'</i>'}</p>`.value).toBe(
      '<p>&lt;i&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/i&gt;</p>',
    );
    expect(html`<p>${trusted('<i>ok</i>')}${[1, null, 'a<']}</p>`.value).toBe('<p><i>ok</i>1a&lt;</p>');
  });

  it('jsonForScript cannot close its script element', () => {
    const s = jsonForScript({ t: '</script><!-- \u2028 &' });
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual({ t: '</script><!-- \u2028 &' });
  });
});
