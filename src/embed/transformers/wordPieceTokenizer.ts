/**
 * A fast tokenizer for the BERT family's WordPiece tokenizer.json (BertNormalizer → BertPreTokenizer → WordPiece →
 * [CLS] … [SEP]), giving exactly the ids of @huggingface/transformers' `tokenizer.encode(text)` (which runs
 * @huggingface/tokenizers' JavaScript implementation) at a fraction of its cost: the library cleans text one
 * character at a time through regular expressions and builds every WordPiece candidate by joining character arrays;
 * here normalisation is a few whole-string native replaces, pre-tokenisation is the library's own pattern, and
 * WordPiece is greedy longest-match on string slices bounded by the longest vocabulary entry, with a per-word cache.
 * Printable ASCII text (most text) is scanned once, char code by char code: its words ([0-9A-Za-z] runs) are matched
 * by walking a trie of the vocabulary's alphanumeric entries in place, with no string made per word or piece.
 *
 * It is built only when the tokenizer is exactly of that shape (`wordPieceTokenizerFor` returns null otherwise, and
 * the library's tokenizer is used); test/embed/wordPieceTokenizer.test.ts checks it id for id against the library on
 * thousands of real texts and on every Basic Multilingual Plane code point.
 *
 * What the library does, and so what this does (the JavaScript library, not the Rust `tokenizers`, where they
 * differ):
 *  - the raw text is split on the added tokens (all of them `normalized: false`, e.g. a literal "[SEP]" in a text
 *    becomes that token), leftmost-longest;
 *  - BertNormalizer per remaining piece: drop U+0000, U+FFFD and control/format/private-use/surrogate code points
 *    except \t \n \r; every other JavaScript `\s` character becomes a space; a space either side of each UTF-16
 *    unit in the CJK ideograph blocks of the BMP (astral ideographs are left alone, as the library does);
 *    `toLowerCase()`; accents stripped (NFD, then the non-spacing marks removed) when lowercasing unless
 *    `strip_accents` is false, or when `strip_accents` is true;
 *  - a normalised piece equal to an added token is that token;
 *  - BertPreTokenizer: trim, then runs of non-space non-punctuation characters, and each punctuation character
 *    alone (the library's pattern, below);
 *  - WordPiece per word, counted in code points: a word longer than `max_input_chars_per_word` is the unknown
 *    token; otherwise greedy longest match from the left, pieces after the first prefixed by
 *    `continuing_subword_prefix`; a word with an unmatched remainder is the unknown token as a whole.
 */

/** @huggingface/tokenizers' PUNCTUATION_REGEX (src/static/constants.ts), used by its BertPreTokenizer. */
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PRE_TOKEN_PATTERN = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');

/** Dropped by clean_text: controls (Cc) other than \t \n \r, format (Cf), private use (Co), surrogates (Cs), U+FFFD. */
const DROPPED = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cs}\uFFFD]/gu;
const ASCII_DROPPED_TEST = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F]/;
const ASCII_DROPPED = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F]/g;
/** JavaScript's `\s` (the library's `/^\s$/` test, per character), after the dropped ones are gone. */
const WHITESPACE = /\s/g;
const NON_SPACE_WHITESPACE_TEST = /(?! )\s/;
const NON_ASCII = /[^\0-\x7F]/;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7E]/;
/** The library's is_chinese_char ranges as UTF-16 units (it tests text[i], so only the BMP ranges can match). */
const CJK_UNIT = /[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF]/g;
const CJK_UNIT_TEST = /[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF]/;
const NON_SPACING_MARK = /\p{Mn}/gu;

/** Printable ASCII classes for BertPreTokenizer: the space, letters and digits (words), and punctuation (the rest). */
const SPACE = 0;
const WORD = 1;
const PUNCT = 2;
const ASCII_CLASS = (() => {
  const table = new Uint8Array(128).fill(PUNCT);
  table[0x20] = SPACE;
  for (let c = 0x30; c <= 0x39; c++) table[c] = WORD;
  for (let c = 0x41; c <= 0x5a; c++) table[c] = WORD;
  for (let c = 0x61; c <= 0x7a; c++) table[c] = WORD;
  return table;
})();

/** Words memoised per tokenizer before the memo is cleared (bounds its memory on endless distinct words). */
const WORD_MEMO_LIMIT = 200_000;

export interface WordPieceTokenizer {
  /** The ids `tokenizer.encode(text, { add_special_tokens: false })` gives. */
  encodeContent(text: string): number[];
  /** Special tokens before and after the content (BERT: [CLS] and [SEP]). */
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];
}

