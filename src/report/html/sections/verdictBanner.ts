/** The verdict banner: kind, headline, the reasons with their numbers, the recommendation, and key figures. */
import type { ShiftlensResult } from '../../../result/resultTypes.js';
import type { VerdictKind } from '../../../probe/probeTypes.js';
import { formatCount, formatNumber, formatPercent, formatPoints, formatPValue } from '../../format.js';
import { html, type SafeHtml } from '../safeHtml.js';
import { sensitivityBasisText } from '../../../verdict/sensitivity.js';

export const VERDICT_LABELS: Record<VerdictKind, string> = {
  sameDistribution: 'No shift detected',
  inconclusive: 'Inconclusive · too few samples to rule out a shift',
  shiftProbeSuffices: 'Shift detected · a linear probe suffices',
  shiftRevisitData: 'Shift detected · revisit the data',
  shiftNoLabels: 'Shift detected · more target labels needed to judge its impact',
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
    centroidFigure(result),
  ];
  if (lowest)
    figures.push({ value: formatNumber(lowest.overlap, 2), label: `lowest density overlap (PC${lowest.index + 1})` });
  const detectable = smallestDetectable(result);
  if (detectable) figures.push(detectable);
  const labels = result.labelShift;
  if (labels && labels.unseen.nRows > 0) {
    figures.push({ value: formatPercent(labels.unseen.share), label: 'target labels of classes the reference lacks' });
  } else if (labels?.test) {
    figures.push({ value: formatPValue(labels.test.pValue), label: 'label proportions test p-value' });
  }
  if (result.probe?.transfer) {
    const gap = result.probe.transfer.gap;
    figures.push({
      value: `${formatPoints(gap.estimate)} [${(gap.lower * 100).toFixed(1)}, ${(gap.upper * 100).toFixed(1)}]`,
      label: `probe transfer gap (accuracy)${result.verdict.transferDecision ? `: ${GAP_WORDS[result.verdict.transferDecision.status]}` : ''}`,
    });
  }
  return html`<section class="card verdict ${v.kind}" id="verdict" aria-label="verdict">
  <div class="kind">${VERDICT_LABELS[v.kind] ?? v.kind}</div>
  <div class="headline">${v.headline}</div>
  <p class="pointer"><a href="#tests">Every test, its p-value and effect size: the table below ↓</a></p>
  ${v.reasons.length ? html`<ul>${v.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : null}
  <p class="recommendation"><strong>What to do:</strong> ${v.recommendation}</p>
  <div class="figures">${figures.map((f) => html`<div class="figure"><div class="value">${f.value}</div><div class="label">${f.label}</div></div>`)}</div>
</section>`;
}

const GAP_WORDS = { within: 'within tolerance', beyond: 'beyond tolerance', undetermined: 'undetermined' } as const;

/** "No shift of at least this size": the smallest detectable shift in words, when no shift was detected. */
function smallestDetectable(result: ShiftlensResult): { value: string; label: string } | null {
  const s = result.verdict.sensitivity;
  if (!s?.word || result.suite.shiftDetected) return null;
  return {
    value: s.word,
    label: `smallest shift detectable here (${sensitivityBasisText(s.basis)}, power ${s.power}, α = ${s.alpha})`,
  };
}

/**
 * The centroid figure shows what the test table shows (the centroid test's effect size, named as there), with the
 * cosine distance named beside it: two different quantities never sit side by side unnamed.
 */
function centroidFigure(result: ShiftlensResult): { value: string; label: string } {
  const cosine = `cosine distance of the means ${formatNumber(result.centroid.cosineDistance, 3)}`;
  const test = result.tests.find((t) => t.name === 'centroid');
  if (!test) return { value: formatNumber(result.centroid.cosineDistance, 3), label: cosine };
  return {
    value: formatNumber(test.effectSize, 3),
    label: `centroid effect size, as in the table (${cosine})`,
  };
}
