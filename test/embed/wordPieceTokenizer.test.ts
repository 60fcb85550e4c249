/**
 * The fast WordPiece tokenizer (src/embed/transformers/wordPieceTokenizer.ts) against @huggingface/transformers'
 * own tokenizer, id for id: every text of a few thousand from the bundled corpora (UCI sentences, SOTU passages and
 * whole speeches, SpamAssassin mails as read and as raw bytes), every BMP code point, and targeted edge cases
 * (accents, CJK, emoji, controls, lone surrogates, literal special tokens, very long words and texts); with the
 * other normaliser settings; and the tokenizers it must refuse.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSpeeches, speechPassages } from '../../src/ingest/corpora/sotu.js';
import { spamAssassinFiles, SPAM_ASSASSIN_GROUPS } from '../../src/ingest/corpora/spamAssassin.js';
import { readUciSite, UCI_SITES } from '../../src/ingest/corpora/uciSentiment.js';
import { mailToText } from '../../src/ingest/mail/mailToText.js';
import { type WordPieceTokenizer, wordPieceTokenizerFor } from '../../src/embed/transformers/wordPieceTokenizer.js';
import { tinyBertDir } from './testCache.js';

const tokenizerJson = JSON.parse(fs.readFileSync(path.join(tinyBertDir, 'tokenizer.json'), 'utf8'));
const tokenizerConfig = JSON.parse(fs.readFileSync(path.join(tinyBertDir, 'tokenizer_config.json'), 'utf8'));

let library: PreTrainedTokenizer;
let fast: WordPieceTokenizer;

beforeAll(async () => {
  library = await AutoTokenizer.from_pretrained(tinyBertDir, { local_files_only: true });
  const built = wordPieceTokenizerFor(tokenizerJson, tokenizerConfig);
  if (!built.tokenizer) throw new Error(`fast tokenizer refused tiny-bert: ${built.reason}`);
  fast = built.tokenizer;
});

/**
 * Texts whose fast ids differ from the library's, with both, for a readable failure. The content ids are compared
 * on every text; the ids with the special tokens around them on every `fullEvery`-th (1: all). The fast side's full
 * ids are its constant prefix and suffix around the content, so a sample checks them as well as every text would,
 * at half the library's time on the large sets.
 */
function mismatches(tok: WordPieceTokenizer, lib: PreTrainedTokenizer, texts: string[], fullEvery = 1) {
  const bad: { text: string; fast: number[]; library: number[] }[] = [];
  for (const [i, text] of texts.entries()) {
    const want = lib.encode(text, { add_special_tokens: false });
    const got = tok.encodeContent(text);
    const fullDiffers =
      i % fullEvery === 0 && [...tok.prefix, ...got, ...tok.suffix].join(',') !== lib.encode(text).join(',');
    if (got.join(',') !== want.join(',') || fullDiffers) {
      bad.push({ text: text.slice(0, 200), fast: got.slice(0, 40), library: want.slice(0, 40) });
      if (bad.length >= 5) break;
    }
  }
  return bad;
}

/** On the large sets, the ids with special tokens are compared on every 16th text (the content ids on all). */
const FULL_EVERY = 16;

const EDGE_CASES = [
  '',
  ' ',
  '\t\n\r',
  'hello world',
  'Hello, World!!! How are you?',
  "don't stop-believing... (really) [ok] {x} <y> a/b c\\d ~e `f` ^g| _h_ @i #j $k %l &m *n +o =p",
  'Café naïve résumé Ångström Øresund Straße Ελληνικά ΣΟΦΊΑ Σ ς МОСКВА İstanbul ǅ ﬁ ß',
  'e\u0301 a\u0300\u0301 n\u0303 ḱ \u0345 \u1dc0x',
  '中文字符 日本語のテキスト 한국어 텍스트 𠀀𠀁 丽 㐀 鿿 \uF900\uFAFF',
  'emoji 😀😃 👍🏽 👨‍👩‍👧 🇫🇷 ❤️ ✨ 🤖x y🤖z',
  'ctrl\u0000a\u0001b\u0007c\u000bd\u000ce\u001bf\u007fg\u0085h\u00a0i\u00adj\u200bk\u200dl\u2028m\u2029n\ufeffo\ufffdp',
  'private \ue000\uf8ff use and \udb80\udc00 plane-15',
  'lone \ud800 high and \udc00 low surrogates \ud83d',
  '[CLS] literal [SEP] specials [PAD][UNK][MASK] in text [cls] [Sep] [[SEP]] x[SEP]y',
  '[UN\u0000K]',
  'a'.repeat(99),
  'a'.repeat(100),
  'a'.repeat(101),
  `${'ab'.repeat(60)} ${'é'.repeat(101)} ${'😀'.repeat(100)} ${'😀'.repeat(101)}`,
  'unaffable unbelievably antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis',
  '1,234.56 3.14159 10^9 1e-10 0x1F 2026-12-02T01:33:51Z +44 (0)20 7946 0958',
  'http://example.com/a?b=c&d=e#f user@example.org C:\\Windows\\system32',
  '   leading and trailing spaces   ',
  'mixed\u3000ideographic\u2003em\u2009thin\u202fnarrow\u205fmath spaces',
  '\u0660\u0661\u0662 العربية עברית हिन्दी ไทย ᚠᛇᚻ ʕ•ᴥ•ʔ ¯\\_(ツ)_/¯',
  '²³¹¼½¾ №™©®° ±×÷ µ¶·¸ «» ‹› „“ ‚‘ — – … • ‰ ′″ ‽',
  'ÀÉÎÕÜ àéîõü ÇçÑñ ÆæŒœ ÐðÞþ Ł ł Đ đ Ħ ħ',
  'x'.repeat(5000),
  'word '.repeat(3000),
];

