/**
 * The example on real data: uci-sentiment amazon → yelp (wordvec:sg100d). The target-only probe (≈ 78.7%)
 * sits just under the old fixed 80% cut-off, yet the target's labels are as separable as the reference's
 * (≈ 79.9%, both baselines 50%): the separability gap's interval lies within 5 points, so the verdict on a shift
 * is shiftProbeSuffices, not shiftRevisitData; with 40% of yelp labels flipped it is shiftRevisitData.
 */
import { describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/random.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { fitReferenceProbe, probeTarget } from '../../src/probe/runProbe.js';
import { decideVerdict } from '../../src/verdict/decide.js';
import { loadRealEmbeddings } from '../helpers/realEmbeddings.js';

const shifted = {
  alpha: 0.05,
  shiftDetected: true,
  statisticallySignificant: true,
  practicallySignificant: true,
  minEffect: null,
};

describe('separability relative to the reference, on real data', () => {
  it('amazon → yelp: as separable (shiftProbeSuffices); with 40% of yelp labels flipped: less separable (shiftRevisitData)', async () => {
    const [amazonX, yelpX] = await Promise.all([
      loadRealEmbeddings('uci-sentiment:amazon'),
      loadRealEmbeddings('uci-sentiment:yelp'),
    ]);
    const amazon = (await loadDataset('uci-sentiment:amazon', { seed: 0 })).labels as string[];
    const yelp = (await loadDataset('uci-sentiment:yelp', { seed: 0 })).labels as string[];
    // The probe's stream as runCompare forks it (seed 0), so the numbers are the CLI's. The reference side is
    // fitted once for both targets: fitReferenceProbe then probeTarget is runProbe, stream for stream (forks are
    // named, so they do not depend on what ran before).
    const options = { labelEfficiencySizes: [] };
    const rng = createRng(0).fork('probe');
    const reference = await fitReferenceProbe({
      reference: amazonX,
      referenceLabels: amazon,
      labelMap: null,
      rng,
      progress: silentProgress,
      options,
    });
    const probe = await probeTarget(reference, {
      target: yelpX,
      targetLabels: yelp,
      rng,
      progress: silentProgress,
      options,
    });
    const own = probe.targetOnly!;
    expect(own.accuracy.estimate).toBeLessThan(0.8);
    expect(Math.abs(probe.reference.accuracy.estimate - own.accuracy.estimate)).toBeLessThan(0.03);
    expect(own.separabilityGap!.upper).toBeLessThanOrEqual(0.05);
    const v = decideVerdict({ tests: [], suite: shifted, probe });
    expect(v.kind).toBe('shiftProbeSuffices');

    const flip = createRng('flip');
    const noisy = yelp.map((l) => (flip.next() < 0.4 ? (l === '1' ? '0' : '1') : l));
    const noisyProbe = await probeTarget(reference, {
      target: yelpX,
      targetLabels: noisy,
      rng,
      progress: silentProgress,
      options,
    });
    expect(noisyProbe.targetOnly!.separabilityGap!.lower).toBeGreaterThan(0.05);
    expect(decideVerdict({ tests: [], suite: shifted, probe: noisyProbe }).kind).toBe('shiftRevisitData');
  }, 120_000);
});
