/** The report's stylesheet: system fonts, light cards, one accent per verdict kind; prints cleanly. */
export const REPORT_CSS = `
:root {
  --ink: #1f2933; --muted: #6b7785; --line: #e3e7ec; --bg: #f5f6f8; --card: #ffffff;
  --ref: #3a6ea5; --tgt: #e8743b;
  --ok: #2f855a; --ok-bg: #eefaf3; --warn: #b7791f; --warn-bg: #fff8eb; --bad: #c53030; --bad-bg: #fff3f3;
  --info: #5a4fcf; --info-bg: #f3f2ff;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page { max-width: 1160px; margin: 0 auto; padding: 24px 28px 48px; }
header.top { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px; margin-bottom: 16px; }
.brand { font-size: 12px; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
h1 { font-size: 22px; line-height: 1.25; margin: 2px 0 0; font-weight: 650; }
h1 .arrow { color: var(--muted); font-weight: 400; padding: 0 6px; }
.side-ref { color: var(--ref); } .side-tgt { color: var(--tgt); }
.meta { color: var(--muted); font-size: 12px; text-align: right; white-space: nowrap; }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 12.5px; margin: 0 0 18px; }
nav.toc a { color: var(--muted); text-decoration: none; border-bottom: 1px dotted #b8c0ca; }
nav.toc a:hover { color: var(--ink); }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px 20px; margin: 0 0 18px; }
section.card > h2 { font-size: 16px; margin: 0 0 4px; font-weight: 650; }
.lead { color: var(--muted); margin: 0 0 14px; max-width: 880px; }
.verdict { border-left: 6px solid var(--muted); }
.verdict.sameDistribution { border-left-color: var(--ok); background: var(--ok-bg); }
.verdict.shiftProbeSuffices { border-left-color: var(--warn); background: var(--warn-bg); }
.verdict.shiftRevisitData { border-left-color: var(--bad); background: var(--bad-bg); }
.verdict.shiftNoLabels { border-left-color: var(--info); background: var(--info-bg); }
.verdict.inconclusive { border-left-color: var(--muted); background: #f1f3f5; } .verdict.inconclusive .kind { color: var(--muted); }
.verdict .kind { font-size: 12px; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; }
.verdict.sameDistribution .kind { color: var(--ok); } .verdict.shiftProbeSuffices .kind { color: var(--warn); }
.verdict.shiftRevisitData .kind { color: var(--bad); } .verdict.shiftNoLabels .kind { color: var(--info); }
.verdict .headline { font-size: 21px; font-weight: 650; margin: 2px 0 10px; line-height: 1.3; }
.verdict ul { margin: 0 0 10px; padding-left: 20px; } .verdict li { margin: 3px 0; }
.verdict .recommendation { margin: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 14px; }
.figure { background: rgba(255,255,255,.75); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; flex: 1 1 130px; }
.figure .value { font-size: 18px; font-weight: 650; font-variant-numeric: tabular-nums; }
.figure .label { font-size: 11.5px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 11.5px; font-weight: 650; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td .sub { display: block; color: var(--muted); font-size: 11.5px; }
tr.shift td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
.badge { display: inline-block; font-size: 11.5px; font-weight: 650; padding: 1px 8px; border-radius: 999px; white-space: nowrap; }
.badge.shift { background: #fde2e2; color: var(--bad); }
.badge.noshift { background: #e6f4ea; color: var(--ok); }
.badge.effect { background: #eef1f5; color: var(--muted); }
.table-note { color: var(--muted); font-size: 12px; margin: 8px 0 0; }
.charts { display: grid; gap: 14px; }
.charts.two { grid-template-columns: repeat(auto-fill, minmax(350px, 1fr)); }
figure.chart { margin: 0; }
figure.chart .chart-holder { min-height: 60px; overflow-x: auto; }
figure.chart figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; max-width: 880px; }
.scatter-row { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 20px; align-items: start; }
.aside { font-size: 13px; color: var(--ink); }
.aside p { margin: 0 0 10px; }
.note { background: #fffbe8; border: 1px solid #f1e3a6; border-radius: 8px; padding: 10px 14px; margin: 0 0 18px; }
.note strong { color: #8a6212; }
.sample-text { font-size: 13px; max-width: 640px; overflow-wrap: anywhere; }
.origin { color: var(--muted); font-size: 11.5px; font-family: var(--mono); overflow-wrap: anywhere; }
.kv { display: grid; grid-template-columns: 220px minmax(0, 1fr); gap: 4px 16px; font-size: 13px; margin: 0; }
.kv dt { color: var(--muted); } .kv dd { margin: 0; overflow-wrap: anywhere; }
h3 { font-size: 13.5px; margin: 18px 0 8px; }
.warnings li { color: #8a6212; }
.probe-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(470px, 1fr)); gap: 18px; align-items: start; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
code { font-family: var(--mono); font-size: 12px; background: #f0f2f5; padding: 1px 4px; border-radius: 4px; }
.sl-tooltip {
  position: fixed; display: none; z-index: 10; max-width: 420px; pointer-events: none;
  background: #1f2933; color: #f5f7fa; font-size: 12px; line-height: 1.4; padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 4px 14px rgba(0,0,0,.25);
}
.sl-tip-row { display: flex; gap: 8px; } .sl-tip-key { color: #9aa5b1; min-width: 64px; }
.sl-tip-value { overflow-wrap: anywhere; } .sl-tip-text { margin-bottom: 4px; }
.sl-tip-text .sl-tip-key { display: none; } .sl-tip-text .sl-tip-value { font-size: 12.5px; }
/* Layout that holds from 800 px up: tables wrap inside their card (fixed layouts, wrapping notes), never scroll. */
td { overflow-wrap: anywhere; } th { overflow-wrap: break-word; } td.num { overflow-wrap: normal; }
td.num > .sub { white-space: normal; }
header.top > div, h1 { min-width: 0; overflow-wrap: anywhere; }
table.tests, table.samples, table.terms { table-layout: fixed; }
table.tests col.c-test { width: 25%; } table.tests col.c-stat { width: 12%; } table.tests col.c-p { width: 10%; }
table.tests col.c-effect { width: 25%; } table.tests col.c-decision { width: 18%; }
table.tests td:first-child .sub { font-size: 11px; }
table.samples col.c-rank { width: 36px; } table.samples col.c-score { width: 84px; }
table.terms col.c-rate { width: 74px; } table.terms col.c-z { width: 62px; }
.verdict .pointer { margin: -4px 0 10px; font-size: 13px; } .verdict .pointer a { color: inherit; }
.badge.label { background: #eef1f5; color: var(--ink); font-family: var(--mono); font-weight: 600; }
.sample-id { font-family: var(--mono); color: var(--ink); }
.words-grid > figure.chart { max-width: 100%; margin-bottom: 6px; }
.term-tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 0 24px; }
.term-tables h3 { margin-top: 6px; }
.term { font-weight: 600; } .kind { font-size: 10.5px; color: var(--muted); }
.words-shifted { margin: 0 0 14px; line-height: 1.9; }
.chip { display: inline-block; background: #fdf0e8; color: #8a3a10; border: 1px solid #f4cfb6; border-radius: 999px; padding: 0 9px; margin: 0 2px; font-size: 12.5px; line-height: 1.6; }
figure.chart { max-width: 100%; }
@media (max-width: 1100px) { .scatter-row { grid-template-columns: 1fr; } }
@media (max-width: 900px) {
  .page { padding: 16px 14px 40px; } section.card { padding: 14px 14px 16px; }
  .kv { grid-template-columns: 1fr; } header.top { flex-wrap: wrap; } .meta { text-align: left; white-space: normal; }
}
@media print { body { background: #fff; } section.card { break-inside: avoid; border-color: #ccc; } nav.toc { display: none; } }
`;
