/**
 * Linear-probe charts: accuracies with intervals (reference held-out, reference probe on target, target's own
 * probe, majority baseline), the target label-efficiency curve, and the transfer confusion matrix.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ProbeResult } from '../../probe/probeTypes.js';
import { defineChart, type ChartDefinition } from './chartDefinition.js';
import { type ChartKind, prepareChartKind, shapesOf } from './chartTemplates.js';
import { INK, MUTED, SIDE_COLORS } from './theme.js';

/** One legend for the probe chart's lines: their colour and their dash are the same key. */
const lineLegend = {
  title: null,
  orient: 'bottom' as const,
  direction: 'horizontal' as const,
  symbolType: 'stroke',
  symbolStrokeWidth: 2,
  symbolSize: 300,
};

type AccuracyShape = { rows: number; baseline: boolean };
type AccuracyHoles = { lo: number; hi: number; lowerTitle: string };

const accuracyKind: ChartKind<AccuracyShape, AccuracyHoles> = {
  name: 'probe-accuracy',
  // The reference's held-out accuracy, and the transfer and the target's own probe where there are.
  shapes: shapesOf<AccuracyShape>({ rows: [1, 2, 3], baseline: [false, true] }),
  holes: { lo: 'number', hi: 'number', lowerTitle: 'text' },
  spec: ({ rows, baseline }, h) => {
    const yField = {
      field: 'what',
      type: 'nominal' as const,
      title: null,
      sort: null,
      axis: { labelLimit: 240, labelFontSize: 11 },
    };
    const xField = accuracyEncoding('estimate', [h.lo, h.hi]);
    const color = {
      field: 'side',
      type: 'nominal' as const,
      scale: { domain: ['reference', 'target'], range: [SIDE_COLORS.reference, SIDE_COLORS.target] },
      legend: null,
    };
    const layers: object[] = [
      {
        data: { name: 'accuracy' },
        mark: { type: 'rule' as const, strokeWidth: 2.5 },
        encoding: { y: yField, x: { ...xField, field: 'lower' }, x2: { field: 'upper' }, color },
      },
      {
        data: { name: 'accuracy' },
        mark: { type: 'point' as const, filled: true, size: 90, opacity: 1 },
        encoding: {
          y: yField,
          x: xField,
          color,
          tooltip: [
            { field: 'what', type: 'nominal' as const, title: 'accuracy of' },
            { field: 'estimate', type: 'quantitative' as const, format: '.3f' },
            { field: 'lower', type: 'quantitative' as const, format: '.3f', title: h.lowerTitle },
            { field: 'upper', type: 'quantitative' as const, format: '.3f', title: 'upper' },
          ],
        },
      },
    ];
    if (baseline) {
      layers.push({
        data: { name: 'baseline' },
        mark: { type: 'rule' as const, strokeDash: [4, 3], color: MUTED },
        encoding: { x: { field: 'value', type: 'quantitative' as const } },
      });
    }
    return {
      width: 280,
      height: rows * 34,
      title: { text: 'Probe accuracy', subtitle: baseline ? 'dashed: majority baseline (target)' : '' },
      layer: layers,
    } as TopLevelSpec;
  },
};
await prepareChartKind(accuracyKind);

export function probeAccuracyChart(probe: ProbeResult): ChartDefinition {
  const rows: { what: string; estimate: number; lower: number; upper: number; side: string }[] = [
    { what: 'reference, held-out', ...probe.reference.accuracy, side: 'reference' },
  ];
  if (probe.transfer) rows.push({ what: 'reference probe → target', ...probe.transfer.accuracy, side: 'target' });
  if (probe.targetOnly) rows.push({ what: 'target probe, held-out', ...probe.targetOnly.accuracy, side: 'target' });
  const baseline = probe.targetOnly?.majorityBaseline ?? null;
  const [lo, hi] = fittedAccuracyDomain([
    ...rows.flatMap((r) => [r.lower, r.upper]),
    ...(baseline !== null ? [baseline] : []),
  ]);
  const datasets: Record<string, { blocks: { columns: Record<string, (number | string)[]> }[] }> = {
    accuracy: { blocks: [{ columns: columnsOf(rows) }] },
  };
  if (baseline !== null) datasets.baseline = { blocks: [{ columns: { value: [baseline] } }] };
  return defineChart(
    'probe-accuracy',
    'Linear-probe accuracy with intervals (dashed: majority-class baseline on the target)',
    accuracyKind,
    { rows: rows.length, baseline: baseline !== null },
    { lo, hi, lowerTitle: `${Math.round(probe.reference.accuracy.level * 100)}% lower` },
    datasets,
  );
}

