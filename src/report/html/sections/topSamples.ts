/** The most shifted target samples with their per-sample scores (texts escaped and clipped). */
import type { ShiftlensResult } from '../../../result/resultTypes.js';
import { clipText, formatNumber, formatPValue } from '../../format.js';
import { html, type SafeHtml } from '../safeHtml.js';

export const TOP_SAMPLES_SHOWN = 25;
export const TOP_SAMPLE_CHARS = 400;

export function topSamplesSection(result: ShiftlensResult): SafeHtml | null {
  const rows = result.samples.top.slice(0, TOP_SAMPLES_SHOWN);
  if (!rows.length) return null;
  const has = {
    classifier: rows.some((r) => r.classifierProbability !== null),
    knn: rows.some((r) => r.knnDistance !== null),
    knnP: rows.some((r) => r.knnPValue !== null),
    witness: rows.some((r) => r.mmdWitness !== null),
  };
  const more = result.samples.top.length > rows.length ? ` (first ${rows.length} of ${result.samples.top.length})` : '';
  return html`<section class="card" id="samples">
  <h2>Most shifted target samples${more}</h2>
  <p class="lead">Target samples ranked by a combined score (ranks averaged over the per-sample scores below; higher = less like the reference).
  ${has.classifier ? 'P(target) is the domain classifier’s out-of-fold probability. ' : ''}${has.knn ? 'kNN distance is the distance to the nearest reference neighbours' : ''}${has.knnP ? ', with its conformal p-value against the reference’s own distances' : ''}${has.knn ? '. ' : ''}${has.witness ? 'MMD witness > 0 means the sample sits where target density exceeds reference density.' : ''}
  ${result.samples.allScoresFile ? html`Scores for every target sample: <code>${result.samples.allScoresFile}</code>.` : null}</p>
  ${
    result.wordShift?.mostShifted?.terms.length
      ? html`<p class="table-note">Words that characterise the most shifted samples: ${result.wordShift.mostShifted.terms
          .slice(0, 8)
          .map((t) => t.term)
          .join(', ')} (<a href="#words">more in “What changed, in words”</a>).</p>`
      : null
  }
  <table class="samples">
    <colgroup><col class="c-rank"><col class="c-text"><col span="${1 + Number(has.classifier) + Number(has.knn) + Number(has.knnP) + Number(has.witness)}" class="c-score"></colgroup>
    <thead><tr><th class="num">#</th><th>Text</th><th class="num">Score</th>${has.classifier ? html`<th class="num">P(target)</th>` : null}${has.knn ? html`<th class="num">kNN dist.</th>` : null}${has.knnP ? html`<th class="num">kNN p</th>` : null}${has.witness ? html`<th class="num">Witness</th>` : null}</tr></thead>
    <tbody>${rows.map(
      (r, i) => html`<tr>
      <td class="num">${i + 1}</td>
      <td><div class="sample-text">${r.text === null ? html`<span class="empty">(no text: vector source)</span>` : clipText(r.text, TOP_SAMPLE_CHARS)}</div>
      <div class="origin">${r.label !== null && r.label !== undefined && r.label !== '' ? html`<span class="badge label">${r.label}</span> ` : null}${r.id !== null && r.id !== undefined ? html`<span class="sample-id">id ${r.id}</span> · ` : null}${r.origin}</div></td>
      <td class="num">${formatNumber(r.combinedScore)}</td>
      ${has.classifier ? html`<td class="num">${formatNumber(r.classifierProbability)}</td>` : null}
      ${has.knn ? html`<td class="num">${formatNumber(r.knnDistance)}</td>` : null}
      ${has.knnP ? html`<td class="num">${formatPValue(r.knnPValue)}</td>` : null}
      ${has.witness ? html`<td class="num">${formatNumber(r.mmdWitness)}</td>` : null}
    </tr>`,
    )}</tbody>
  </table>
</section>`;
}
