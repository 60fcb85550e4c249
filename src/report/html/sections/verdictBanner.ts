/** The verdict banner: kind, headline, the reasons with their numbers, the recommendation, and key figures. */
import type { ShiftlensResult } from '../../../result/resultTypes.js';
import type { VerdictKind } from '../../../probe/probeTypes.js';
import { formatCount, formatNumber, formatPoints } from '../../format.js';
import { html, type SafeHtml } from '../safeHtml.js';

export const VERDICT_LABELS: Record<VerdictKind, string> = {
  sameDistribution: 'No shift detected',
  shiftProbeSuffices: 'Shift detected · a linear probe suffices',
  shiftRevisitData: 'Shift detected · revisit the data',
  shiftNoLabels: 'Shift detected · no labels to judge its impact',
};

export function verdictBanner(result: ShiftlensResult): SafeHtml {
  const v = result.verdict;
  const withP = result.tests.filter((t) => t.pValue !== null);
  const flagged = result.tests.filter((t) => t.shift).length;
  const lowest = [...result.pca.components].sort((a, b) => a.overlap - b.overlap)[0];
  const figures: { value: string; label: string }[] = [
    { value: formatCount(result.reference.n), label: 'reference samples' },
    { value: formatCount(result.target.n), label: 'target samples' },
    {
      value: `${flagged} of ${withP.length}`,
      label: `tests flag a shift (α = ${result.suite.alpha}, ${result.suite.correction})`,
    },
    { value: formatNumber(result.centroid.cosineDistance, 3), label: 'centroid cosine distance' },
  ];
  if (lowest)
    figures.push({ value: formatNumber(lowest.overlap, 2), label: `lowest density overlap (PC${lowest.index + 1})` });
  if (result.probe?.transfer) {
    figures.push({ value: formatPoints(result.probe.transfer.gap.estimate), label: 'probe transfer gap (accuracy)' });
  }
  return html`<section class="card verdict ${v.kind}" id="verdict" aria-label="verdict">
  <div class="kind">${VERDICT_LABELS[v.kind] ?? v.kind}</div>
  <div class="headline">${v.headline}</div>
  ${v.reasons.length ? html`<ul>${v.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : null}
  <p class="recommendation"><strong>What to do:</strong> ${v.recommendation}</p>
  <div class="figures">${figures.map((f) => html`<div class="figure"><div class="value">${f.value}</div><div class="label">${f.label}</div></div>`)}</div>
</section>`;
}
