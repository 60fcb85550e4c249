/** compare --finetune: the linear probe, an MLP head and fine-tuning side by side (result.finetune, src/finetune). */
import type { FinetuneMethodResult } from '../../../finetune/finetuneTypes.js';
import type { Interval } from '../../../probe/probeTypes.js';
import type { ShiftlensResult } from '../../../result/resultTypes.js';
import { formatCount, formatInterval } from '../../format.js';
import { html, type SafeHtml } from '../safeHtml.js';

const NAMES: Record<FinetuneMethodResult['method'], string> = {
  linearProbe: 'Linear probe (frozen)',
  mlpHead: 'MLP head (frozen)',
  fineTune: 'Fine-tuned representation',
};

function points(i: Interval | null | undefined): string {
  if (!i) return '–';
  const p = (x: number) => (100 * x).toFixed(1);
  return `${p(i.estimate)} [${p(i.lower)}, ${p(i.upper)}]`;
}

function interval(i: Interval | null): string {
  return i ? formatInterval(i.estimate, i.lower, i.upper) : '–';
}

export function finetuneSection(result: ShiftlensResult): SafeHtml | null {
  const f = result.finetune;
  if (!f) return null;
  const level = Math.round((f.methods[0]?.referenceAccuracy.level ?? 0.95) * 100);
  return html`<section class="card" id="finetune">
  <h2>Fine-tuning versus probe</h2>
  <p class="lead">${f.summary}</p>
  <p>One stratified reference split (${formatCount(f.split.train)} train, ${formatCount(f.split.validation)} validation for early stopping and hyper-parameters, ${formatCount(f.split.test)} test); ${formatCount(f.target.nScored)} labelled target rows scored, never trained on. ${level}% bootstrap intervals; differences to the probe are paired over the same rows.</p>
  <table>
    <thead><tr><th>Method</th><th class="num">Reference accuracy</th><th class="num">Target accuracy</th><th class="num">Gap (points)</th><th class="num">Target vs probe (points)</th><th class="num">CKA with frozen</th><th class="num">Domain AUC before → after</th><th class="num">Training</th></tr></thead>
    <tbody>${f.methods.map(
      (m) =>
        html`<tr><td>${NAMES[m.method]}</td><td class="num">${interval(m.referenceAccuracy)}</td><td class="num">${interval(m.targetAccuracy)}</td><td class="num">${points(m.gap)}</td><td class="num">${points(m.versusProbe?.target)}</td><td class="num">${m.representation.cka.toFixed(3)}</td><td class="num">${m.representation.before.domainAuc.toFixed(3)} → ${m.representation.after.domainAuc.toFixed(3)}</td><td class="num">${(m.training.totalMs / 1000).toFixed(1)} s</td></tr>`,
    )}</tbody>
  </table>
  <p class="table-note">${f.methods.map((m) => `${NAMES[m.method]}: ${m.description}.`).join(' ')}</p>
</section>`;
}
