import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { writeSentiment140Like } from './sentiment140Fixture.js';
import { tempFolder } from './tempFiles.js';

const write = tempFolder();
const ROWS = 3000;
let file = '';

describe('sentiment140 preset', () => {
  beforeAll(async () => {
    file = write('training.csv', '');
    await writeSentiment140Like(file, ROWS, 3);
  });

  it('reads the headerless Latin-1 file with polarity labels and the default label map', async () => {
    // The generated file really is Latin-1: it holds 0xE9 bytes that are invalid as UTF-8.
    const bytes = readFileSync(file);
    expect(bytes.includes(0xe9)).toBe(true);
    const d = await loadDataset(`sentiment140:${file}`, { seed: 1 });
    expect(d.counts.nRead).toBe(ROWS);
    expect(d.texts!.length).toBe(ROWS);
    expect(d.defaultLabelMap).toEqual({ '0': 'negative', '2': 'neutral', '4': 'positive' });
    expect(d.labels!.slice(0, 5)).toEqual(['0', '4', '4', '0', '2']);
    expect(d.labels!.filter((l) => l === '2').length).toBe(ROWS / 5);
    expect(d.origins[0]).toBe('training.csv row 1');
    expect(d.origins[ROWS - 1]).toBe(`training.csv row ${ROWS}`);
  });

  it('decodes HTML entities and Latin-1 characters', async () => {
    const d = await loadDataset(`sentiment140:${file}`, { seed: 1 });
    const texts = d.texts!;
    // Row i ends with EXTRAS[i % 7] in the fixture.
    expect(texts[0].endsWith(' "quoted"')).toBe(true);
    expect(texts[1].endsWith(' fish & chips')).toBe(true);
    expect(texts[2].endsWith(' <3')).toBe(true);
    expect(texts[3].endsWith(' café')).toBe(true);
    expect(texts[5].endsWith(' ¿qué?')).toBe(true);
    expect(texts.some((t) => /&(quot|amp|lt);/.test(t))).toBe(false);
  });

  it('works through --format sentiment140 and other label columns', async () => {
    const d = await loadDataset(file, { seed: 1, format: 'sentiment140', labelColumn: 'user' });
    expect(d.labels![0]).toBe('user_0');
    expect(d.defaultLabelMap).toBeUndefined();
    await expect(loadDataset(file, { seed: 1, format: 'sentiment140', labelColumn: 'sentiment' })).rejects.toThrow(
      /no column "sentiment" \(--label-column\); columns found: "polarity", "id", "date", "query", "user", "text"/,
    );
  });

  it('names the row with the wrong number of columns', async () => {
    const bad = write('bad140.csv', '"0","1","d","q","u","fine"\n"4","2","d","q","short"\n');
    await expect(loadDataset(`sentiment140:${bad}`, { seed: 1 })).rejects.toThrow(
      /bad140\.csv row 2 \(line 2\): 5 fields, expected 6/,
    );
  });
});
