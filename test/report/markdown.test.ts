import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdownSummary, TERMS_IN_SUMMARY } from '../../src/report/markdown.js';
import { formatCount, formatNumber } from '../../src/report/format.js';
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

  it("shows the probe's notes (e.g. the fit-row cap), with user labels in them escaped", () => {
    const note = 'Each reference probe fit trained on a seeded random 5000 of its training rows (class <b>|x</b>).';
    const withNote = { ...shifted.result, probe: { ...shifted.result.probe!, notes: [note] } };
    const text = renderMarkdownSummary(withNote);
    expect(text).toContain(`_Probe note: ${escapeMarkdown(note)}_`);
    expect(text).not.toContain('<b>');
    expect(md).not.toContain('Probe note');
  });

  it("says which words moved, as the HTML report does: both directions with rates and z, and the shifted samples' words", () => {
    const w = shifted.result.wordShift!;
    expect(w.overRepresented.length).toBeGreaterThan(0);
    expect(w.underRepresented.length).toBeGreaterThan(0);
    expect(md).toContain('**What changed, in words**');
    expect(md).toContain(
      '| More frequent in the target | per 10k words | z | Less frequent in the target | per 10k words | z |',
    );
    const over = w.overRepresented[0];
    const under = w.underRepresented[0];
    const cell = (t: typeof over) =>
      `${escapeMarkdown(t.term)}${t.kind === 'bigram' ? ' (bigram)' : ''} | ${formatNumber(t.ratePer10kReference, 3)} → ${formatNumber(t.ratePer10kTarget, 3)} | ${formatNumber(t.z, 3)}`;
    // The first row pairs the most over- and the most under-represented term.
    expect(md).toContain(`| ${cell(over)} | ${cell(under)} |`);
    expect(over.z).toBeGreaterThan(0);
    expect(under.z).toBeLessThan(0);
    const rows = md.split('\n').filter((l) => /^\| .* \| -?[\d.]+ \|$/.test(l) && l.includes(' → '));
    expect(rows).toHaveLength(
      Math.min(TERMS_IN_SUMMARY, Math.max(w.overRepresented.length, w.underRepresented.length)),
    );
    expect(md).toContain(
      `Counted over ${formatCount(w.nTextsReference)} reference and ${formatCount(w.nTextsTarget)} target texts`,
    );
    const words = w.mostShifted!.terms.slice(0, TERMS_IN_SUMMARY).map((t) => escapeMarkdown(t.term));
    expect(md).toContain(`most shifted target samples: ${words.join(', ')}.`);
    // Before the samples, after the tests, as in the HTML report.
    expect(md.indexOf('What changed, in words')).toBeGreaterThan(md.indexOf('Family-wise'));
    expect(md.indexOf('What changed, in words')).toBeLessThan(md.indexOf('Most shifted target samples'));
  });

  it('neutralises terms and says so when no term moved; no words block for vector sources', () => {
    const f = buildFixture({ nReference: 300, nTarget: 300 });
    const w = f.result.wordShift!;
    w.overRepresented = [{ ...w.overRepresented[0], term: '[x](http://e) | <b>', kind: 'bigram' }];
    const hostile = renderMarkdownSummary(f.result);
    expect(hostile).toContain('| \\[x\\](http://e) \\| &lt;b&gt; (bigram) |');
    expect(hostile).not.toContain('<b>');
    w.overRepresented = [];
    w.underRepresented = [];
    expect(renderMarkdownSummary(f.result)).toContain(
      `No word or bigram seen at least ${w.minCount} times differs between the sets`,
    );
    const vectors = buildFixture({ nReference: 200, nTarget: 200, withTexts: false });
    expect(vectors.result.wordShift).toBeNull();
    expect(renderMarkdownSummary(vectors.result)).not.toContain('What changed, in words');
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
