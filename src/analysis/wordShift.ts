/**
 * "What changed, in words": words and bigrams over- and under-represented in the target against the reference,
 * ranked by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
 * Words", eq. 16–22). For a term w with counts y_w^T, y_w^R in corpora of n_T, n_R tokens and a prior
 * α_w = α₀ · (y_w^T + y_w^R) / (n_T + n_R) (the pooled frequencies, total prior mass α₀):
 *
 *   δ_w = log[(y_w^T + α_w) / (n_T + α₀ − y_w^T − α_w)] − log[(y_w^R + α_w) / (n_R + α₀ − y_w^R − α_w)]
 *   σ²(δ_w) ≈ 1 / (y_w^T + α_w) + 1 / (y_w^R + α_w),   z_w = δ_w / σ(δ_w)
 *
 * The prior shrinks rare terms towards no difference, so the ranking by z is not led by words seen twice.
 * Words and bigrams are counted separately (each with its own token total) and ranked together by z. English
 * function words ("the", "of", "i") are counted but not listed, nor bigrams made only of them ("of the"): they
 * shift with style and length and would crowd out the words that say what changed.
 */
import type { Rng } from '../core/random.js';

export interface WordShiftOptions {
  /** Total prior mass α₀ (default 1000). */
  priorStrength?: number;
  /** Least pooled count a term needs to be ranked (default 5). */
  minCount?: number;
  /** Terms listed per direction (default 25). */
  top?: number;
  /** Count bigrams as well as words (default true). */
  bigrams?: boolean;
  /** At most this many texts per side are counted, a seeded subsample beyond (default 50,000). */
  maxTexts?: number;
  /** Tokens counted per text, from its start (default 2,000). */
  maxTokensPerText?: number;
  /** List function words and bigrams of function words too (default false: counted, not listed). */
  listStopwords?: boolean;
}

export interface TermShift {
  term: string;
  kind: 'word' | 'bigram';
  countReference: number;
  countTarget: number;
  /** Occurrences per 10,000 tokens of the same kind. */
  ratePer10kReference: number;
  ratePer10kTarget: number;
  /** δ_w: log-odds of the term in the target minus in the reference (natural log). */
  logOddsRatio: number;
  /** δ_w / σ(δ_w): > 0 over-represented in the target, < 0 under-represented. */
  z: number;
}

export interface CorpusCounts {
  words: Map<string, number>;
  bigrams: Map<string, number>;
  nWords: number;
  nBigrams: number;
  nTexts: number;
}

export interface WordShiftResult {
  method: string;
  priorStrength: number;
  minCount: number;
  /** Texts counted per side, and whether they are a seeded subsample of all texts. */
  nTextsReference: number;
  nTextsTarget: number;
  subsampled: boolean;
  nWordsReference: number;
  nWordsTarget: number;
  /** Distinct terms that met minCount and were ranked (function words left out unless listed). */
  nTermsRanked: number;
  /** Most over-represented in the target first (z > 0). */
  overRepresented: TermShift[];
  /** Most under-represented in the target first (z < 0). */
  underRepresented: TermShift[];
}

export const WORD_SHIFT_METHOD =
  "log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, 'Fightin' Words')";

const DEFAULTS: Required<WordShiftOptions> = {
  priorStrength: 1000,
  minCount: 5,
  top: 25,
  bigrams: true,
  maxTexts: 50_000,
  maxTokensPerText: 2000,
  listStopwords: false,
};

/** English function words: counted in every total, left out of the lists unless listStopwords. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all am an and any are aren't as at be because been before being below " +
    "between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each " +
    "few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself " +
    "him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most " +
    "mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't " +
    "she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then " +
    "there there's these they they'd they'll they're they've this those through to too under until up very was " +
    "wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's " +
    "whom why why's will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves " +
    's t d ll m re ve just also'
  ).split(' '),
);

/** A function word, or a bigram of two function words. */
export function isStopTerm(term: string): boolean {
  const space = term.indexOf(' ');
  return space < 0 ? STOPWORDS.has(term) : STOPWORDS.has(term.slice(0, space)) && STOPWORDS.has(term.slice(space + 1));
}

const TOKEN = /[\p{L}\p{M}][\p{L}\p{M}\p{N}'’_-]*[\p{L}\p{M}\p{N}]|[\p{L}\p{M}]/gu;

/** Lower-cased word tokens: runs of letters (with inner digits, apostrophes, hyphens); bare numbers are left out. */
export function tokenize(text: string, maxTokens = Infinity): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(TOKEN)) {
    out.push(m[0].replace(/’/g, "'"));
    if (out.length >= maxTokens) break;
  }
  return out;
}

/** Word and bigram counts of some texts (bigrams never cross texts). */
export function countTerms(texts: readonly string[], options: WordShiftOptions = {}): CorpusCounts {
  const o = { ...DEFAULTS, ...options };
  const counts: CorpusCounts = { words: new Map(), bigrams: new Map(), nWords: 0, nBigrams: 0, nTexts: texts.length };
  for (const text of texts) {
    const tokens = tokenize(text, o.maxTokensPerText);
    for (let i = 0; i < tokens.length; i++) {
      counts.words.set(tokens[i], (counts.words.get(tokens[i]) ?? 0) + 1);
      if (o.bigrams && i > 0) {
        const b = `${tokens[i - 1]} ${tokens[i]}`;
        counts.bigrams.set(b, (counts.bigrams.get(b) ?? 0) + 1);
      }
    }
    counts.nWords += tokens.length;
    if (o.bigrams && tokens.length > 1) counts.nBigrams += tokens.length - 1;
  }
  return counts;
}

