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

/** Word ids shared by the corpora being compared (ids, not strings, key the counts: much faster maps). */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  private stopFlags: Uint8Array | null = null;

  id(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(word, id);
      this.words.push(word);
      this.stopFlags = null;
    }
    return id;
  }

  lookup(word: string): number | undefined {
    return this.ids.get(word);
  }

  /** 1 where the word is a function word (STOPWORDS). */
  stops(): Uint8Array {
    if (!this.stopFlags || this.stopFlags.length !== this.words.length) {
      this.stopFlags = Uint8Array.from(this.words, (w) => (STOPWORDS.has(w) ? 1 : 0));
    }
    return this.stopFlags;
  }
}

/** Bigram keys: first id × 2²⁶ + second id (exact in a double while the vocabulary has < 2²⁶ words). */
const BIGRAM_BASE = 2 ** 26;

export interface CorpusCounts {
  vocabulary: Vocabulary;
  /** Count per word id. */
  words: Map<number, number>;
  /** Count per bigram key (see BIGRAM_BASE). */
  bigrams: Map<number, number>;
  nWords: number;
  nBigrams: number;
  nTexts: number;
}

/** The count of a word or bigram ("of the") in some counts. */
export function countOf(counts: CorpusCounts, term: string): number {
  const parts = term.split(' ');
  const ids = parts.map((p) => counts.vocabulary.lookup(p));
  if (ids.some((id) => id === undefined)) return 0;
  if (ids.length === 1) return counts.words.get(ids[0] as number) ?? 0;
  if (ids.length === 2) return counts.bigrams.get((ids[0] as number) * BIGRAM_BASE + (ids[1] as number)) ?? 0;
  return 0;
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

/** Word and bigram counts of some texts (bigrams never cross texts), with ids from `vocabulary`. */
export function countTerms(
  texts: readonly string[],
  options: WordShiftOptions = {},
  vocabulary: Vocabulary = new Vocabulary(),
): CorpusCounts {
  const o = { ...DEFAULTS, ...options };
  const counts: CorpusCounts = {
    vocabulary,
    words: new Map(),
    bigrams: new Map(),
    nWords: 0,
    nBigrams: 0,
    nTexts: texts.length,
  };
  if (vocabulary.words.length >= BIGRAM_BASE) throw new RangeError('vocabulary too large for bigram keys');
  for (const text of texts) {
    const tokens = tokenize(text, o.maxTokensPerText);
    let previous = -1;
    for (const token of tokens) {
      const id = vocabulary.id(token);
      counts.words.set(id, (counts.words.get(id) ?? 0) + 1);
      if (o.bigrams && previous >= 0) {
        const key = previous * BIGRAM_BASE + id;
        counts.bigrams.set(key, (counts.bigrams.get(key) ?? 0) + 1);
      }
      previous = id;
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

/** Ranks every term of two corpora's counts (counted with countTerms over one shared Vocabulary). */
export function rankTermShifts(
  reference: CorpusCounts,
  target: CorpusCounts,
  options: WordShiftOptions = {},
): { over: TermShift[]; under: TermShift[]; nRanked: number } {
  const o = { ...DEFAULTS, ...options };
  if (!(o.priorStrength > 0)) throw new RangeError(`priorStrength must be positive, got ${o.priorStrength}`);
  if (reference.vocabulary !== target.vocabulary) throw new RangeError('count both corpora with one Vocabulary');
  const vocabulary = target.vocabulary;
  const stops = vocabulary.stops();
  // Candidates in flat arrays; TermShift objects are built for the listed few only.
  const keys: number[] = [];
  const kinds: (0 | 1)[] = [];
  const zs: number[] = [];
  const rank = (kind: 0 | 1, ref: Map<number, number>, tgt: Map<number, number>, nR: number, nT: number) => {
    if (nR === 0 || nT === 0) return;
    const consider = (key: number, yT: number, yR: number) => {
      if (yT + yR < o.minCount) return;
      if (!o.listStopwords) {
        const stop =
          kind === 0 ? stops[key] === 1 : stops[Math.floor(key / BIGRAM_BASE)] === 1 && stops[key % BIGRAM_BASE] === 1;
        if (stop) return;
      }
      keys.push(key);
      kinds.push(kind);
      zs.push(logOddsWithPrior(yT, yR, nT, nR, o.priorStrength).z);
    };
    for (const [key, yT] of tgt) consider(key, yT, ref.get(key) ?? 0);
    for (const [key, yR] of ref) if (!tgt.has(key)) consider(key, 0, yR);
  };
  rank(0, reference.words, target.words, reference.nWords, target.nWords);
  rank(1, reference.bigrams, target.bigrams, reference.nBigrams, target.nBigrams);

  const termOf = (i: number) =>
    kinds[i] === 0
      ? vocabulary.words[keys[i]]
      : `${vocabulary.words[Math.floor(keys[i] / BIGRAM_BASE)]} ${vocabulary.words[keys[i] % BIGRAM_BASE]}`;
  const build = (i: number): TermShift => {
    const [refMap, tgtMap, nR, nT] =
      kinds[i] === 0
        ? [reference.words, target.words, reference.nWords, target.nWords]
        : [reference.bigrams, target.bigrams, reference.nBigrams, target.nBigrams];
    const yR = refMap.get(keys[i]) ?? 0;
    const yT = tgtMap.get(keys[i]) ?? 0;
    const { logOddsRatio, z } = logOddsWithPrior(yT, yR, nT, nR, o.priorStrength);
    return {
      term: termOf(i),
      kind: kinds[i] === 0 ? 'word' : 'bigram',
      countReference: yR,
      countTarget: yT,
      ratePer10kReference: (1e4 * yR) / nR,
      ratePer10kTarget: (1e4 * yT) / nT,
      logOddsRatio,
      z,
    };
  };
  // Ties (equal z) broken by the term, so the lists do not depend on counting order.
  const pick = (sign: 1 | -1): TermShift[] => {
    const idx: number[] = [];
    for (let i = 0; i < zs.length; i++) if (sign * zs[i] > 0) idx.push(i);
    idx.sort((a, b) => sign * (zs[b] - zs[a]) || (termOf(a) < termOf(b) ? -1 : 1));
    return idx.slice(0, o.top).map(build);
  };
  return { over: pick(1), under: pick(-1), nRanked: zs.length };
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
  const tgt = countTerms(pickTexts(targetTexts, o.maxTexts, rng.fork('word-shift-target')), o, reference.vocabulary);
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
  return rankTermShifts(reference, countTerms(samples, o, reference.vocabulary), o).over;
}
