/**
 * Drift over time, as Vega-Lite charts like the compare report's: the family-wise p-value per window on a log
 * scale with the alarm level α/N and the watch level α drawn as rules (alarms in red), each test's effect size per
 * window, and each test's statistic per window (one small panel per test: their scales differ).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MonitorResult, WindowResult } from '../../monitor/monitorSchema.js';
import { defineChart, type ChartDefinition } from '../charts/chartDefinition.js';
import { type ChartKind, prepareChartKind, shapesOf } from '../charts/chartTemplates.js';
import { MUTED } from '../charts/theme.js';

export const VERDICT_COLORS: Record<string, string> = {
  alarm: '#c53030',
  'below-min-effect': '#b7791f',
  watch: '#5a4fcf',
  'no-shift': '#2f855a',
};

type MonitorShape = { time: boolean };

/** Time windows on a time axis (bucket start); row windows by their position in the history (whole numbers). */
function xAxis(time: boolean, title: string) {
  return time
    ? { field: 'x', type: 'temporal' as const, title }
    : { field: 'x', type: 'quantitative' as const, title, axis: { tickMinStep: 1, format: 'd' } };
}

function xTitle(result: MonitorResult): string {
  return result.window.kind === 'time'
    ? `window start (${result.window.spec} windows, UTC)`
    : `window (${result.window.spec} each, in stream order)`;
}

function xValue(w: WindowResult, position: number, kind: 'time' | 'rows'): number {
  return kind === 'time' && w.start !== null ? Date.parse(w.start) : position + 1;
}

const MONITOR_SHAPES = shapesOf<MonitorShape>({ time: [false, true] });

type PValueHoles = { xTitle: string; subtitle: string; pFloor: number; level: number; alpha: number };

const pValueKind: ChartKind<MonitorShape, PValueHoles> = {
  name: 'monitor-pvalues',
  shapes: MONITOR_SHAPES,
  holes: { xTitle: 'text', subtitle: 'text', pFloor: 'number', level: 'number', alpha: 'number' },
  spec: ({ time }, h) => {
    const x = xAxis(time, h.xTitle);
    return {
      width: 900,
      height: 240,
      title: { text: 'Drift over time: p-value per window', subtitle: h.subtitle },
      layer: [
        {
          data: { name: 'windows' },
          mark: { type: 'line', color: '#9aa5b1', strokeWidth: 1.5 },
          encoding: {
            x: { ...x },
            y: {
              field: 'p',
              type: 'quantitative',
              title: 'p-value (log scale)',
              scale: { type: 'log', domain: [h.pFloor, 1] },
            },
          },
        },
        {
          data: { name: 'windows' },
          mark: { type: 'point', filled: true, size: 60 },
          encoding: {
            x: { ...x },
            y: { field: 'p', type: 'quantitative', scale: { type: 'log', domain: [h.pFloor, 1] } },
            color: {
              field: 'verdict',
              type: 'nominal',
              title: 'verdict',
              scale: { domain: Object.keys(VERDICT_COLORS), range: Object.values(VERDICT_COLORS) },
              legend: { orient: 'top', direction: 'horizontal' },
            },
            shape: {
              field: 'alarm',
              type: 'nominal',
              legend: null,
              scale: { domain: ['yes', 'no'], range: ['triangle-down', 'circle'] },
            },
            tooltip: [
              { field: 'label', type: 'nominal', title: 'window' },
              { field: 'n', type: 'quantitative', title: 'rows' },
              { field: 'p', type: 'quantitative', title: 'p (family-wise)', format: '.2e' },
              { field: 'adjusted', type: 'quantitative', title: 'p × N', format: '.3f' },
              { field: 'verdict', type: 'nominal' },
            ],
          },
        },
        {
          data: { values: [{ level: h.level }] },
          mark: { type: 'rule', color: VERDICT_COLORS.alarm, strokeWidth: 1.5 },
          encoding: { y: { field: 'level', type: 'quantitative' } },
        },
        {
          data: { values: [{ level: h.alpha }] },
          mark: { type: 'rule', color: MUTED, strokeDash: [4, 4] },
          encoding: { y: { field: 'level', type: 'quantitative' } },
        },
      ],
    } as TopLevelSpec;
  },
};

const TOOLTIP = [
  { field: 'label', type: 'nominal', title: 'window' },
  { field: 'test', type: 'nominal' },
  { field: 'measure', type: 'nominal', title: 'what' },
  { field: 'value', type: 'quantitative', format: '.4g' },
];

