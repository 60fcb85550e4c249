/**
 * report.html stays under 2 MB in the heaviest case the page has: 50k samples per side, long non-ASCII hover texts,
 * long ids on every point (--id-column), six long labels (so the by-label scatter is drawn) and the word-shift
 * section.
 */
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/renderReportHtml.js';
import { buildReportView } from '../../src/report/reportView.js';
import { buildFixture } from './fixtures.js';

const TWO_MB = 2 * 1024 * 1024;

describe('report size', () => {
  it('stays under 2 MB with ids, labels, long texts and the word shift at 50k per side', () => {
    const f = buildFixture({ nReference: 50_000, nTarget: 50_000 });
    const labels = Array.from({ length: 6 }, (_, k) => `a rather long class name ${k}`);
    for (const side of [f.input.reference, f.input.target]) {
      const n = side.projection.rows;
      side.texts = Array.from({ length: n }, (_, i) => `${'長いテキスト、'.repeat(30)} ${i} ${'<&>"'.repeat(20)}`);
      side.ids = Array.from({ length: n }, (_, i) => `/data/mail/corpus-archive-2026/part-${i % 97}/message-${i}.eml`);
      side.labels = Array.from({ length: n }, (_, i) => labels[i % 6]);
    }
    const view = buildReportView(f.input);
    expect(view.scatter?.labelPanels).toEqual(labels);
    expect(f.result.wordShift?.overRepresented.length).toBeGreaterThan(0);
    const page = renderReportHtml(f.result, view);
    const bytes = Buffer.byteLength(page, 'utf8');
    expect(bytes).toBeLessThan(TWO_MB);
    expect(bytes).toBeGreaterThan(1_400_000); // the texts, ids and points are really there
    expect(page).toContain('chart-pca-scatter-by-label');
    expect(page).toContain('What changed, in words');
    // Ids travel cut from the start (their end tells them apart), within the byte budget.
    expect(view.scatter?.target.id?.[0]).toMatch(/^…/);
    expect(view.subsampling.textChars).toBeLessThan(200);
  });
});