describe('fast WordPiece tokenizer equals the library', () => {
  it('on targeted edge cases: accents, CJK, emoji, controls, surrogates, literal specials, long words', () => {
    expect(mismatches(fast, library, EDGE_CASES)).toEqual([]);
    // Without the trie (printable-ASCII words through splitWord and the word memo): the same ids.
    const memoOnly = wordPieceTokenizerFor(tokenizerJson, tokenizerConfig, { alphanumericTrie: false }).tokenizer;
    expect(memoOnly && mismatches(memoOnly, library, [...EDGE_CASES, ...TRIE_CASES])).toEqual([]);
    expect(mismatches(fast, library, TRIE_CASES)).toEqual([]);
  });

  it('on every Basic Multilingual Plane code point, alone and inside words, and on astral samples', () => {
    const texts: string[] = [];
    for (let start = 0; start < 0x10000; start += 64) {
      const alone: string[] = [];
      const inside: string[] = [];
      for (let c = start; c < start + 64; c++) {
        const ch = String.fromCharCode(c);
        alone.push(ch);
        inside.push(`ab${ch}cd`);
      }
      texts.push(alone.join(' '), inside.join(' '), alone.join(''));
    }
    for (let c = 0x10000; c < 0x110000; c += 997) {
      const ch = String.fromCodePoint(c);
      texts.push(`x${ch}y ${ch} ${ch.toUpperCase()}Z`);
    }
    expect(mismatches(fast, library, texts, FULL_EVERY)).toEqual([]);
  });

  it('on a few thousand real texts of the bundled corpora (UCI, SOTU, SpamAssassin read and raw)', async () => {
    const texts: string[] = [];
    for (const site of UCI_SITES) for (const r of await readUciSite(site)) texts.push(r.text);
    const speeches = await readSpeeches();
    for (const speech of speeches.filter((_, i) => i % 6 === 0)) texts.push(...speechPassages(speech).slice(0, 6));
    // Whole speeches: tens of thousands of characters each.
    for (const speech of speeches.filter((_, i) => i % 80 === 0)) texts.push(speech.text);
    for (const group of SPAM_ASSASSIN_GROUPS) {
      const files = (await spamAssassinFiles(group)).filter((_, i) => i % 10 === 0);
      files.forEach((file, i) => {
        const bytes = fs.readFileSync(file);
        // As the corpus reader gives it (subject + readable body), cut where the backend cuts a 512-token text.
        const mail = mailToText(bytes);
        if (mail.ok) texts.push(mail.text.slice(0, 16_384));
        // Every fifth also raw, as Latin-1 and as UTF-8 (replacement characters, control bytes, headers).
        if (i % 4 === 0) texts.push(bytes.toString('latin1').slice(0, 8192), bytes.toString('utf8').slice(0, 8192));
      });
    }
    expect(texts.length).toBeGreaterThan(4000);
    expect(mismatches(fast, library, texts, FULL_EVERY)).toEqual([]);
  });
});

/**
 * Printable-ASCII words the trie walk must split as splitWord does: no vocabulary match at all, an unmatched
 * remainder after matched pieces, continuation pieces, words at and past max_input_chars_per_word, digits, case.
 */
const TRIE_CASES = [
  'qzxj xqzj zzzzzqqqqq unaffablyqzx playingzzq thequickbrownfoxjumps',
  'running jumped unhappiness tokenization WordPiece BERTology 3x4y5z 2026abc abc2026 x1y2z3w4',
  `${'ab'.repeat(50)} ${'ab'.repeat(50)}c ${'q'.repeat(100)} ${'q'.repeat(101)} Z${'z'.repeat(99)}`,
  'a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 A Z',
];