interface NormalizerConfig {
  cleanText: boolean;
  chineseChars: boolean;
  lowercase: boolean;
  stripAccents: boolean | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (o: Json, allowed: readonly string[]) => Object.keys(o).every((k) => allowed.includes(k));

/**
 * The fast tokenizer for `tokenizerJson` (tokenizer.json as parsed) with `tokenizerConfig` (tokenizer_config.json),
 * or a reason why it does not apply: anything outside the exact BERT WordPiece shape is left to the library.
 */
export function wordPieceTokenizerFor(
  tokenizerJson: unknown,
  tokenizerConfig: unknown,
  /** alphanumericTrie false: printable-ASCII words through splitWord and the word memo too (the same ids; benches). */
  settings: { alphanumericTrie?: boolean } = {},
): { tokenizer: WordPieceTokenizer } | { tokenizer: null; reason: string } {
  const no = (reason: string) => ({ tokenizer: null, reason }) as const;
  if (!isObject(tokenizerJson)) return no('tokenizer.json is not an object');
  const config = isObject(tokenizerConfig) ? tokenizerConfig : {};
  if (config.remove_space === true) return no('tokenizer_config.json sets remove_space');
  if (config.do_lowercase_and_remove_accent) return no('tokenizer_config.json sets do_lowercase_and_remove_accent');

  const normalizer = tokenizerJson.normalizer;
  if (!isObject(normalizer) || normalizer.type !== 'BertNormalizer') return no('normalizer is not BertNormalizer');
  if (!onlyKeys(normalizer, ['type', 'clean_text', 'handle_chinese_chars', 'strip_accents', 'lowercase']))
    return no('BertNormalizer has unknown settings');
  const strip = normalizer.strip_accents;
  if (strip !== null && strip !== undefined && typeof strip !== 'boolean') return no('strip_accents is not a boolean');
  const norm: NormalizerConfig = {
    cleanText: Boolean(normalizer.clean_text),
    chineseChars: Boolean(normalizer.handle_chinese_chars),
    lowercase: Boolean(normalizer.lowercase),
    stripAccents: strip ?? null,
  };

  const pre = tokenizerJson.pre_tokenizer;
  if (!isObject(pre) || pre.type !== 'BertPreTokenizer' || !onlyKeys(pre, ['type']))
    return no('pre-tokenizer is not BertPreTokenizer');

  const model = tokenizerJson.model;
  if (!isObject(model) || model.type !== 'WordPiece') return no('model is not WordPiece');
  if (!onlyKeys(model, ['type', 'unk_token', 'continuing_subword_prefix', 'max_input_chars_per_word', 'vocab']))
    return no('WordPiece model has unknown settings');
  const { unk_token: unk, continuing_subword_prefix: prefix, vocab } = model;
  const maxChars = model.max_input_chars_per_word ?? 100;
  if (typeof unk !== 'string' || typeof prefix !== 'string' || !isObject(vocab))
    return no('WordPiece model lacks unk_token, continuing_subword_prefix or vocab');
  if (typeof maxChars !== 'number' || !Number.isInteger(maxChars) || maxChars < 1)
    return no('max_input_chars_per_word is not a positive integer');

  // The library's lookup table: the vocabulary, then every added token's content with its id over it.
  const ids = new Map<string, number>();
  for (const [token, id] of Object.entries(vocab)) {
    if (typeof id !== 'number' || !Number.isInteger(id)) return no('vocabulary ids are not integers');
    ids.set(token, id);
  }
  const added = tokenizerJson.added_tokens ?? [];
  if (!Array.isArray(added)) return no('added_tokens is not a list');
  const addedContents: string[] = [];
  for (const t of added) {
    if (!isObject(t) || typeof t.content !== 'string' || typeof t.id !== 'number') return no('malformed added token');
    const normalized = (t.normalized as boolean | undefined) ?? !t.special;
    if (normalized || t.lstrip || t.rstrip) return no(`added token ${t.content} is normalized or strips spaces`);
    if (t.content.length === 0) return no('an added token is empty');
    ids.set(t.content, t.id);
    addedContents.push(t.content);
  }
  const unkId = ids.get(unk);
  if (unkId === undefined) return no(`unk token ${unk} is not in the vocabulary`);

  const specials = postProcessorSpecials(tokenizerJson.post_processor);
  if (typeof specials === 'string') return no(specials);
  const toId = (token: string) => ids.get(token);
  const prefixIds = specials.before.map(toId);
  const suffixIds = specials.after.map(toId);
  if ([...prefixIds, ...suffixIds].some((id) => id === undefined)) return no('a special token has no id');

  let longest = 0;
  for (const token of ids.keys()) longest = Math.max(longest, codePointLength(token));
  return {
    tokenizer: createWordPiece({
      norm,
      ids,
      unkId,
      continuation: prefix,
      maxChars,
      longest,
      addedContents,
      prefix: prefixIds as number[],
      suffix: suffixIds as number[],
      alphanumericTrie: settings.alphanumericTrie ?? true,
    }),
  };
}

/** The special tokens around a single sequence: TemplateProcessing `[S] $A [S]…` or BertProcessing. */
function postProcessorSpecials(post: unknown): { before: string[]; after: string[] } | string {
  if (!isObject(post)) return 'no post-processor';
  if (post.type === 'BertProcessing') {
    const { cls, sep } = post;
    if (!Array.isArray(cls) || !Array.isArray(sep) || typeof cls[0] !== 'string' || typeof sep[0] !== 'string')
      return 'BertProcessing without cls/sep';
    return { before: [cls[0]], after: [sep[0]] };
  }
  if (post.type !== 'TemplateProcessing' || !Array.isArray(post.single)) return 'post-processor is not a BERT template';
  const before: string[] = [];
  const after: string[] = [];
  let seenSequence = false;
  for (const item of post.single as unknown[]) {
    if (!isObject(item)) return 'malformed template';
    if (isObject(item.Sequence)) {
      if (seenSequence || item.Sequence.id !== 'A' || item.Sequence.type_id !== 0) return 'template is not [S] $A [S]';
      seenSequence = true;
    } else if (isObject(item.SpecialToken) && typeof item.SpecialToken.id === 'string') {
      if (item.SpecialToken.type_id !== 0) return 'template special token of another segment';
      (seenSequence ? after : before).push(item.SpecialToken.id);
    } else {
      return 'malformed template';
    }
  }
  return seenSequence ? { before, after } : 'template has no sequence';
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

interface WordPieceSetup {
  norm: NormalizerConfig;
  ids: Map<string, number>;
  unkId: number;
  continuation: string;
  maxChars: number;
  /** Longest vocabulary entry in code points: no candidate longer than this can match. */
  longest: number;
  addedContents: string[];
  prefix: number[];
  suffix: number[];
  alphanumericTrie: boolean;
}

function createWordPiece(setup: WordPieceSetup): WordPieceTokenizer {
  const { norm, ids, unkId, continuation, maxChars, longest } = setup;
  const trie = setup.alphanumericTrie ? alphanumericTrie(ids, continuation) : null;
  const splitter = createAddedTokenSplitter(setup.addedContents);
  const memo = new Map<string, number[]>();
  const addedSet = new Set(setup.addedContents);

  const normalize = (text: string): string => {
    // Printable ASCII only (most text): nothing to clean, no CJK, no accents; only the case to fold.
    if (!NOT_PRINTABLE_ASCII.test(text)) return norm.lowercase ? text.toLowerCase() : text;
    const nonAscii = NON_ASCII.test(text);
    if (norm.cleanText) {
      if (nonAscii) {
        text = text.replace(DROPPED, '').replace(WHITESPACE, ' ');
      } else {
        if (ASCII_DROPPED_TEST.test(text)) text = text.replace(ASCII_DROPPED, '');
        if (NON_SPACE_WHITESPACE_TEST.test(text)) text = text.replace(WHITESPACE, ' ');
      }
    }
    if (norm.chineseChars && nonAscii && CJK_UNIT_TEST.test(text)) text = text.replace(CJK_UNIT, ' $& ');
    if (norm.lowercase) {
      text = text.toLowerCase();
      if (norm.stripAccents !== false && NON_ASCII.test(text)) text = stripAccents(text);
    } else if (norm.stripAccents === true && NON_ASCII.test(text)) {
      text = stripAccents(text);
    }
    return text;
  };

  const wordPiece = (word: string, out: number[]): void => {
    const cached = memo.get(word);
    if (cached) {
      for (const id of cached) out.push(id);
      return;
    }
    const pieces = splitWord(word);
    if (memo.size >= WORD_MEMO_LIMIT) memo.clear();
    memo.set(word, pieces);
    for (const id of pieces) out.push(id);
  };

  const splitWord = (word: string): number[] => {
    // Code-point boundaries (UTF-16 offsets); a word of plain BMP characters has them at every unit.
    let bounds: number[] | null = null;
    let n = word.length;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        bounds = [];
        for (let k = 0; k < word.length; k++) {
          bounds.push(k);
          const h = word.charCodeAt(k);
          if (h >= 0xd800 && h <= 0xdbff && k + 1 < word.length) {
            const l = word.charCodeAt(k + 1);
            if (l >= 0xdc00 && l <= 0xdfff) k++;
          }
        }
        n = bounds.length;
        bounds.push(word.length);
        break;
      }
    }
    if (n > maxChars) return [unkId];
    const at = (k: number) => (bounds ? bounds[k] : k);
    const pieces: number[] = [];
    let start = 0;
    while (start < n) {
      let end = Math.min(n, start + longest);
      let found = -1;
      while (start < end) {
        const piece = word.slice(at(start), at(end));
        const id = ids.get(start > 0 ? continuation + piece : piece);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) return [unkId];
      pieces.push(found);
      start = end;
    }
    return pieces;
  };