/** δ and z of one term (Monroe et al. 2008, eq. 16 and 20–22). */
export function logOddsWithPrior(
  countTarget: number,
  countReference: number,
  totalTarget: number,
  totalReference: number,
  priorStrength: number,
): { logOddsRatio: number; z: number } {
  const pooled = totalTarget + totalReference;
  const alpha = pooled > 0 ? (priorStrength * (countTarget + countReference)) / pooled : 0;
  const t = countTarget + alpha;
  const r = countReference + alpha;
  const delta = Math.log(t / (totalTarget + priorStrength - t)) - Math.log(r / (totalReference + priorStrength - r));
  const variance = 1 / t + 1 / r;
  return { logOddsRatio: delta, z: delta / Math.sqrt(variance) };
}

/** Ranks every term of two corpora's counts (counted with countTerms). */
export function rankTermShifts(
  reference: CorpusCounts,
  target: CorpusCounts,
  options: WordShiftOptions = {},
): { over: TermShift[]; under: TermShift[]; nRanked: number } {
  const o = { ...DEFAULTS, ...options };
  if (!(o.priorStrength > 0)) throw new RangeError(`priorStrength must be positive, got ${o.priorStrength}`);
  const all: TermShift[] = [];
  const rank = (
    kind: 'word' | 'bigram',
    ref: Map<string, number>,
    tgt: Map<string, number>,
    nR: number,
    nT: number,
  ) => {
    if (nR === 0 || nT === 0) return;
    const seen = new Set<string>();
    for (const map of [tgt, ref]) {
      for (const term of map.keys()) {
        if (seen.has(term)) continue;
        seen.add(term);
        const yT = tgt.get(term) ?? 0;
        const yR = ref.get(term) ?? 0;
        if (yT + yR < o.minCount) continue;
        if (!o.listStopwords && isStopTerm(term)) continue;
        const { logOddsRatio, z } = logOddsWithPrior(yT, yR, nT, nR, o.priorStrength);
        all.push({
          term,
          kind,
          countReference: yR,
          countTarget: yT,
          ratePer10kReference: (1e4 * yR) / nR,
          ratePer10kTarget: (1e4 * yT) / nT,
          logOddsRatio,
          z,
        });
      }
    }
  };
  rank('word', reference.words, target.words, reference.nWords, target.nWords);
  rank('bigram', reference.bigrams, target.bigrams, reference.nBigrams, target.nBigrams);
  // Ties (equal z) in a fixed order, so the lists do not depend on map insertion order.
  const byZ = (a: TermShift, b: TermShift) => b.z - a.z || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
  const over = all.filter((t) => t.z > 0).sort(byZ);
  const under = all.filter((t) => t.z < 0).sort((a, b) => byZ(b, a));
  return { over: over.slice(0, o.top), under: under.slice(0, o.top), nRanked: all.length };
}

/** Picks at most `max` texts, a seeded subsample in original order when there are more. */
function pickTexts(texts: readonly string[], max: number, rng: Rng): readonly string[] {
  if (texts.length <= max) return texts;
  return Array.from(rng.sample(texts.length, max))
    .sort((a, b) => a - b)
    .map((i) => texts[i]);
}

/** Counts the reference once, for wordShift and characteristicTerms to share. */
export function countReference(texts: readonly string[], rng: Rng, options: WordShiftOptions = {}): CorpusCounts {
  const o = { ...DEFAULTS, ...options };
  return countTerms(pickTexts(texts, o.maxTexts, rng.fork('word-shift-reference')), o);
}

/** The result.json block: the target's texts (subsampled when huge) counted and ranked against the reference's. */
export function wordShift(
  reference: CorpusCounts,
  nReferenceTexts: number,
  targetTexts: readonly string[],
  rng: Rng,
  options: WordShiftOptions = {},
): WordShiftResult {
  const o = { ...DEFAULTS, ...options };
  const tgt = countTerms(pickTexts(targetTexts, o.maxTexts, rng.fork('word-shift-target')), o);
  const ranked = rankTermShifts(reference, tgt, o);
  return {
    method: WORD_SHIFT_METHOD,
    priorStrength: o.priorStrength,
    minCount: o.minCount,
    nTextsReference: reference.nTexts,
    nTextsTarget: tgt.nTexts,
    subsampled: reference.nTexts < nReferenceTexts || tgt.nTexts < targetTexts.length,
    nWordsReference: reference.nWords,
    nWordsTarget: tgt.nWords,
    nTermsRanked: ranked.nRanked,
    overRepresented: ranked.over,
    underRepresented: ranked.under,
  };
}

/**
 * The words that characterise some target samples (e.g. the most shifted): those samples' terms ranked against
 * the reference, over-represented ones only. Fewer texts, so a lower minimum count (default 3).
 */
export function characteristicTerms(
  samples: readonly string[],
  reference: CorpusCounts,
  options: WordShiftOptions = {},
): TermShift[] {
  const o = { ...DEFAULTS, minCount: 3, top: 15, ...options };
  return rankTermShifts(reference, countTerms(samples, o), o).over;
}