describe('other BertNormalizer settings are followed as the library follows them', () => {
  const variants: [string, Record<string, unknown>][] = [
    ['cased, accents kept', { lowercase: false, strip_accents: null }],
    ['cased, accents stripped', { lowercase: false, strip_accents: true }],
    ['lowercased, accents kept', { lowercase: true, strip_accents: false }],
    ['no clean-up, no CJK spacing', { clean_text: false, handle_chinese_chars: false }],
  ];
  it('another continuing-subword prefix and alphanumeric added tokens (the trie takes both from the lookup table)', async () => {
    const json = structuredClone(tokenizerJson);
    // Continuation pieces keyed "@@ing" instead of "##ing"; "hello" and "xyzzy" added (over the vocabulary's id).
    const vocab = json.model.vocab as Record<string, number>;
    for (const [token, id] of Object.entries(vocab)) {
      if (token.startsWith('##')) {
        delete vocab[token];
        vocab[`@@${token.slice(2)}`] = id;
      }
    }
    json.model.continuing_subword_prefix = '@@';
    const next = Math.max(...Object.values(vocab)) + 1;
    json.added_tokens.push(
      {
        id: next,
        content: 'xyzzy',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
      {
        id: vocab.hello ?? next + 1,
        content: 'hello',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    );
    const { PreTrainedTokenizer } = await import('@huggingface/transformers');
    const lib = new PreTrainedTokenizer(json, tokenizerConfig);
    const built = wordPieceTokenizerFor(json, tokenizerConfig);
    if (!built.tokenizer) throw new Error(built.reason);
    const texts = [...EDGE_CASES, ...TRIE_CASES, 'hello xyzzy helloxyzzy xyzzyhello say hello. HELLO Xyzzy'];
    expect(mismatches(built.tokenizer, lib, texts)).toEqual([]);
  });
  for (const [name, change] of variants) {
    it(name, async () => {
      const json = structuredClone(tokenizerJson);
      Object.assign(json.normalizer, change);
      const { PreTrainedTokenizer } = await import('@huggingface/transformers');
      const lib = new PreTrainedTokenizer(json, tokenizerConfig);
      const built = wordPieceTokenizerFor(json, tokenizerConfig);
      if (!built.tokenizer) throw new Error(built.reason);
      expect(mismatches(built.tokenizer, lib, [...EDGE_CASES, ...TRIE_CASES])).toEqual([]);
    });
  }
});

// biome-ignore lint/suspicious/noExplicitAny: tokenizer.json and tokenizer_config.json edited freely, case by case
type Loose = Record<string, any>;

describe('the fast tokenizer is built only for the exact BERT WordPiece shape', () => {
  const refuse = (mutate: (json: Loose, config: Loose) => void) => {
    const json = structuredClone(tokenizerJson);
    const config = structuredClone(tokenizerConfig);
    mutate(json, config);
    return wordPieceTokenizerFor(json, config);
  };
  it('refuses other normalizers, pre-tokenizers, models, templates and added-token settings', () => {
    const cases: [string, (json: Loose, config: Loose) => void][] = [
      ['Sequence normalizer', (j) => (j.normalizer = { type: 'Sequence', normalizers: [] })],
      ['unknown normalizer key', (j) => (j.normalizer.extra = 1)],
      ['Whitespace pre-tokenizer', (j) => (j.pre_tokenizer = { type: 'Whitespace' })],
      ['BPE model', (j) => (j.model.type = 'BPE')],
      ['no continuation prefix', (j) => delete j.model.continuing_subword_prefix],
      ['template of segment B', (j) => (j.post_processor.single[1] = { Sequence: { id: 'B', type_id: 0 } })],
      ['RobertaProcessing', (j) => (j.post_processor = { type: 'RobertaProcessing' })],
      ['normalized added token', (j) => (j.added_tokens[0].normalized = true)],
      ['lstrip added token', (j) => (j.added_tokens[1].lstrip = true)],
      ['unknown unk token', (j) => (j.model.unk_token = '<unk>')],
      ['remove_space', (_, c) => (c.remove_space = true)],
    ];
    for (const [name, mutate] of cases) {
      const built = refuse(mutate);
      expect(built.tokenizer, name).toBeNull();
    }
  });

  it('takes BertProcessing as well as the [CLS] $A [SEP] template', () => {
    const built = refuse(
      (j) => (j.post_processor = { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] }),
    );
    expect(built.tokenizer?.prefix).toEqual([101]);
    expect(built.tokenizer?.suffix).toEqual([102]);
  });
});
