import { describe, expect, it } from 'vitest';
import {
  characteristicTerms,
  countReference,
  countOf,
  countTerms,
  isStopTerm,
  logOddsWithPrior,
  rankTermShifts,
  tokenize,
  Vocabulary,
  wordShift,
} from '../../src/analysis/wordShift.js';
import { createRng } from '../../src/core/random.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';

describe('log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008)', () => {
  it('matches values computed by hand', () => {
    // Target "a a b c", reference "a b b d", α₀ = 10. For "a": α = 10·3/8 = 3.75, so
    // δ = ln(5.75 / (4 + 10 − 5.75)) − ln(4.75 / (4 + 10 − 4.75)) = ln(5.75/8.25) − ln(4.75/9.25) = 0.305466,
    // σ² = 1/5.75 + 1/4.75, z = 0.492661 (the same formulas evaluated in Python: 0.3054655879404536, 0.4926612106633802).
    const a = logOddsWithPrior(2, 1, 4, 4, 10);
    expect(a.logOddsRatio).toBeCloseTo(Math.log(5.75 / 8.25) - Math.log(4.75 / 9.25), 12);
    expect(a.logOddsRatio).toBeCloseTo(0.3054655879404536, 12);
    expect(a.z).toBeCloseTo(0.4926612106633802, 12);
    // Swapping the sides flips the sign.
    const b = logOddsWithPrior(1, 2, 4, 4, 10);
    expect(b.logOddsRatio).toBeCloseTo(-0.3054655879404536, 12);
    expect(b.z).toBeCloseTo(-0.4926612106633802, 12);
    // A term absent from one side stays finite thanks to the prior.
    expect(logOddsWithPrior(1, 0, 4, 4, 10).z).toBeCloseTo(0.6001225181239609, 12);
    // Unequal corpora: 30 of 1,000 target tokens vs 10 of 2,000 reference tokens, α₀ = 100.
    const c = logOddsWithPrior(30, 10, 1000, 2000, 100);
    expect(c.logOddsRatio).toBeCloseTo(1.6870483959964813, 12);
    expect(c.z).toBeCloseTo(4.867044470270825, 12);
  });

  it('ranks the hand example: words and bigrams, over and under, with counts and rates', () => {
    const vocabulary = new Vocabulary();
    const ref = countTerms(['x y y w'], { bigrams: true }, vocabulary);
    const tgt = countTerms(['x x y z'], { bigrams: true }, vocabulary);
    expect(ref.nWords).toBe(4);
    expect(ref.nBigrams).toBe(3);
    expect(['x x', 'x y', 'y z', 'y y'].map((b) => countOf(tgt, b))).toEqual([1, 1, 1, 0]);
    expect(countOf(ref, 'y y')).toBe(1);
    expect(tgt.bigrams.size).toBe(3);
    const ranked = rankTermShifts(ref, tgt, { priorStrength: 10, minCount: 1 });
    const x = ranked.over.find((t) => t.term === 'x');
    expect(x).toMatchObject({ kind: 'word', countReference: 1, countTarget: 2, ratePer10kTarget: 5000 });
    expect(x?.z).toBeCloseTo(0.4926612106633802, 12);
    expect(ranked.under.find((t) => t.term === 'y')?.z).toBeCloseTo(-0.4926612106633802, 12);
    expect(ranked.over.every((t) => t.z > 0)).toBe(true);
    expect(ranked.under.every((t) => t.z < 0)).toBe(true);
    expect(ranked.over.map((t) => t.z)).toEqual([...ranked.over.map((t) => t.z)].sort((a, b) => b - a));
    // "x y" appears once on each side (of 3 bigrams each): z = 0, in neither list.
    expect([...ranked.over, ...ranked.under].some((t) => t.term === 'x y')).toBe(false);
    // minCount filters on the pooled count.
    expect(rankTermShifts(ref, tgt, { priorStrength: 10, minCount: 3 }).nRanked).toBe(2); // x, y
  });

  it('refuses counts made with different vocabularies (their ids would not match)', () => {
    expect(() => rankTermShifts(countTerms(['a b']), countTerms(['a b']))).toThrow(/one Vocabulary/);
  });

  it('counts function words but lists them (and bigrams made only of them) only when asked', () => {
    const vocabulary = new Vocabulary();
    const ref = countTerms(['the cat sat on the mat', 'the dog'], {}, vocabulary);
    const tgt = countTerms(['of the of the cat', 'of the people of the world'], {}, vocabulary);
    const listed = rankTermShifts(ref, tgt, { minCount: 1, top: Infinity });
    const terms = [...listed.over, ...listed.under].map((t) => t.term);
    expect(terms).not.toContain('the');
    expect(terms).not.toContain('of the');
    expect(terms).toContain('the people'); // one content word is enough to list a bigram
    expect(terms).toContain('cat');
    const all = rankTermShifts(ref, tgt, { minCount: 1, top: Infinity, listStopwords: true });
    expect([...all.over, ...all.under].map((t) => t.term)).toEqual(expect.arrayContaining(['the', 'of the']));
    expect(isStopTerm('of the')).toBe(true);
    expect(isStopTerm('of cats')).toBe(false);
  });

  it('tokenizes words (lower case, inner apostrophes and hyphens) and leaves bare numbers out', () => {
    expect(tokenize('Don’t STOP the self-driving car at 42 km/h!')).toEqual([
      "don't",
      'stop',
      'the',
      'self-driving',
      'car',
      'at',
      'km',
      'h',
    ]);
    expect(tokenize('one two three', 2)).toEqual(['one', 'two']);
  });
});

