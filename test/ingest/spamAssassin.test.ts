import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { Dataset } from '../../src/ingest/dataset.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { spamAssassinFiles } from '../../src/ingest/corpora/spamAssassin.js';
import { mailToText } from '../../src/ingest/mail/mailToText.js';

const GROUP_SIZES = {
  'easy-ham-1': 2500,
  'easy-ham-2': 1400,
  'hard-ham-1': 250,
  'spam-1': 500,
  'spam-2': 1396,
} as const;

/** The readable text of message #n (1-based) of a group, straight from the mail parser. */
async function message(group: keyof typeof GROUP_SIZES, n: number): Promise<string> {
  const files = await spamAssassinFiles(group);
  const parsed = mailToText(readFileSync(files[n - 1]));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.text;
}

function raw(group: keyof typeof GROUP_SIZES, n: number): Promise<string> {
  return spamAssassinFiles(group).then((files) => readFileSync(files[n - 1], 'latin1'));
}

describe('spam-assassin corpus', () => {
  const loaded = new Map<string, Dataset>();
  beforeAll(async () => {
    for (const group of Object.keys(GROUP_SIZES))
      loaded.set(group, await loadDataset(`spam-assassin:${group}`, { seed: 1 }));
  });

  it('reads every message of every group and accounts for each one', () => {
    for (const [group, size] of Object.entries(GROUP_SIZES)) {
      const d = loaded.get(group)!;
      expect(d.counts.nRead).toBe(size);
      const skipped = d.counts.skipped.reduce((s, x) => s + x.count, 0);
      expect(d.texts!.length + d.counts.nEmpty + skipped).toBe(size);
      // Almost everything is readable: at most 2% skipped for undecodable charsets (7 of spam-1's 500).
      expect(skipped).toBeLessThanOrEqual(size * 0.02);
      for (const s of d.counts.skipped) expect(s.reason).toMatch(/charset/);
      expect(d.labels!.every((l) => l === (group.startsWith('spam') ? 'spam' : 'ham'))).toBe(true);
      expect(d.origins[0]).toMatch(new RegExp(`^spam-assassin:${group} #\\d+$`));
    }
    // Measured on the real corpus: the known exact repeats inside easy-ham-1 and spam-2.
    expect(loaded.get('easy-ham-1')!.counts.nDuplicate).toBe(28);
    expect(loaded.get('spam-2')!.counts.nDuplicate).toBeGreaterThan(50);
  });

  it('drops routing headers but keeps the Subject line', () => {
    for (const d of loaded.values()) {
      const starts = d.texts!.map((t) => t.split('\n', 1)[0]);
      // No text starts with a header other than Subject; mbox "From " lines are gone too.
      expect(starts.filter((s) => /^(Received|Return-Path|Delivered-To|Message-Id|X-[\w-]+|Date):/i.test(s))).toEqual(
        [],
      );
      expect(starts.filter((s) => s.startsWith('From '))).toEqual([]);
      expect(starts.filter((s) => s.startsWith('Subject: ')).length).toBeGreaterThan(d.texts!.length * 0.95);
    }
    const first = loaded.get('easy-ham-1')!.texts![0];
    expect(first.startsWith('Subject: Re: New Sequences Window\n\n')).toBe(true);
    // Its header block had these lines; none survive.
    for (const gone of [
      'Received:',
      'Delivered-To:',
      'From: Robert Elz',
      'To: Chris Garrigues',
      'Cc: exmh-workers',
      'Return-Path:',
    ]) {
      expect(first).not.toContain(gone);
    }
    expect(first).toContain("I can't reproduce this error.");
  });

  it('groups can be joined with + and the group column can serve as label', async () => {
    const d = await loadDataset('spam-assassin:spam-1+hard-ham-1', { seed: 1, labelColumn: 'group' });
    expect(d.counts.nRead).toBe(750);
    expect(new Set(d.labels)).toEqual(new Set(['spam-1', 'hard-ham-1']));
    expect(d.labels![0]).toBe('spam-1');
    expect(d.origins[d.origins.length - 1]).toBe('spam-assassin:hard-ham-1 #250');
  });

  it('decodes base64 bodies to readable text', async () => {
    // spam-1 #22: a base64-encoded HTML body; hard-ham-1 #39: base64 ISO-2022-JP Japanese.
    const source = await raw('spam-1', 22);
    expect(source).toMatch(/Content-Transfer-Encoding: base64/i);
    const text = await message('spam-1', 22);
    expect(text).toContain('URGENT PRIVATE & EXTREMELY CONFIDENTIAL');
    expect(text).toContain('With profound interest and in utmost confidence');
    expect(text).not.toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/m);
    expect(await raw('hard-ham-1', 39)).toMatch(/Content-Transfer-Encoding: base64/i);
    const japanese = await message('hard-ham-1', 39);
    expect(japanese).toContain('Subject: 日本語の件名（サブジェクト） スパムメールではありません！');
    expect(japanese).toContain('伊東様');
  });

  it('decodes quoted-printable bodies: no soft breaks or =XX escapes left', async () => {
    const source = await raw('easy-ham-1', 62);
    expect(source).toMatch(/Content-Transfer-Encoding: quoted-printable/i);
    expect(source).toMatch(/=\r?\n|=[0-9A-F]{2}/);
    const text = await message('easy-ham-1', 62);
    expect(text).not.toMatch(/=[0-9A-F]{2}/);
    expect(text).not.toMatch(/=\n/);
  });

  it('strips HTML: tags, styles and entities gone, words kept', async () => {
    const source = await raw('spam-2', 2);
    expect(source).toMatch(/<(html|body|p|font|table)\b/i);
    const text = await message('spam-2', 2);
    expect(text.startsWith('Subject: Real Protection, Stun Guns! Free Shipping!')).toBe(true);
    expect(text).toContain('The Need For Safety Is Real In 2002');
    expect(text).not.toMatch(/<\/?[a-z][^>]*>/i);
    expect(text).not.toMatch(/&(nbsp|amp|lt|gt|quot);/);
  });

  it('decodes East-Asian charsets declared in MIME parameters and encoded words', async () => {
    // spam-2 #6 is Big5 with a Big5 encoded-word subject; #228 is GB2312 mislabelled us-ascii.
    expect(await message('spam-2', 6)).toContain('信用卡');
    const gb = await message('spam-2', 228);
    expect(gb).toContain('Subject: make love tonight 美女图片');
    expect(gb).toContain('按这里进入');
  });

  it('rejects unknown groups listing the valid ones', async () => {
    await expect(loadDataset('spam-assassin:spam-3', { seed: 1 })).rejects.toThrow(InputError);
    await expect(loadDataset('spam-assassin:spam-3', { seed: 1 })).rejects.toThrow(
      /unknown spam-assassin group "spam-3".*easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2/,
    );
    await expect(loadDataset('spam-assassin:spam-1', { seed: 1, labelColumn: 'kind' })).rejects.toThrow(
      /no column "kind".*"text", "label", "group"/,
    );
  });
});
