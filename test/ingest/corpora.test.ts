import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { cleanSpeechText, readSpeeches } from '../../src/ingest/corpora/sotu.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { groupIntoPassages, splitSentences, wordCount } from '../../src/ingest/text/sentences.js';

describe('uci-sentiment corpus', () => {
  it('has 1000 sentences per site, 500 per class, without the trailing empty record', async () => {
    for (const site of ['amazon', 'imdb', 'yelp']) {
      const d = await loadDataset(`uci-sentiment:${site}`, { seed: 1 });
      expect(d.texts!.length).toBe(1000);
      expect(d.counts.nRead).toBe(1000);
      expect(d.counts.nEmpty).toBe(0);
      expect(d.labels!.filter((l) => l === '0').length).toBe(500);
      expect(d.labels!.filter((l) => l === '1').length).toBe(500);
      expect(d.defaultLabelMap).toEqual({ '0': 'negative', '1': 'positive' });
      expect(d.origins[999]).toBe(`uci-sentiment:${site} #1000`);
    }
    const amazon = await loadDataset('uci-sentiment:amazon', { seed: 1 });
    expect(amazon.texts![1]).toBe('Good case, Excellent value.');
    // 990 distinct sentences among amazon's 1000.
    expect(amazon.counts.nDuplicate).toBe(10);
  });

  it('joins sites with + and can label by site', async () => {
    const d = await loadDataset('uci-sentiment:imdb+yelp', { seed: 1, labelColumn: 'site' });
    expect(d.texts!.length).toBe(2000);
    expect(d.labels!.slice(0, 1)).toEqual(['imdb']);
    expect(d.labels![1999]).toBe('yelp');
    expect(d.defaultLabelMap).toBeUndefined();
    await expect(loadDataset('uci-sentiment:twitter', { seed: 1 })).rejects.toThrow(
      /unknown uci-sentiment site "twitter"; valid sites: amazon, imdb, yelp/,
    );
  });
});

describe('sotu corpus', () => {
  it('removes audience-reaction and footnote markers that the raw speeches contain', async () => {
    const speeches = await readSpeeches();
    expect(speeches.length).toBe(233);
    const raw = speeches
      .filter((s) => s.year >= 1990)
      .map((s) => s.text)
      .join('\n');
    expect(raw).toMatch(/\[Laughter\]/);
    expect(raw).toMatch(/\(Applause\.\)|\[Applause\]/);
    const d = await loadDataset('sotu:1946-2021', { seed: 1 });
    const joined = d.texts!.join('\n');
    const markers = joined.match(/[[(]\s*(laughter|applause|laughs)[^\])]*[\])]|audience members responded/gi);
    expect(markers).toBeNull();
    expect(joined).not.toMatch(/\[Footnote|\[\d+\]|\[p\.\d+\]/);
    expect(
      cleanSpeechText('It could have been close. [Laughter] So, thank you. (Applause.) See [the States] here.'),
    ).toBe('It could have been close. So, thank you. See the States here.');
  });

  it('makes passages of about 150 words from consecutive sentences, with year/president/party columns', async () => {
    const d = await loadDataset('sotu:1990-2021', { seed: 1, labelColumn: 'party' });
    const words = d.texts!.map(wordCount).sort((a, b) => a - b);
    const median = words[words.length >> 1];
    expect(median).toBeGreaterThanOrEqual(140);
    expect(median).toBeLessThanOrEqual(160);
    // 90% within 100..220 words.
    expect(words.filter((w) => w >= 100 && w <= 220).length).toBeGreaterThan(0.9 * words.length);
    expect(new Set(d.labels)).toEqual(new Set(['Republican', 'Democratic']));
    expect(d.origins[0]).toBe('sotu:1990 George Bush passage 1');
    expect(
      d.texts![0].startsWith(
        'Mr. President, Mr. Speaker, Members of the United States Congress: I return as a former President',
      ),
    ).toBe(true);
    const byYear = await loadDataset('sotu:2001', { seed: 1, labelColumn: 'year' });
    expect(new Set(byYear.labels)).toEqual(new Set(['2001']));
    expect(byYear.texts![0]).not.toContain('[Laughter]');
  });

  it('rejects malformed or empty year ranges', async () => {
    await expect(loadDataset('sotu:1990-80', { seed: 1 })).rejects.toThrow(InputError);
    await expect(loadDataset('sotu:2021-1990', { seed: 1 })).rejects.toThrow(/reversed; write sotu:1990-2021/);
    await expect(loadDataset('sotu:1700-1750', { seed: 1 })).rejects.toThrow(
      /no speeches in 1700-1750; speeches span 1790-2021/,
    );
    await expect(loadDataset('sotu:1990-2021', { seed: 1, labelColumn: 'speaker' })).rejects.toThrow(
      /no column "speaker".*"text", "year", "president", "party"/,
    );
  });
});

describe('sentence splitting and passages', () => {
  it('splits at sentence ends but not after abbreviations or initials', () => {
    expect(
      splitSentences('Mr. Speaker, thank you. John F. Kennedy said so! Did he? "Yes." The U.S. Senate agreed.'),
    ).toEqual(['Mr. Speaker, thank you.', 'John F. Kennedy said so!', 'Did he?', '"Yes."', 'The U.S. Senate agreed.']);
  });

  it('groups sentences to land closest to the target and merges a short tail', () => {
    const s = (n: number): string => `${'w '.repeat(n - 1)}end.`;
    // 120 and 180 are equally far from 150: ties keep the sentence; then 120 + 20 = 140 beats 120.
    expect(groupIntoPassages([s(60), s(60), s(60), s(60), s(60), s(20)], 150).map(wordCount)).toEqual([180, 140]);
    expect(groupIntoPassages([s(100), s(100), s(100)], 150).map(wordCount)).toEqual([200, 100]);
    // 140 + 30 = 170 is further than 140, so 30 starts a passage; being under half the target it joins the previous one.
    expect(groupIntoPassages([s(140), s(30)], 150).map(wordCount)).toEqual([170]);
  });
});