  /**
   * splitWord on text[from, to), a run of [0-9A-Za-z], through the trie: at each piece's start the deepest
   * vocabulary entry on the path is the longest match (the same greedy longest-match), a piece after the first from
   * the continuation root; an unmatched remainder makes the whole word the unknown token.
   */
  const alphanumericWord = trie
    ? (text: string, from: number, to: number, out: number[]): void => {
        if (to - from > maxChars) {
          out.push(unkId);
          return;
        }
        const mark = out.length;
        let start = from;
        let root = TRIE_ROOT;
        while (start < to) {
          let node = root;
          let end = -1;
          let id = -1;
          for (let i = start; i < to; i++) {
            node = trie.child(node, text.charCodeAt(i));
            if (node < 0) break;
            const token = trie.tokenIds[node];
            if (token >= 0) {
              end = i + 1;
              id = token;
            }
          }
          if (end < 0) {
            out.length = mark;
            out.push(unkId);
            return;
          }
          out.push(id);
          start = end;
          root = TRIE_CONTINUATION_ROOT;
        }
      }
    : (text: string, from: number, to: number, out: number[]): void =>
        wordPiece(from === 0 && to === text.length ? text : text.slice(from, to), out);

  // Printable ASCII, pre-tokenised by hand as the pattern does it: runs of letters and digits are words, every
  // other character but the space is a punctuation token of its own (its WordPiece computed once).
  const punctuation: number[][] = [];
  for (let c = 0x21; c <= 0x7e; c++) if (ASCII_CLASS[c] === PUNCT) punctuation[c] = splitWord(String.fromCharCode(c));
  const scanPrintableAscii = (text: string, out: number[]): void => {
    let start = -1;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const kind = ASCII_CLASS[c];
      if (kind === WORD) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0) {
        alphanumericWord(text, start, i, out);
        start = -1;
      }
      if (kind === PUNCT) for (const id of punctuation[c]) out.push(id);
    }
    if (start >= 0) alphanumericWord(text, start, n, out);
  };

  return {
    prefix: setup.prefix,
    suffix: setup.suffix,
    encodeContent(text: string): number[] {
      const out: number[] = [];
      for (const section of splitter(text)) {
        if (section.length === 0) continue;
        const addedId = section.added ? ids.get(section.text) : undefined;
        if (addedId !== undefined) {
          out.push(addedId);
          continue;
        }
        const plain = !NOT_PRINTABLE_ASCII.test(section.text);
        const normalized = plain
          ? norm.lowercase
            ? section.text.toLowerCase()
            : section.text
          : normalize(section.text);
        if (normalized.length === 0) continue;
        // A normalised section equal to an added token's content is that token (the library's added-token map).
        const whole = addedSet.has(normalized) ? ids.get(normalized) : undefined;
        if (whole !== undefined) {
          out.push(whole);
          continue;
        }
        if (plain) {
          scanPrintableAscii(normalized, out);
          continue;
        }
        const words = normalized.trim().match(PRE_TOKEN_PATTERN);
        if (words) for (const word of words) wordPiece(word, out);
      }
      return out;
    },
  };
}

