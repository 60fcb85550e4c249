import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdownSummary } from '../../src/report/markdown.js';
import { buildFixture, HOSTILE_TEXT } from './fixtures.js';

describe('renderMarkdownSummary', () => {
  const shifted = buildFixture({ nReference: 300, nTarget: 300, hostile: true, lengthShift: true });
  const md = renderMarkdownSummary(shifted.result);

  it('leads with the verdict, its reasons and the recommendation', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('### ❌ shiftlens: Shift detected · revisit the data');
    expect(md).toContain(
      '**The target differs from the reference, and a reference-trained probe loses 14 points on it.**',
    );
    expect(md).toContain('- 5 of 5 tests reject at α = 0.05 (Holm); the domain classifier reaches AUC 0.714.');
    expect(md).toContain('**What to do:** Label some target data');
  });

  it('has the test table with p-values, adjusted p, effect sizes and decisions', () => {
    expect(md).toContain('| Test | Statistic | p-value | Adjusted p | Effect size | Decision |');
    expect(md).toContain(
      '| MMD (Gaussian kernel, permutation) | 0.09120 | 1.0e-3 | 0.005 | 0.118 (MMD² / mean within-sample kernel; small on its 1-D scale) | **shift** |',
    );
    expect(md).toContain(
      '| Fréchet distance | 0.7310 | — | — | 0.731 (Fréchet distance; large on its 1-D scale) | effect size only |',
    );
    expect(md).toContain('→ **shift detected**.');
    // One header, one separator, one row per test.
    const rows = md
      .split('\n')
      .filter(
        (l) => l.startsWith('| ') && l.includes('|') && /\| (\*\*shift\*\*|no shift|effect size only) \|$/.test(l),
      );
    expect(rows).toHaveLength(shifted.result.tests.length);
  });

  it('adds the probe, the length note, and the top samples with neutralised text', () => {
    expect(md).toContain('| transfer gap (reference − target) | 0.142 [0.107, 0.177] |');
    expect(md).toContain('> **Length shift.** Texts differ in length');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;script&gt;window.\\_\\_pwned = 1&lt;/script&gt;');
    expect(HOSTILE_TEXT).toContain('<script>');
  });

  it('says no shift plainly and leaves out what does not apply', () => {
    const same = buildFixture({ nReference: 200, nTarget: 200, shift: 0, withProbe: false, withTexts: false });
    const text = renderMarkdownSummary(same.result);
    expect(text.split('\n')[0]).toBe('### ✅ shiftlens: No shift detected');
    expect(text).toContain('→ no shift detected.');
    expect(text).not.toContain('Linear probe');
    expect(text).not.toContain('Length shift');
    expect(text).not.toContain('Most shifted target samples');
  });

  it('escapeMarkdown neutralises table pipes, links, emphasis and HTML', () => {
    expect(escapeMarkdown('a | b [x](http://e) *y* <b>\n`c` _~')).toBe(
      'a \\| b \\[x\\](http://e) \\*y\\* &lt;b&gt; \\`c\\` \\_\\~',
    );
  });
});