const effectKind: ChartKind<MonitorShape, { xTitle: string }> = {
  name: 'monitor-effects',
  shapes: MONITOR_SHAPES,
  holes: { xTitle: 'text' },
  spec: ({ time }, h) =>
    ({
      width: 900,
      height: 220,
      title: {
        text: 'Effect size per window',
        subtitle: 'each test on its own scale (docs/methods.md)',
      },
      data: { name: 'values' },
      mark: { type: 'line', point: true },
      encoding: {
        x: { ...xAxis(time, h.xTitle) },
        y: { field: 'value', type: 'quantitative', title: 'effect size' },
        color: { field: 'test', type: 'nominal', legend: { orient: 'top', direction: 'horizontal' } },
        tooltip: TOOLTIP,
      },
    }) as TopLevelSpec,
};

const statisticKind: ChartKind<MonitorShape, { xTitle: string }> = {
  name: 'monitor-statistics',
  shapes: MONITOR_SHAPES,
  holes: { xTitle: 'text' },
  spec: ({ time }, h) =>
    ({
      title: { text: 'Statistic per window', subtitle: 'one panel per test (independent scales)' },
      data: { name: 'values' },
      facet: { row: { field: 'test', type: 'nominal', title: null } },
      spec: {
        width: 900,
        height: 70,
        mark: { type: 'line', point: true, color: '#3a6ea5' },
        encoding: {
          x: { ...xAxis(time, h.xTitle) },
          y: { field: 'value', type: 'quantitative', title: null, axis: { tickCount: 3 } },
          tooltip: TOOLTIP,
        },
      },
      resolve: { scale: { y: 'independent' } },
    }) as TopLevelSpec,
};

await prepareChartKind(pValueKind);
await prepareChartKind(effectKind);
await prepareChartKind(statisticKind);

export function buildMonitorCharts(result: MonitorResult, timeline: WindowResult[]): ChartDefinition[] {
  const tested = timeline.filter((w) => w.status !== 'too-small' && w.combinedPValue !== null);
  if (tested.length === 0) return [];
  const shape = { time: result.window.kind === 'time' };
  const title = xTitle(result);
  const positions = new Map(timeline.map((w, i) => [w, i]));
  const xs = tested.map((w) => xValue(w, positions.get(w) as number, result.window.kind));
  const level = result.alarmRule.perWindowAlpha;
  const pFloor = Math.min(level / 10, ...tested.map((w) => w.combinedPValue as number));
  const pChart = defineChart(
    'monitor-pvalues',
    'Family-wise p-value of each window on a log scale, with the alarm level and alarms marked',
    pValueKind,
    shape,
    {
      xTitle: title,
      subtitle: `the suite's family-wise p-value · alarm when ≤ α/N = ${level.toPrecision(3)} (red rule) · dashed: α = ${result.alarmRule.alpha}`,
      pFloor,
      level,
      alpha: result.alarmRule.alpha,
    },
    {
      windows: {
        blocks: [
          {
            columns: {
              x: xs,
              p: tested.map((w) => w.combinedPValue as number),
              adjusted: tested.map((w) => w.adjustedPValue as number),
              label: tested.map((w) => w.label),
              n: tested.map((w) => w.n),
              verdict: tested.map((w) => w.verdict ?? 'no-shift'),
              alarm: tested.map((w) => (w.alarm ? 'yes' : 'no')),
            },
          },
        ],
      },
    },
  );

  const perTest = (value: 'effectSize' | 'statistic') => {
    const rows = tested.flatMap((w, k) => w.tests.map((t) => ({ w, t, x: xs[k] })));
    return {
      blocks: [
        {
          columns: {
            x: rows.map((r) => r.x),
            value: rows.map((r) => r.t[value]),
            test: rows.map((r) => r.t.name),
            label: rows.map((r) => r.w.label),
            measure: rows.map((r) => (value === 'effectSize' ? r.t.effectSizeName : 'statistic')),
            alarm: rows.map((r) => (r.w.alarm ? 'yes' : 'no')),
          },
        },
      ],
    };
  };
  const effectChart = defineChart(
    'monitor-effects',
    'Effect size of every test per window',
    effectKind,
    shape,
    { xTitle: title },
    { values: perTest('effectSize') },
  );
  const statisticChart = defineChart(
    'monitor-statistics',
    'Test statistic of every test per window, one panel per test',
    statisticKind,
    shape,
    { xTitle: title },
    { values: perTest('statistic') },
  );
  return [pChart, effectChart, statisticChart];
}