const TRIE_ROOT = 0;
const TRIE_CONTINUATION_ROOT = 1;
/** Trie nodes are keyed with their edge's char code as node * 128 + code in an int32: at most 2^24 nodes. */
const TRIE_MAX_NODES = 2 ** 24;

interface AlphanumericTrie {
  /** The child of `node` along ASCII `code`, or -1. */
  child(node: number, code: number): number;
  /** Per node, the id of the vocabulary entry ending there, or -1. */
  tokenIds: Int32Array;
}

const isAlphanumeric = (c: number) => c < 0x80 && ASCII_CLASS[c] === WORD;

function allAlphanumeric(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) if (!isAlphanumeric(text.charCodeAt(i))) return false;
  return true;
}

/**
 * The lookup table's entries made only of [0-9A-Za-z] (the only ones a word of the printable-ASCII path can match),
 * from root TRIE_ROOT, and those that are the continuation prefix and such a non-empty remainder, from root
 * TRIE_CONTINUATION_ROOT; each with its id from `ids` (added tokens over the vocabulary, as everywhere). Edges in
 * one open-addressing hash table of int32 keys. Null for a vocabulary too large for the keys (then the ASCII path
 * uses splitWord).
 */
function alphanumericTrie(ids: Map<string, number>, continuation: string): AlphanumericTrie | null {
  const edges = new Map<number, number>();
  const tokenIds: number[] = [-1, -1];
  const insert = (root: number, token: string, from: number, id: number): boolean => {
    let node = root;
    for (let i = from; i < token.length; i++) {
      const key = node * 128 + token.charCodeAt(i);
      let next = edges.get(key);
      if (next === undefined) {
        if (tokenIds.length >= TRIE_MAX_NODES) return false;
        next = tokenIds.length;
        tokenIds.push(-1);
        edges.set(key, next);
      }
      node = next;
    }
    tokenIds[node] = id;
    return true;
  };
  for (const [token, id] of ids) {
    if (token.length > 0 && allAlphanumeric(token, 0) && !insert(TRIE_ROOT, token, 0, id)) return null;
    if (
      token.length > continuation.length &&
      token.startsWith(continuation) &&
      allAlphanumeric(token, continuation.length) &&
      !insert(TRIE_CONTINUATION_ROOT, token, continuation.length, id)
    )
      return null;
  }
  let bits = 1;
  while (2 ** bits < 2 * edges.size) bits++;
  const mask = 2 ** bits - 1;
  const keys = new Int32Array(mask + 1).fill(-1);
  const children = new Int32Array(mask + 1);
  // Fibonacci hashing: the product's top bits.
  const shift = 32 - bits;
  const slot = (key: number) => Math.imul(key, 0x9e3779b1) >>> shift;
  for (const [key, child] of edges) {
    let h = slot(key);
    while (keys[h] !== -1) h = (h + 1) & mask;
    keys[h] = key;
    children[h] = child;
  }
  return {
    tokenIds: Int32Array.from(tokenIds),
    child(node: number, code: number): number {
      const key = node * 128 + code;
      for (let h = slot(key); ; h = (h + 1) & mask) {
        const k = keys[h];
        if (k === key) return children[h];
        if (k === -1) return -1;
      }
    },
  };
}

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(NON_SPACING_MARK, '');
}

