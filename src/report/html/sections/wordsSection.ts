/**
 * "What changed, in words": the terms over- and under-represented in the target (log-odds ratio with an
 * informative Dirichlet prior, z-scores), as a chart and two tables, and the words of the most shifted samples.
 */
import type { ShiftlensResult, TermShift } from '../../../result/resultTypes.js';
import type { ReportCharts } from '../../charts/reportCharts.js';
import { formatCount, formatNumber } from '../../format.js';
import { chartFigure } from '../chartFigure.js';
import { html, type SafeHtml } from '../safeHtml.js';

/** Terms per table (result.json keeps up to 25 per direction). */
export const WORD_TABLE_TERMS = 15;

function termTable(title: string, terms: TermShift[], kind: 'over' | 'under'): SafeHtml {
  if (!terms.length) return html`<div><h3>${title}</h3><p class="empty">No term reaches the minimum count.</p></div>`;
  return html`<div>
  <h3>${title}</h3>
  <table class="terms ${kind}">
    <colgroup><col class="c-term"><col class="c-rate"><col class="c-rate"><col class="c-z"></colgroup>
    <thead><tr><th>Term</th><th class="num" title="occurrences per 10,000 words">Ref. per 10k</th><th class="num" title="occurrences per 10,000 words">Target per 10k</th><th class="num">z</th></tr></thead>
    <tbody>${terms.slice(0, WORD_TABLE_TERMS).map(
      (
        t,
      ) => html`<tr><td><span class="term">${t.term}</span>${t.kind === 'bigram' ? html` <span class="kind">bigram</span>` : null}<span class="sub">${formatCount(t.countReference)} → ${formatCount(t.countTarget)} times</span></td>
      <td class="num">${formatNumber(t.ratePer10kReference, 3)}</td><td class="num">${formatNumber(t.ratePer10kTarget, 3)}</td><td class="num">${formatNumber(t.z, 3)}</td></tr>`,
    )}</tbody>
  </table>
</div>`;
}

export function wordsSection(result: ShiftlensResult, charts: ReportCharts): SafeHtml | null {
  const w = result.wordShift;
  if (!w) return null;
  const shifted = w.mostShifted;
  return html`<section class="card" id="words">
  <h2>What changed, in words</h2>
  <p class="lead">Words and bigrams whose share of the text differs between the sets, ranked by the log-odds ratio with an
  informative Dirichlet prior (Monroe, Colaresi &amp; Quinn 2008), which keeps rare words from topping the list by chance.
  z &gt; 0: more frequent in the target; |z| above about 3 is rarely chance even among thousands of terms.
  Counted over ${formatCount(w.nTextsReference)} reference and ${formatCount(w.nTextsTarget)} target texts${w.subsampled ? ' (a seeded subsample)' : ''},
  ${formatCount(w.nWordsReference)} and ${formatCount(w.nWordsTarget)} words; ${formatCount(w.nTermsRanked)} terms seen at least ${w.minCount} times.</p>
  ${
    shifted?.terms.length
      ? html`<p class="words-shifted"><strong>Words of the ${formatCount(shifted.nSamples)} most shifted target samples</strong> (against the reference):
    ${shifted.terms.map((t) => html`<span class="chip" title="z = ${formatNumber(t.z, 3)}; ${formatCount(t.countTarget)} times in these samples, ${formatCount(t.countReference)} in the reference">${t.term}</span>`)}</p>`
      : null
  }
  <div class="words-grid">
    ${charts.wordShift ? chartFigure(charts.wordShift) : null}
    <div class="term-tables">
      ${termTable('More frequent in the target', w.overRepresented, 'over')}
      ${termTable('Less frequent in the target', w.underRepresented, 'under')}
    </div>
  </div>
</section>`;
}
