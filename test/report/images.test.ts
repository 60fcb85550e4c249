import { beforeAll, describe, expect, it } from 'vitest';
import { type ChartImage, renderChartImages } from '../../src/report/images.js';
import { buildFixture } from './fixtures.js';

// 400 rows a side: below the page's scatter subsample (2500), as 1500 were, so every row is a point; the PNG
// rasterising (librsvg) of a 3000-point scatter took most of this file's 8 s.
const N = 400;
const fixture = buildFixture({ nReference: N, nTarget: N, components: 3 });
const EXPECTED = [
  'pca-scatter',
  'pca-scatter-by-label',
  'density-pc1',
  'density-pc2',
  'density-pc3',
  'classifier-scores',
  'probe-accuracy',
  'label-efficiency',
  'confusion',
  'word-shift',
];

describe('renderChartImages', () => {
  // The SVG images, rendered once for both tests.
  let svgImages: ChartImage[];
  beforeAll(async () => {
    svgImages = await renderChartImages(fixture.result, fixture.view, 'svg');
  });

  it('writes one well-formed, non-empty SVG per key plot', async () => {
    const images = svgImages;
    expect(images.map((i) => i.name)).toEqual(EXPECTED.map((n) => `${n}.svg`));
    const sharp = (await import('sharp' as string)).default as (b: Buffer) => {
      metadata(): Promise<{ format: string; width: number; height: number }>;
    };
    for (const image of images) {
      const svg = new TextDecoder().decode(image.bytes);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), image.name).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>'), image.name).toBe(true);
      // Data marks are present (Vega tags their groups role-mark) ...
      expect(svg, image.name).toMatch(/class="mark-[a-z]+ role-mark/);
      // ... and librsvg parses the file (it rejects malformed XML).
      const meta = await sharp(Buffer.from(image.bytes)).metadata();
      expect(meta.format).toBe('svg');
      expect(meta.width).toBeGreaterThan(200);
      expect(meta.height).toBeGreaterThan(100);
    }
    // Every plotted scatter point is a path in the scatter's symbol group: 2 × N points + 20 rings.
    const scatter = new TextDecoder().decode(images[0].bytes);
    expect(fixture.view.scatter?.highlighted.length).toBe(20);
    expect(scatter.match(/<path/g)!.length).toBeGreaterThan(2 * N + 20);
  });

  it('rasterises to PNG at twice the SVG size', async () => {
    const svg = svgImages;
    const png = await renderChartImages(fixture.result, fixture.view, 'png');
    expect(png.map((i) => i.name)).toEqual(EXPECTED.map((n) => `${n}.png`));
    const sharp = (await import('sharp' as string)).default as (b: Buffer) => {
      metadata(): Promise<{ format: string; width: number; height: number }>;
      stats(): Promise<{ channels: { min: number; max: number }[] }>;
    };
    const density = png.find((i) => i.name === 'density-pc1.png')!;
    expect(Array.from(density.bytes.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const meta = await sharp(Buffer.from(density.bytes)).metadata();
    const svgMeta = await sharp(Buffer.from(svg.find((i) => i.name === 'density-pc1.svg')!.bytes)).metadata();
    expect(meta.width).toBe(svgMeta.width * 2);
    // Not a blank image: some channel spans dark to light.
    const stats = await sharp(Buffer.from(density.bytes)).stats();
    expect(Math.min(...stats.channels.slice(0, 3).map((c) => c.min))).toBeLessThan(100);
  });
});
