/**
 * spam-assassin with --max-rows draws its sample from the file list and parses only the messages it keeps
 * (src/ingest/corpora/spamAssassinUnusable.ts): the table of unusable messages matches a full parse of every group,
 * the sampled read gives exactly the dataset (rows, order, labels, groups, counts) of parsing every message, and a
 * table that disagrees with what the parser finds falls back to the full read, saying so.
 */
import { describe, expect, it } from 'vitest';
import type { Progress } from '../../src/core/progress.js';
import { silentProgress } from '../../src/core/progress.js';
import { loadSpamAssassin, SPAM_ASSASSIN_GROUPS, unusableMessages } from '../../src/ingest/corpora/spamAssassin.js';
import { UNUSABLE_MESSAGES } from '../../src/ingest/corpora/spamAssassinUnusable.js';
import type { LoadOptions } from '../../src/ingest/dataset.js';

async function bothWays(groups: string, options: LoadOptions) {
  const spec = `spam-assassin:${groups}`;
  const sampled = await loadSpamAssassin(spec, groups, options);
  const full = await loadSpamAssassin(spec, groups, options, silentProgress, null);
  return { sampled, full };
}

describe('spam-assassin --max-rows sample from the file list', () => {
  it('lists exactly the messages a full parse finds unusable, in every group', async () => {
    for (const group of SPAM_ASSASSIN_GROUPS) {
      expect(await unusableMessages(group), group).toEqual(UNUSABLE_MESSAGES[group]);
    }
  });

  it('gives the rows, order and counts of parsing every message, unusable messages among those offered', async () => {
    // spam-1 + spam-2: 11 unusable messages, each shifting the reservoir's count for the messages after it.
    const { sampled, full } = await bothWays('spam-1+spam-2', { maxRows: 300, seed: 3, labelColumn: 'group' });
    expect(sampled).toEqual(full);
    expect(sampled.texts).toHaveLength(300);
    expect(new Set(sampled.labels)).toEqual(new Set(['spam-1', 'spam-2']));
    expect(sampled.counts.skipped.reduce((s, x) => s + x.count, 0)).toBe(10);
    expect(sampled.counts.nEmpty).toBe(1);
    expect(sampled.counts.nSampledOut).toBe(1896 - 11 - 300);
  });

  it('falls back to reading every message when the table is wrong, and says so', async () => {
    const notes: string[] = [];
    const progress: Progress = { ...silentProgress, note: (m) => notes.push(m) };
    // Message #1 of hard-ham-1 is usable; a table calling it unusable is stale.
    const wrong = { ...UNUSABLE_MESSAGES, 'hard-ham-1': [[1, 'made up'] as const] };
    const options = { maxRows: 40, seed: 2 };
    const got = await loadSpamAssassin('spam-assassin:hard-ham-1', 'hard-ham-1', options, progress, wrong);
    const full = await loadSpamAssassin('spam-assassin:hard-ham-1', 'hard-ham-1', options, silentProgress, null);
    expect(got).toEqual(full);
    expect(notes).toEqual([expect.stringMatching(/message #1 of hard-ham-1 is usable.*reading every message/)]);
  });
});
