/**
 * monitor-report.html: one self-contained page (inline CSS, inlined Vega runtime, no network) of drift over time —
 * the alarm rule and its guarantee, the p-value, effect sizes and statistics per window with alarms marked, every
 * window in a table, and the most shifted samples of the worst window.
 */
import type { MonitorResult, WindowResult } from '../../monitor/monitorSchema.js';
import { clipText, formatNumber, formatPValue } from '../format.js';
import type { ChartDefinition } from '../charts/chartDefinition.js';
import { chartFigure } from '../html/chartFigure.js';
import { headerTime, renderPage } from '../html/page.js';
import { html, type SafeHtml } from '../html/safeHtml.js';
import { vegaRuntimeSource } from '../html/vegaRuntime.js';
import { buildMonitorCharts } from './monitorCharts.js';

const SAMPLE_CHARS = 400;
const MONITOR_CSS = `
tr.alarm td { background: #fff3f3; } tr.alarm td:first-child { box-shadow: inset 4px 0 0 var(--bad); }
tr.skipped td { color: var(--muted); }
.badge.alarm { background: #fde2e2; color: var(--bad); } .badge.watch { background: var(--info-bg); color: var(--info); }
.badge.below-min-effect { background: var(--warn-bg); color: var(--warn); } .badge.no-shift { background: #e6f4ea; color: var(--ok); }
.badge.muted { background: #eef1f5; color: var(--muted); }
.guarantee { margin: 8px 0 0; font-size: 13px; }
`;

export function renderMonitorReport(result: MonitorResult, timeline: WindowResult[]): string {
  const charts = buildMonitorCharts(result, timeline);
  const byId = new Map(charts.map((c) => [c.id, c]));
  const sections: { id: string; label: string; body: SafeHtml | null }[] = [
    { id: 'summary', label: 'Summary', body: summarySection(result) },
    { id: 'drift', label: 'Drift over time', body: driftSection(byId) },
    { id: 'windows', label: 'Windows', body: windowTable(result, timeline) },
    { id: 'samples', label: 'Worst window', body: samplesSection(result) },
    { id: 'method', label: 'Method', body: methodSection(result) },
  ].filter((s) => s.body !== null);
  return renderPage({
    title: `shiftlens monitor: ${result.reference.source} → ${result.target.source}`,
    brand: 'shiftlens monitor',
    toolVersion: result.tool.version,
    referenceSource: result.reference.source,
    targetSource: result.target.source,
    meta: html`${result.reference.model.id} · ${result.window.spec} windows<br>${headerTime(result.createdAt)} · run ${result.runId} · seed ${result.seed}`,
    schemaNote: `monitor schema ${result.schemaVersion}`,
    extraCss: MONITOR_CSS,
    toc: sections.map(({ id, label }) => ({ id, label })),
    sections: sections.map((s) => s.body),
    charts,
    vegaRuntime: vegaRuntimeSource(),
  });
}

function summarySection(result: MonitorResult): SafeHtml {
  const s = result.summary;
  const kind = s.nAlarms > 0 ? 'shiftRevisitData' : s.nTested > 0 ? 'sameDistribution' : 'inconclusive';
  const word =
    s.nAlarms > 0 ? `${s.nAlarms} alarm${s.nAlarms > 1 ? 's' : ''}` : s.nTested > 0 ? 'no alarm' : 'nothing tested';
  const r = result.alarmRule;
  return html`<section class="card verdict ${kind}" id="summary">
  <div class="kind">${word}</div>
  <div class="headline">${s.headline}</div>
  <ul>
    <li>${s.nWindows} window(s) in this run: ${s.nTested} tested, ${s.nTooSmall} too small to test, ${s.nAlreadyInHistory} already in the history.</li>
    <li>Horizon ${r.family}: ${r.slotsUsed} of ${r.horizon} window slots spent, ${r.slotsLeft} left.</li>
    ${result.history ? html`<li>History <code>${result.history.file}</code>: ${result.history.appended} window(s) appended, ${result.history.superseded} superseded, ${result.history.windowsInHistory} current.</li>` : null}
    ${result.warnings.map((w) => html`<li>${w}</li>`)}
  </ul>
  <p class="guarantee">False alarms: ${r.guarantee}.</p>
</section>`;
}

function driftSection(charts: Map<string, ChartDefinition>): SafeHtml | null {
  const p = charts.get('monitor-pvalues');
  if (!p) return null;
  const effects = charts.get('monitor-effects') as ChartDefinition;
  const stats = charts.get('monitor-statistics') as ChartDefinition;
  return html`<section class="card" id="drift">
  <h2>Drift over time</h2>
  <p class="lead">One point per tested window (this run and the history's earlier runs). Alarms are red triangles.</p>
  ${chartFigure(p)}
  ${chartFigure(effects)}
  ${chartFigure(stats)}
</section>`;
}

