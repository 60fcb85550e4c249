/**
 * Resolves the MMD bandwidth options into σ: 'median' (the median heuristic, times `multiplier`) or an explicit σ.
 * Shared by the exact and the linear-time MMD so both say the same thing in their details.
 */
import { InputError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/random.js';
import { medianHeuristic } from './bandwidth.js';

export interface BandwidthOptions {
  /** 'median' (default) or an explicit σ > 0. */
  bandwidth: 'median' | number;
  /** Multiplies the median-heuristic σ (ignored for an explicit σ). */
  bandwidthMultiplier: number;
}

export interface ResolvedBandwidth {
  sigma: number;
  details: Record<string, number | string>;
  /** Short phrase for the `method` sentence. */
  description: string;
}

export async function resolveBandwidth(
  sample: Matrix,
  options: BandwidthOptions,
  rng: Rng,
  what: string,
): Promise<ResolvedBandwidth> {
  if (typeof options.bandwidth === 'number') {
    if (!(options.bandwidth > 0) || !Number.isFinite(options.bandwidth)) {
      throw new InputError(`${what}: bandwidth must be a positive number or 'median', got ${options.bandwidth}`);
    }
    return {
      sigma: options.bandwidth,
      details: { bandwidth: options.bandwidth, bandwidthMethod: 'explicit' },
      description: `explicit σ = ${formatSigma(options.bandwidth)}`,
    };
  }
  if (options.bandwidth !== 'median')
    throw new InputError(`${what}: bandwidth must be 'median' or a positive number, got ${String(options.bandwidth)}`);
  const multiplier = options.bandwidthMultiplier;
  if (!(multiplier > 0) || !Number.isFinite(multiplier))
    throw new InputError(`${what}: bandwidth multiplier must be positive, got ${multiplier}`);
  const median = await medianHeuristic(sample, rng);
  const sigma = median.sigma * multiplier;
  return {
    sigma,
    details: {
      bandwidth: sigma,
      bandwidthMethod: 'median heuristic',
      bandwidthMedian: median.sigma,
      bandwidthMultiplier: multiplier,
      bandwidthPoints: median.pointsUsed,
      ...(median.fallback ? { bandwidthFallback: median.fallback } : {}),
    },
    description: `σ = ${multiplier === 1 ? '' : `${multiplier} × `}median pairwise distance${median.fallback ? ' (fallback, see details)' : ''} = ${formatSigma(sigma)}`,
  };
}

function formatSigma(s: number): string {
  return s.toPrecision(4);
}
