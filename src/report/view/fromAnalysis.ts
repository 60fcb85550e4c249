/** Adapts the analysis area's KDE comparisons (src/analysis/kde.ts) to the report's per-component density input. */
import type { DensityComparison } from '../../analysis/kde.js';
import type { ComponentDensityInput } from '../reportView.js';

/** densities[c] is component c (PC1 first), as the compare pipeline computes them. */
export function densityInputs(densities: DensityComparison[]): ComponentDensityInput[] {
  return densities.map((d, c) => ({
    index: c,
    grid: d.grid,
    reference: d.densityA,
    target: d.densityB,
    overlap: d.overlap,
    jsDivergence: d.jsDivergence,
  }));
}
