import { beforeAll, describe, expect, it } from 'vitest';
import { concatRows, selectRows } from '../../src/core/matrix.js';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { monitorStream, type MonitorRun } from '../../src/monitor/runMonitor.js';
import { parseWindowSpec } from '../../src/monitor/windowSpec.js';
import { chartToSvg } from '../../src/report/charts/renderSvg.js';
import { buildMonitorCharts } from '../../src/report/monitor/monitorCharts.js';
import { renderMonitorReport } from '../../src/report/monitor/renderMonitorReport.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';
import { vectorReference } from '../../src/monitor/vectorReference.js';

const DAY = 86_400_000;
let run: MonitorRun;

beforeAll(async () => {
  // Three days of held-out ham, then two of spam (the texts carry markup to check escaping).
  const ham = await loadRealEmbeddings('easy-ham-1');
  const spam = await loadRealEmbeddings('spam-2');
  const order = createRng(9).permutation(ham.rows);
  const reference = await vectorReference('easy-ham-1', selectRows(ham, order.subarray(0, 200)));
  const vectors = concatRows(
    selectRows(ham, order.subarray(200, 290)),
    selectRows(
      spam,
      Uint32Array.from({ length: 60 }, (_, i) => i),
    ),
  );
  const t0 = Date.UTC(2024, 2, 1);
  const times = Float64Array.from({ length: vectors.rows }, (_, i) => t0 + Math.floor(i / 30) * DAY + i);
  run = await monitorStream(
    reference,
    {
      source: 'stream.csv',
      vectors,
      texts: Array.from({ length: vectors.rows }, (_, i) =>
        i < 90 ? `ham ${i}` : `<script>alert(${i})</script> spam`,
      ),
      origins: Array.from({ length: vectors.rows }, (_, i) => `stream.csv row ${i + 1}`),
      ids: null,
      times,
      timeColumn: 'ts',
      timeFormat: 'iso',
      nRead: vectors.rows,
      nEmpty: 0,
    },
    {
      window: parseWindowSpec('1d'),
      minWindowRows: 10,
      alpha: 0.05,
      horizon: 5,
      permutations: 199,
      tests: ['mmd', 'c2st', 'centroid'],
      correction: 'holm',
      minEffect: null,
      topSamples: 5,
      seed: 2,
    },
    silentProgress,
  );
}, 120_000);

describe('monitor report', () => {
  it('alarms on the spam days and ranks the worst window’s samples', () => {
    expect(run.result.windows.map((w) => w.alarm)).toEqual([false, false, false, true, true]);
    expect(['2024-03-04', '2024-03-05']).toContain(run.result.summary.worstWindow);
    expect(run.result.worstWindow?.topSamples).toHaveLength(5);
    for (const s of run.result.worstWindow?.topSamples ?? []) expect(s.text).toMatch(/spam$/);
  });

  it('draws one p-value point per window (alarms marked) and one line point per test and window', async () => {
    const charts = buildMonitorCharts(run.result, run.timeline);
    expect(charts.map((c) => c.id)).toEqual(['monitor-pvalues', 'monitor-effects', 'monitor-statistics']);
    const p = charts[0].datasets.windows.blocks[0].columns;
    expect(p.alarm).toEqual(['no', 'no', 'no', 'yes', 'yes']);
    expect(p.x).toEqual([0, 1, 2, 3, 4].map((d) => Date.UTC(2024, 2, 1) + d * DAY));
    const svg = await chartToSvg(charts[0]);
    // One symbol per window (3 circles, 2 alarm triangles), beside the line and the two level rules.
    const symbols = /<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/s.exec(svg)?.[1] ?? '';
    expect(symbols.match(/<path /g)).toHaveLength(5);
    expect(svg.match(/<g class="mark-rule role-mark/g)).toHaveLength(2);
    expect(svg).toContain('Drift over time: p-value per window');
    const effects = charts[1].datasets.values.blocks[0].columns;
    expect(effects.test).toHaveLength(15);
    await expect(chartToSvg(charts[2])).resolves.toContain('Statistic per window');
  });

  it('renders a self-contained page with every window, the guarantee and escaped texts', () => {
    const html = renderMonitorReport(run.result, run.timeline);
    expect(html).toContain('Content-Security-Policy');
    expect(html).toContain('<div class="kind">2 alarms</div>');
    expect(html).toContain('each window is tested at α/N = 0.05/5 = 0.01');
    expect((html.match(/<tr class="alarm">/g) ?? []).length).toBe(2);
    expect(html).not.toContain('<script>alert(');
    expect(html).toContain('&lt;script&gt;alert(');
  });
});