describe('word shift on real text', () => {
  it('finds the movie words in IMDb reviews against Amazon reviews, and the product words the other way', async () => {
    const amazon = await loadDataset('uci-sentiment:amazon', { seed: 0 });
    const imdb = await loadDataset('uci-sentiment:imdb', { seed: 0 });
    const rng = createRng(1);
    const ref = countReference(amazon.texts as string[], rng);
    const result = wordShift(ref, (amazon.texts as string[]).length, imdb.texts as string[], rng);
    const over = result.overRepresented.map((t) => t.term);
    const under = result.underRepresented.map((t) => t.term);
    expect(over.slice(0, 10)).toEqual(expect.arrayContaining(['movie', 'film']));
    expect(under.slice(0, 10)).toEqual(expect.arrayContaining(['phone']));
    expect(result.overRepresented[0].z).toBeGreaterThan(5);
    expect(result.subsampled).toBe(false);
    expect(result.nTextsReference).toBe(1000);
    // Characteristic words of a few target texts that mention acting.
    const acting = (imdb.texts as string[]).filter((t) => /acting/i.test(t)).slice(0, 30);
    expect(characteristicTerms(acting, ref).map((t) => t.term)).toContain('acting');
  });

  it('is calibrated under the null: a random split of one corpus gives |z| of a standard normal or less', async () => {
    const yelp = (await loadDataset('uci-sentiment:yelp', { seed: 0 })).texts as string[];
    const rng = createRng(7);
    let over4 = 0;
    let ranked = 0;
    let sumSq = 0;
    for (let rep = 0; rep < 5; rep++) {
      const order = Array.from(rng.fork(`split-${rep}`).sample(yelp.length, yelp.length));
      const half = order.length / 2;
      const a = order.slice(0, half).map((i) => yelp[i]);
      const b = order.slice(half).map((i) => yelp[i]);
      const vocabulary = new Vocabulary();
      const r = rankTermShifts(countTerms(a, {}, vocabulary), countTerms(b, {}, vocabulary), { top: Infinity });
      for (const t of [...r.over, ...r.under]) {
        if (Math.abs(t.z) > 4) over4++;
        sumSq += t.z * t.z;
      }
      ranked += r.nRanked;
    }
    // Under the null z ≈ N(0, 1) or narrower (the prior shrinks): mean z² ≤ 1 (with slack), almost never |z| > 4.
    expect(ranked).toBeGreaterThan(500);
    expect(sumSq / ranked).toBeLessThan(1.2);
    expect(over4).toBeLessThanOrEqual(1);
  });

  it('is reproducible with the seed when it subsamples', () => {
    const texts = Array.from({ length: 300 }, (_, i) => `text ${i % 7 === 0 ? 'rare' : 'common'} word${i % 13}`);
    const run = (seed: number) => {
      const rng = createRng(seed);
      return wordShift(countReference(texts, rng, { maxTexts: 100 }), texts.length, texts.slice(0, 150), rng, {
        maxTexts: 100,
        minCount: 2,
      });
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3).subsampled).toBe(true);
    expect(run(3).nTextsTarget).toBe(100);
  });
});