function verdictBadge(w: WindowResult): SafeHtml {
  if (w.status === 'too-small') return html`<span class="badge muted">too small</span>`;
  const v = w.verdict ?? 'no-shift';
  const text = v === 'alarm' ? 'ALARM' : v;
  return html`<span class="badge ${v}">${text}</span>${w.status === 'already-in-history' ? html` <span class="badge muted">earlier run</span>` : null}`;
}

function windowTable(result: MonitorResult, timeline: WindowResult[]): SafeHtml {
  const testNames = [...new Set(timeline.flatMap((w) => w.tests.map((t) => t.name)))];
  const rows = result.history ? timeline : result.windows;
  return html`<section class="card" id="windows">
  <h2>Windows</h2>
  <p class="lead">${result.history ? 'Every current window in the history for this reference and window size.' : 'Every window of this run.'} p = the suite's family-wise p-value; p × N = on the horizon's scale (alarm when ≤ α = ${result.alarmRule.alpha}). Effect sizes per test.</p>
  <table>
    <thead><tr><th>Window</th><th class="num">Rows</th><th class="num">Slot</th><th class="num">p</th><th class="num">p × N</th>${testNames.map((t) => html`<th class="num">${t}</th>`)}<th>Verdict</th></tr></thead>
    <tbody>${rows.map((w) => {
      const effects = new Map(w.tests.map((t) => [t.name, t]));
      const cls = w.alarm ? 'alarm' : w.status === 'too-small' ? 'skipped' : '';
      return html`<tr class="${cls}"><td>${w.label}</td><td class="num">${w.n}</td><td class="num">${w.slot === null ? '—' : `${w.family}·${w.slot}`}</td><td class="num">${formatPValue(w.combinedPValue)}</td><td class="num">${formatPValue(w.adjustedPValue)}</td>${testNames.map((t) => html`<td class="num">${formatNumber(effects.get(t)?.effectSize ?? null)}</td>`)}<td>${verdictBadge(w)}</td></tr>`;
    })}</tbody>
  </table>
</section>`;
}

function samplesSection(result: MonitorResult): SafeHtml | null {
  const worst = result.worstWindow;
  if (!worst || worst.topSamples.length === 0) return null;
  const w = result.windows[worst.index];
  return html`<section class="card" id="samples">
  <h2>Most shifted samples of the worst window: ${worst.label}</h2>
  <p class="lead">The tested window with the smallest p-value (${formatPValue(w?.combinedPValue ?? null)}${w?.alarm ? ', an alarm' : ''}). Its rows ranked as compare ranks target samples: the average percentile rank of the domain classifier's out-of-fold P(window) and of the kNN conformal p-value against the reference (higher = less like the reference).</p>
  <table class="samples">
    <colgroup><col class="c-rank"><col class="c-text"><col span="3" class="c-score"></colgroup>
    <thead><tr><th class="num">#</th><th>Text</th><th class="num">Score</th><th class="num">P(window)</th><th class="num">kNN p</th></tr></thead>
    <tbody>${worst.topSamples.map(
      (s, i) => html`<tr><td class="num">${i + 1}</td>
      <td><div class="sample-text">${s.text === null ? html`<span class="empty">(no text: vector source)</span>` : clipText(s.text, SAMPLE_CHARS)}</div>
      <div class="origin">${s.id ? html`<span class="sample-id">id ${s.id}</span> · ` : null}${s.time ? html`${s.time} · ` : null}${s.origin}</div></td>
      <td class="num">${formatNumber(s.combinedScore)}</td><td class="num">${formatNumber(s.classifierProbability)}</td><td class="num">${formatPValue(s.knnPValue)}</td></tr>`,
    )}</tbody>
  </table>
</section>`;
}

function methodSection(result: MonitorResult): SafeHtml {
  const r = result.alarmRule;
  return html`<section class="card" id="method">
  <h2>Method</h2>
  <p>Reference: ${result.reference.source} (${result.reference.n} rows, checksum <code>${result.reference.checksum.slice(0, 16)}…</code>), embedded with ${result.reference.model.id}. Stream: ${result.target.source} (${result.target.n} rows${result.target.timeColumn ? `, time column "${result.target.timeColumn}" read as ${result.target.timeFormat}` : ''}), cut into ${result.window.spec} windows; windows with fewer than ${result.window.minRows} rows are not tested.</p>
  <p>Each window is tested against the reference by the two-sample suite (${r.tests.join(', ')}; ${r.permutations} shared permutations; family-wise over the tests by weighted Westfall–Young min-P and ${r.correction}${r.minEffect !== null ? `; --min-effect ${JSON.stringify(r.minEffect)}` : ''}), at the per-window level α/N. Alarm rule: ${r.method} — ${r.guarantee}. "watch" marks windows whose p-value is ≤ α but not ≤ α/N: no guarantee covers them, they are a hint to look, never an alarm.</p>
</section>`;
}
