/** The verdict's new parts as the report and summary.md render them: inconclusive, "of at least this size", label shift. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { compareLabelDistributions } from '../../src/probe/labelShift.js';
import { renderReportHtml } from '../../src/report/renderReportHtml.js';
import { renderMarkdownSummary } from '../../src/report/markdown.js';
import { validateResult } from '../../src/result/schema.js';
import { decideVerdict } from '../../src/verdict/decide.js';
import { buildFixture } from './fixtures.js';

const repeat = (label: string, n: number) => Array.from({ length: n }, () => label);

describe('verdict rendering', () => {
  it('probe section: the separability gap with its interval decision and the transfer decision', () => {
    const f = buildFixture({ nReference: 300, nTarget: 300 });
    const probe = f.result.probe;
    if (!probe?.targetOnly) throw new Error('fixture has no target-only probe');
    const withGap = {
      ...probe,
      targetOnly: {
        ...probe.targetOnly,
        separabilityGap: { estimate: 0.012, lower: -0.026, upper: 0.049, level: 0.95 },
      },
    };
    const verdict = decideVerdict({ tests: f.result.tests, suite: f.result.suite, probe: withGap });
    const page = renderReportHtml({ ...f.result, probe: withGap, verdict }, f.view);
    expect(page).toContain('1.2 pts [-2.6, 4.9]');
    expect(page).toContain('within tolerance of 5.0 pts');
    expect(verdict.separabilityDecision?.status).toBe('within');
  });

  it('inconclusive: its own label in the banner and summary.md, the detectable size in both, a valid result.json', () => {
    const f = buildFixture({ nReference: 12, nTarget: 12 });
    const tests = f.result.tests.map((t) => ({
      ...t,
      shift: false,
      pValueAdjusted: 0.5,
      pValue: t.pValue === null ? null : 0.4,
    }));
    const suite = {
      ...f.result.suite,
      shiftDetected: false,
      statisticallySignificant: false,
      practicallySignificant: false,
    };
    const verdict = decideVerdict({ tests, suite, probe: null, sampleSizes: { reference: 12, target: 12 } });
    const result = { ...f.result, tests, suite, probe: null, verdict };
    expect(verdict.kind).toBe('inconclusive');
    expect(() => validateResult(result)).not.toThrow();
    const md = renderMarkdownSummary(result);
    expect(md.split('\n')[0]).toBe('### ❔ shiftlens: Inconclusive · too few samples to rule out a shift');
    expect(md).toContain(
      'no shift detected of at least large size (by the sample-size bound, power 0.8; smaller shifts could go unnoticed)',
    );
    const page = renderReportHtml(result, f.view);
    expect(page).toContain('class="card verdict inconclusive"');
    expect(page).toContain('Inconclusive · too few samples to rule out a shift');
    expect(page).toContain('smallest shift detectable here (by the sample-size bound, power 0.8, α = 0.05)');
  });

  it('label shift: counts per class with the new class marked, the test, in summary.md and the report', () => {
    const f = buildFixture({ nReference: 200, nTarget: 200 });
    const labelShift = compareLabelDistributions(
      [...repeat('ham', 100), ...repeat('spam', 100)],
      [...repeat('ham', 75), ...repeat('spam', 75), ...repeat('phishing', 50)],
      null,
      createRng(1),
    );
    const verdict = decideVerdict({
      tests: f.result.tests,
      suite: f.result.suite,
      probe: f.result.probe,
      labelShift,
      sampleSizes: { reference: 200, target: 200 },
    });
    const result = { ...f.result, labelShift, verdict };
    expect(verdict.labelShiftDetected).toBe(true);
    expect(() => validateResult(result)).not.toThrow();
    const md = renderMarkdownSummary(result);
    expect(md).toContain('| phishing (new in target) | 0 | 50 (25.0%) |');
    expect(md).toContain('Label shift: 25.0% of target labels are classes the reference lacks; proportions test p = ');
    expect(md).toContain('→ **label shift**.');
    expect(md).toMatch(/Cohen's w = 0\.\d+ \((small|medium|large|negligible)\)/);
    const page = renderReportHtml(result, f.view);
    expect(page).toContain('phishing (new in target)');
    expect(page).toContain('target labels of classes the reference lacks');
    // Effect sizes in words in the test table (the fixture's MMD 0.118 is small on the 1-D anchor scale).
    expect(page).toContain('0.118 <strong>small on its 1-D scale</strong>');
  });
});
