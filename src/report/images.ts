/**
 * Static images of the report's key plots (`--format svg|png`): the same chart definitions as the page, drawn
 * by Vega's headless renderer to SVG; PNG is rasterised from that SVG by sharp (libvips + librsvg) at 2× scale.
 */
import type { ShiftlensResult } from '../result/resultTypes.js';
import { allCharts, buildReportCharts } from './charts/reportCharts.js';
import { chartToSvg } from './charts/renderSvg.js';
import type { ReportView } from './reportView.js';

export interface ChartImage {
  /** File name, e.g. "pca-scatter.svg". */
  name: string;
  bytes: Uint8Array;
}

export async function renderChartImages(
  result: ShiftlensResult,
  view: ReportView,
  format: 'svg' | 'png',
): Promise<ChartImage[]> {
  const charts = allCharts(buildReportCharts(result, view, { scatterRenderer: 'svg' }));
  const images: ChartImage[] = [];
  for (const chart of charts) {
    const svg = await chartToSvg(chart);
    if (format === 'svg') {
      images.push({ name: `${chart.id}.svg`, bytes: new TextEncoder().encode(svg) });
    } else {
      images.push({ name: `${chart.id}.png`, bytes: await svgToPng(svg) });
    }
  }
  return images;
}

type SharpFactory = (input: Buffer, options?: { density?: number }) => { png(): { toBuffer(): Promise<Buffer> } };

let sharpPromise: Promise<SharpFactory> | null = null;

/** sharp is a dependency of @huggingface/transformers, not ours: load it lazily, with a clear error if absent. */
async function loadSharp(): Promise<SharpFactory> {
  sharpPromise ??= import('sharp' as string).then(
    (m: { default?: SharpFactory }) => m.default ?? (m as unknown as SharpFactory),
    (error: unknown) => {
      sharpPromise = null;
      throw new Error(
        `PNG images need the "sharp" package (installed with @huggingface/transformers); use --format svg instead (${String(error)})`,
      );
    },
  );
  return sharpPromise;
}

export async function svgToPng(svg: string): Promise<Uint8Array> {
  const sharp = await loadSharp();
  // 144 dpi = 2× the SVG's CSS pixels, sharp enough for a pull-request comment or a slide.
  const png = await sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