interface Section {
  text: string;
  added: boolean;
  length: number;
}

/**
 * The library's DictionarySplitter over the added tokens: at each position the longest added token starting there
 * is cut out; the text between is left as is.
 */
function createAddedTokenSplitter(contents: string[]): (text: string) => Section[] {
  type Node = { next: Map<string, Node>; end: string | null };
  const root: Node = { next: new Map(), end: null };
  for (const word of contents) {
    let node = root;
    // The library walks UTF-16 units (word[i]); so does this.
    for (let i = 0; i < word.length; i++) {
      const unit = word[i];
      let child = node.next.get(unit);
      if (!child) {
        child = { next: new Map(), end: null };
        node.next.set(unit, child);
      }
      node = child;
    }
    node.end = word;
  }
  const firstUnits = [...root.next.keys()];
  const section = (text: string, added: boolean): Section => ({ text, added, length: text.length });
  return (text: string): Section[] => {
    if (firstUnits.length === 0 || !firstUnits.some((u) => text.includes(u))) return [section(text, false)];
    const result: Section[] = [];
    const n = text.length;
    let start = 0;
    let i = 0;
    while (i < n) {
      let node: Node | undefined = root;
      let match: string | null = null;
      let j = i;
      while (j < n) {
        node = node.next.get(text[j]);
        if (!node) break;
        if (node.end !== null) match = node.end;
        j++;
      }
      if (match !== null) {
        if (i > start) result.push(section(text.slice(start, i), false));
        result.push(section(match, true));
        i += match.length;
        start = i;
      } else {
        i++;
      }
    }
    if (start < n) result.push(section(text.slice(start), false));
    return result;
  };
}