type EfficiencyShape = { transfer: boolean };
type EfficiencyHoles = { nMin: number; nMax: number; nValues: number[]; lo: number; hi: number; subtitle: string };

/** The reference lines of the label-efficiency chart: the majority baseline, and the transfer where there is one. */
function referenceLineLabels(transfer: boolean): string[] {
  return ['majority baseline', ...(transfer ? ['reference probe on target'] : [])];
}

const efficiencyKind: ChartKind<EfficiencyShape, EfficiencyHoles> = {
  name: 'label-efficiency',
  shapes: shapesOf<EfficiencyShape>({ transfer: [false, true] }),
  holes: { nMin: 'number', nMax: 'number', nValues: 'list', lo: 'number', hi: 'number', subtitle: 'text' },
  spec: ({ transfer }, h) => {
    const x = {
      field: 'nLabels',
      type: 'quantitative' as const,
      title: 'target labels used for training',
      scale: { type: 'log' as const, domain: [h.nMin, h.nMax], nice: false, padding: 10 },
      axis: { values: h.nValues, format: 'd', labelOverlap: 'greedy' as const },
    };
    // Reference lines go in a legend, never as text beside the lines: two lines close together cannot collide.
    const labels = referenceLineLabels(transfer);
    const lineColors = [MUTED, SIDE_COLORS.reference];
    const lineDashes = [
      [4, 3],
      [7, 3],
    ];
    const y = accuracyEncoding('accuracy', [h.lo, h.hi]);
    return {
      width: 340,
      height: 200,
      title: { text: 'Label efficiency on the target', subtitle: h.subtitle },
      layer: [
        {
          data: { name: 'curve' },
          mark: { type: 'area' as const, opacity: 0.12, color: SIDE_COLORS.target },
          encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' } },
        },
        {
          data: { name: 'curve' },
          mark: { type: 'rule' as const, strokeWidth: 1.5, color: SIDE_COLORS.target },
          encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' } },
        },
        {
          data: { name: 'lines' },
          mark: { type: 'rule' as const, strokeWidth: 1.3 },
          encoding: {
            y: { ...y, field: 'value' },
            color: {
              field: 'label',
              type: 'nominal' as const,
              scale: { domain: labels, range: lineColors.slice(0, labels.length) },
              legend: lineLegend,
            },
            strokeDash: {
              field: 'label',
              type: 'nominal' as const,
              scale: { domain: labels, range: lineDashes.slice(0, labels.length) },
              legend: lineLegend,
            },
            tooltip: [
              { field: 'label', type: 'nominal' as const, title: 'line' },
              { field: 'value', type: 'quantitative' as const, format: '.3f', title: 'accuracy' },
            ],
          },
        },
        {
          data: { name: 'curve' },
          mark: {
            type: 'line' as const,
            point: { filled: true, size: 40, color: SIDE_COLORS.target },
            color: SIDE_COLORS.target,
          },
          encoding: {
            x,
            y,
            tooltip: [
              { field: 'nLabels', type: 'quantitative' as const, title: 'labels' },
              { field: 'accuracy', type: 'quantitative' as const, format: '.3f' },
              { field: 'lower', type: 'quantitative' as const, format: '.3f' },
              { field: 'upper', type: 'quantitative' as const, format: '.3f' },
            ],
          },
        },
      ],
    } as TopLevelSpec;
  },
};
await prepareChartKind(efficiencyKind);

export function labelEfficiencyChart(probe: ProbeResult): ChartDefinition | null {
  const curve = probe.targetOnly?.labelEfficiency ?? [];
  if (curve.length < 2 || !probe.targetOnly) return null;
  const ns = curve.map((p) => p.nLabels);
  const transfer = probe.transfer !== null && probe.transfer !== undefined;
  const values = [probe.targetOnly.majorityBaseline, ...(probe.transfer ? [probe.transfer.accuracy.estimate] : [])];
  const refLines = referenceLineLabels(transfer).map((label, i) => ({ label, value: values[i] }));
  // The axis follows the data (with the reference lines), so the band where the curve moves is not squashed.
  const [lo, hi] = fittedAccuracyDomain([...curve.flatMap((p) => [p.lower, p.upper]), ...values]);
  return defineChart(
    'label-efficiency',
    'Target label-efficiency curve of the linear probe',
    efficiencyKind,
    { transfer },
    {
      nMin: Math.min(...ns),
      nMax: Math.max(...ns),
      nValues: ns,
      lo,
      hi,
      subtitle: `target-trained probe · whiskers and band: ${Math.round(probe.targetOnly.accuracy.level * 100)}% interval`,
    },
    {
      curve: { blocks: [{ columns: columnsOf(curve) }] },
      lines: { blocks: [{ columns: columnsOf(refLines) }] },
    },
  );
}

/** An accuracy axis fitted to the values shown: their range plus a margin, within [0, 1], at least 10 points wide. */
export function fittedAccuracyDomain(values: number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (!finite.length) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const margin = Math.max(0.02, 0.08 * (hi - lo));
  lo -= margin;
  hi += margin;
  if (hi - lo < 0.1) {
    const mid = (lo + hi) / 2;
    lo = mid - 0.05;
    hi = mid + 0.05;
  }
  // Whole percentage points, so the axis ticks read cleanly.
  lo = Math.max(0, Math.floor(lo * 100) / 100);
  hi = Math.min(1, Math.ceil(hi * 100) / 100);
  return [lo, hi];
}

type ConfusionHoles = { size: number };

const confusionKind: ChartKind<Record<string, never>, ConfusionHoles> = {
  name: 'confusion',
  shapes: [{}],
  holes: { size: 'number' },
  spec: (_, h) => ({
    width: h.size,
    height: h.size,
    title: { text: 'Reference probe on the target', subtitle: 'counts · colour: share of true class' },
    data: { name: 'cells' },
    encoding: {
      // The classes in the rows' order (row-major over the class list), as the matrix lists them.
      x: { field: 'predicted', type: 'nominal' as const, sort: null, title: 'predicted', axis: { labelAngle: 0 } },
      y: { field: 'actual', type: 'nominal' as const, sort: null, title: 'true label' },
    },
    layer: [
      {
        mark: { type: 'rect' as const, stroke: '#ffffff', strokeWidth: 1 },
        encoding: {
          color: {
            field: 'share',
            type: 'quantitative' as const,
            scale: { domain: [0, 1], scheme: 'blues' },
            legend: null,
          },
          tooltip: [
            { field: 'actual', type: 'nominal' as const, title: 'true' },
            { field: 'predicted', type: 'nominal' as const },
            { field: 'count', type: 'quantitative' as const },
            { field: 'share', type: 'quantitative' as const, format: '.1%', title: 'share of true class' },
          ],
        },
      },
      {
        mark: { type: 'text' as const, fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' as const },
          color: { condition: { test: 'datum.share > 0.6', value: '#ffffff' }, value: INK },
        },
      },
    ],
  }),
};
await prepareChartKind(confusionKind);

export function confusionChart(probe: ProbeResult): ChartDefinition | null {
  const confusion = probe.transfer?.confusion;
  if (!confusion || confusion.classes.length === 0) return null;
  const rows: { actual: string; predicted: string; count: number; share: number }[] = [];
  confusion.matrix.forEach((counts, i) => {
    const total = counts.reduce((a, b) => a + b, 0);
    counts.forEach((count, j) => {
      rows.push({
        actual: confusion.classes[i],
        predicted: confusion.classes[j],
        count,
        share: total > 0 ? count / total : 0,
      });
    });
  });
  const k = confusion.classes.length;
  const cell = Math.max(28, Math.min(64, Math.floor(320 / k)));
  return defineChart(
    'confusion',
    'Confusion matrix of the reference-trained probe on the target',
    confusionKind,
    {},
    { size: cell * k },
    { cells: { blocks: [{ columns: columnsOf(rows) }] } },
  );
}

/** Rows of uniform objects to columns. */
function columnsOf<T extends object>(rows: T[]): Record<string, (number | string)[]> {
  const out: Record<string, (number | string)[]> = {};
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) (out[key] ??= []).push(value as number | string);
  }
  return out;
}

/** A quantitative accuracy encoding on a fitted domain (percent ticks): both probe charts use it. */
function accuracyEncoding(field: string, domain: [number, number]) {
  return {
    field,
    type: 'quantitative' as const,
    title: 'accuracy',
    scale: { domain, nice: false, zero: false },
    axis: { format: '.0%', tickCount: 5 },
  };
}
